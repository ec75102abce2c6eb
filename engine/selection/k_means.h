// k-means (Lloyd, "Least squares quantization in PCM", 1982) from k-means++ seeding (Arthur &
// Vassilvitskii, SODA 2007) on embedding rows spread over ranks, the same bits for any rank
// count. IDEAL's deep features (IDEAL Algorithm 2, steps 4–5) cluster the saliency
// autoencoder's latent vectors into K clusters and query each cluster's representative, the
// member nearest its centroid.
//
// Seeding, greedy k-means++ (Arthur & Vassilvitskii Sec. 6, scikit-learn's default): the
// first center is drawn uniformly; each next one is the best of L = 2 + ⌊ln K⌋ candidates
// drawn by D² (d2_draw.h), the one of least potential Σ_x min(D(x)², d(x, candidate)²),
// summed in the draw's integer weights so that the sum is exact for any split over ranks (the
// first candidate wins a tie). Draw t of step s uses the counter uniform of (seed, round,
// stream k_means_seeding, s·L + t). When fewer than K distinct rows exist, seeding stops
// early and there are fewer clusters. Lloyd's iterations: every row
// joins its nearest centroid (squared Euclidean distance summed in double in a fixed order;
// the lower cluster on a tie); every centroid becomes the exact mean of its members
// (exact_means.h); a cluster left without members keeps its centroid. They stop when no row
// changes cluster, or after max_iterations. The representative of a cluster is its member
// nearest the centroid, the lower global index on a tie.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/selection/k_center.h"
#include "engine/selection/rank_group.h"

namespace salient::selection {

struct KMeansOptions {
  std::int32_t clusters = 10;         ///< K
  std::int32_t max_iterations = 100;  ///< of Lloyd's
  std::uint64_t seed = 0;
  std::uint32_t round = 0;
};

struct KMeansResult {
  std::vector<double> centroids;              ///< clusters × dim
  std::vector<std::int64_t> members;          ///< per cluster, over every rank
  std::vector<std::int64_t> representatives;  ///< per cluster, a global index (−1: no member)
  std::vector<std::int32_t> cluster_of;       ///< this rank's rows; −1: not eligible or not finite
  std::int32_t iterations = 0;                ///< Lloyd's iterations run
  bool converged = false;                     ///< the last one changed no row's cluster
  std::int32_t clusters() const { return static_cast<std::int32_t>(members.size()); }
};

/// k-means of the eligible rows of every rank whose features are all finite.
/// @param global_index  this rank's ascending global indices, above the previous rank's
///                      (nullptr: 0…n−1 on one process)
KMeansResult k_means(const EmbeddingRows& rows, const std::vector<std::uint8_t>& eligible,
                     const KMeansOptions& options, const std::int64_t* global_index = nullptr,
                     RankGroup& group = single_process());

}  // namespace salient::selection
