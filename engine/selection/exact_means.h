// Means of embedding rows that are the same bits for any split of the rows over ranks: each
// feature in fixed point (2⁻⁶⁴ units, truncated toward zero), summed as 128-bit integers,
// which add exactly in any order; only the final division rounds. k-center's first mean and
// k-means' centroids use them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/selection/k_center.h"
#include "engine/selection/rank_group.h"

namespace salient::selection {

struct GroupMeans {
  std::vector<double> means;          ///< groups × dim; a group without rows: zeros
  std::vector<std::int64_t> members;  ///< per group, over every rank
};

/// The mean of each group's rows over every rank of @p group: row i of this rank belongs to
/// group_of[i] (< 0: to none). Every rank calls it. Throws salient::Error, naming @p what,
/// on every rank alike when a feature of a counted row is 2⁴⁰ or more in magnitude.
GroupMeans exact_group_means(const EmbeddingRows& rows, const std::vector<std::int32_t>& group_of,
                             std::int32_t groups, RankGroup& group, const std::string& what);

}  // namespace salient::selection
