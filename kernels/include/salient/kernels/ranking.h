// Ranking primitives over the whole pool: per-criterion ranks, Borda sums, top-k.
// Order (DESIGN.md "Criteria formulas", docs/formulas.md "Ranking"):
//   - rank 1 is the most informative: the largest score for Direction::descending,
//     the smallest for Direction::ascending;
//   - equal scores share the average of the ranks they occupy (scipy.stats.rankdata's
//     "average"); −0 and +0 are equal;
//   - NaN scores rank after every number, all tied (and counted);
//   - labeled candidates are neither ranked (rank NaN) nor selected;
//   - where an order is needed among equal scores (top-k), the lower position comes
//     first: candidates are given in ascending global-index order.
#pragma once

#include <cstdint>
#include <vector>

#include "salient/check.h"
#include "salient/kernels/criterion.h"
#include "salient/kernels/execution.h"

namespace salient::kernels {

/// The n candidates of a pool, in ascending global-index order.
struct PoolView {
  std::int64_t n = 0;
  /// n flags, nonzero = already labeled (excluded); nullptr = none labeled.
  const std::uint8_t* labeled = nullptr;
  /// n global image indices (≥ 0) that key the random draws; nullptr = 0…n−1.
  const std::int64_t* global_index = nullptr;
};

struct RankSummary {
  std::int64_t ranked = 0;     ///< candidates that are not labeled
  std::int64_t nan_count = 0;  ///< of which have a NaN score (ranked last)
};

/// ranks[i] = the average rank of scores[i] among the unlabeled candidates, NaN for a
/// labeled one. Arrays live in memory of @p ctx's backend; the CUDA twin synchronises its
/// stream to return the summary.
/// Performance: one sort of n keys (CUB radix sort on the GPU).
RankSummary rank_scores(const float* scores, Direction direction, const PoolView& pool, double* ranks,
                        const ExecutionContext& ctx);

struct BordaCriterion {
  const float* scores = nullptr;  ///< n scores in memory of the backend
  Direction direction = Direction::descending;
};

/// Borda count: sums[i] = Σ_c rank_c(i) over @p criteria (smaller = more informative),
/// NaN for a labeled candidate. Returns one summary per criterion.
std::vector<RankSummary> borda_sums(const std::vector<BordaCriterion>& criteria, const PoolView& pool, double* sums,
                                    const ExecutionContext& ctx);

/// The positions of the min(k, unlabeled) first candidates in ranking order, best first,
/// ties by position; NaN scores come after every number. Returns how many were written.
std::int64_t top_k(const float* scores, Direction direction, const PoolView& pool, std::int64_t k,
                   std::int64_t* selected, const ExecutionContext& ctx);
/// top_k of double scores (Borda sums, uniforms).
std::int64_t top_k(const double* scores, Direction direction, const PoolView& pool, std::int64_t k,
                   std::int64_t* selected, const ExecutionContext& ctx);

namespace cpu_impl {
RankSummary rank_scores(const float* scores, Direction direction, const PoolView& pool, double* ranks);
std::vector<RankSummary> borda_sums(const std::vector<BordaCriterion>& criteria, const PoolView& pool, double* sums);
std::int64_t top_k(const float* scores, Direction direction, const PoolView& pool, std::int64_t k,
                   std::int64_t* selected);
std::int64_t top_k(const double* scores, Direction direction, const PoolView& pool, std::int64_t k,
                   std::int64_t* selected);
}  // namespace cpu_impl

namespace cuda_impl {
#ifdef SALIENT_WITH_CUDA
RankSummary rank_scores(const float* scores, Direction direction, const PoolView& pool, double* ranks,
                        void* cuda_stream);
std::vector<RankSummary> borda_sums(const std::vector<BordaCriterion>& criteria, const PoolView& pool, double* sums,
                                    void* cuda_stream);
std::int64_t top_k(const float* scores, Direction direction, const PoolView& pool, std::int64_t k,
                   std::int64_t* selected, void* cuda_stream);
std::int64_t top_k(const double* scores, Direction direction, const PoolView& pool, std::int64_t k,
                   std::int64_t* selected, void* cuda_stream);
#else
inline RankSummary rank_scores(const float*, Direction, const PoolView&, double*, void*) {
  throw Error("salient was built without CUDA: rank_scores has no CUDA twin");
}
inline std::vector<RankSummary> borda_sums(const std::vector<BordaCriterion>&, const PoolView&, double*, void*) {
  throw Error("salient was built without CUDA: borda_sums has no CUDA twin");
}
template <typename Score>
std::int64_t top_k(const Score*, Direction, const PoolView&, std::int64_t, std::int64_t*, void*) {
  throw Error("salient was built without CUDA: top_k has no CUDA twin");
}
#endif
}  // namespace cuda_impl

}  // namespace salient::kernels
