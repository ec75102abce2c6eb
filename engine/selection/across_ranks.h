// The ranking primitives of selection over the candidates of every rank of a RankGroup
// (rank_group.h), each rank passing its own candidates in ascending global-index order:
//   - top_across_ranks: each rank's top k (kernels::top_k) are gathered and merged in the
//     same order (NaN after every number, ties by global index), so the result is the top k
//     of the union, as one process with every row would rank it;
//   - rank_across_ranks: kernels::rank_scores over the union (average ranks of ties, NaN
//     last), by exact counting: every rank's sorted values visit every other rank in turn,
//     one rank's block at a time (memory O(N/R)), and each candidate counts the values
//     better than and equal to its own in one walk of both sorted runs. Ranks are integers
//     or halves, so they are exact.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/selection/rank_group.h"
#include "salient/kernels/criterion.h"
#include "salient/kernels/ranking.h"

namespace salient::selection {

/// One selected candidate: its global index and its strategy's score.
struct Pick {
  std::int64_t global_index = 0;
  double score = 0.0;
};

/// The min(k, unlabeled over all ranks) best candidates, best first, on every rank.
std::vector<Pick> top_across_ranks(const float* scores, kernels::Direction direction, const kernels::PoolView& pool,
                                   std::int64_t k, RankGroup& group);
std::vector<Pick> top_across_ranks(const double* scores, kernels::Direction direction, const kernels::PoolView& pool,
                                   std::int64_t k, RankGroup& group);

/// ranks[i] of this rank's candidates among the unlabeled candidates of every rank; the
/// summary counts every rank's.
kernels::RankSummary rank_across_ranks(const float* scores, kernels::Direction direction, const kernels::PoolView& pool,
                                       double* ranks, RankGroup& group);

/// Throws salient::Error unless every rank's global indices lie above the previous rank's
/// (what the distributed draws of BADGE rely on); @p global_index ascending, @p n of them.
void check_rank_blocks(const std::int64_t* global_index, std::int64_t n, RankGroup& group);

}  // namespace salient::selection
