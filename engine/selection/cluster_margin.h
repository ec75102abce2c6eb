// Cluster-Margin (Citovsky et al., "Batch Active Learning at Scale", NeurIPS 2021,
// Algorithm 1): cluster the pool's embeddings once with average-linkage agglomerative
// clustering, then each round take the m·B unlabeled candidates of smallest margin and pick
// from their clusters round-robin, smallest cluster first, so that the batch is uncertain
// and spread over the pool's modes.
//
// To scale, the clustering runs on a sample of the pool and every image joins the cluster of
// the nearest sample centroid. The sample is the S images of smallest counter uniform
// (seed, stream cluster_sample, global index): the same images for any row order or rank
// count. Average linkage is merged by the nearest-neighbour chain (Murtagh 1983), O(S²)
// time and memory, until `clusters` clusters are left; distances are Euclidean in double,
// ties go to the lower sample position.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/selection/k_center.h"

namespace salient::selection {

/// Each row's cluster in [0, clusters): the clusters of the average-linkage dendrogram of
/// the sampled rows cut at @p clusters, numbered by their first sampled row in ascending
/// global index; every other row joins the cluster of the nearest sampled mean (ties: lower
/// number).
/// Rows with a non-finite feature are neither sampled nor assigned: cluster −1. Across
/// ranks, each rank passes its own rows and gets their clusters: the ranks' smallest draws
/// are gathered to form the sample, the same on every rank.
std::vector<std::int32_t> cluster_embeddings(const EmbeddingRows& rows, const std::vector<std::int64_t>& global_index,
                                             std::int64_t clusters, std::int64_t sample, std::uint64_t seed,
                                             RankGroup& group = single_process());

/// Positions picked from @p shortlist (in the order of increasing margin, as ranked) by
/// visiting their clusters round-robin, clusters with fewer shortlisted candidates first
/// (ties: lower number), each cluster's candidates in shortlist order; at most @p count.
/// Candidates of cluster −1 form a cluster of their own, visited last.
std::vector<std::int64_t> round_robin_over_clusters(const std::vector<std::int64_t>& shortlist,
                                                    const std::vector<std::int32_t>& cluster, std::int64_t count);

}  // namespace salient::selection
