// K-center greedy (Sener & Savarese, "Active Learning for Convolutional Neural Networks: A
// Core-Set Approach", ICLR 2018, Algorithm 1): repeatedly pick the candidate farthest from
// its nearest center and make it a center, so that the picked batch with the labeled images
// covers the pool with the smallest radius the greedy 2-approximation finds.
//
// Distances are Euclidean, summed in double in a fixed order (embedding_math.h), so the
// result is the same on every machine. Ties go to the lower global index. A row with a
// non-finite feature has no distance: as a center it covers nothing, and as a candidate it
// is picked only after every other one.
//
// Across ranks (rank_group.h), each rank holds its own rows: the labeled centers are
// gathered once; then every step each rank proposes its farthest candidate, one all-gather
// shares the proposals with their embeddings, and every rank takes the same winner (largest
// distance, ties by global index) as its next center. The mean that starts a greedy without
// centers is summed exactly (fixed point, 2⁻⁶⁴ units), so it too is the same for any split.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/selection/rank_group.h"

namespace salient::selection {

struct EmbeddingRows {
  const float* values = nullptr;  ///< n × dim, row-major
  std::int64_t n = 0;
  std::int64_t dim = 0;
};

struct KCenterPicks {
  std::vector<std::int64_t> picked;  ///< global indices, in the order picked
  /// For each pick, its distance to the nearest center when it was picked (the first pick
  /// without centers: to the mean; NaN for a row with a non-finite feature).
  std::vector<double> distances;
};

/// Picks min(@p count, eligible rows of every rank) rows; the same picks on every rank.
/// @param centers       n flags: rows that are centers from the start (the labeled images)
/// @param eligible      n flags: rows that may be picked (the unlabeled candidates)
/// @param global_index  n ascending global indices of this rank's rows (nullptr: 0…n−1)
/// Without any center, the first pick is the eligible row nearest the mean of the eligible
/// rows (the most central one), and the greedy goes on from there. Throws salient::Error
/// for a feature of magnitude 2⁴⁰ or more in that mean.
KCenterPicks k_center_greedy(const EmbeddingRows& rows, const std::vector<std::uint8_t>& centers,
                             const std::vector<std::uint8_t>& eligible, std::int64_t count,
                             const std::int64_t* global_index = nullptr, RankGroup& group = single_process());

}  // namespace salient::selection
