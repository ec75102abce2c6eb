// K-center greedy (Sener & Savarese, "Active Learning for Convolutional Neural Networks: A
// Core-Set Approach", ICLR 2018, Algorithm 1): repeatedly pick the candidate farthest from
// its nearest center and make it a center, so that the picked batch with the labeled images
// covers the pool with the smallest radius the greedy 2-approximation finds.
//
// Distances are Euclidean, summed in double in a fixed order (embedding_math.h), so the
// result is the same on every machine and for every rank count that produced the embeddings. Ties go
// to the lower position (ascending global index in select()). A row with a non-finite
// feature has no distance: as a center it covers nothing, and as a candidate it is picked
// only after every other one.
#pragma once

#include <cstdint>
#include <vector>

namespace salient::selection {

struct EmbeddingRows {
  const float* values = nullptr;  ///< n × dim, row-major
  std::int64_t n = 0;
  std::int64_t dim = 0;
};

struct KCenterPicks {
  std::vector<std::int64_t> picked;  ///< positions, in the order picked
  /// For each pick, its distance to the nearest center when it was picked (the first pick
  /// without centers: to the mean; NaN for a row with a non-finite feature).
  std::vector<double> distances;
};

/// Picks min(@p count, eligible rows) rows of @p rows.
/// @param centers   n flags: rows that are centers from the start (the labeled images)
/// @param eligible  n flags: rows that may be picked (the unlabeled candidates)
/// Without any center, the first pick is the eligible row nearest the mean of the eligible
/// rows (the most central one), and the greedy goes on from there.
KCenterPicks k_center_greedy(const EmbeddingRows& rows, const std::vector<std::uint8_t>& centers,
                             const std::vector<std::uint8_t>& eligible, std::int64_t count);

}  // namespace salient::selection
