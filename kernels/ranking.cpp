#include "salient/kernels/ranking.h"

namespace salient::kernels {
namespace {

void check_pool(const PoolView& pool) { SALIENT_CHECK(pool.n >= 0, "negative pool size {}", pool.n); }

template <typename Score>
std::int64_t dispatch_top_k(const Score* scores, Direction direction, const PoolView& pool, std::int64_t k,
                            std::int64_t* selected, const ExecutionContext& ctx) {
  check_pool(pool);
  SALIENT_CHECK(k >= 0, "top-k needs k >= 0, got {}", k);
  if (pool.n == 0 || k == 0) return 0;
  if (ctx.backend == Backend::cuda) return cuda_impl::top_k(scores, direction, pool, k, selected, ctx.cuda_stream);
  return cpu_impl::top_k(scores, direction, pool, k, selected);
}

}  // namespace

RankSummary rank_scores(const float* scores, Direction direction, const PoolView& pool, double* ranks,
                        const ExecutionContext& ctx) {
  check_pool(pool);
  if (pool.n == 0) return {};
  if (ctx.backend == Backend::cuda) return cuda_impl::rank_scores(scores, direction, pool, ranks, ctx.cuda_stream);
  return cpu_impl::rank_scores(scores, direction, pool, ranks);
}

std::vector<RankSummary> borda_sums(const std::vector<BordaCriterion>& criteria, const PoolView& pool, double* sums,
                                    const ExecutionContext& ctx) {
  check_pool(pool);
  SALIENT_CHECK(!criteria.empty(), "a Borda count needs at least one criterion");
  if (pool.n == 0) return std::vector<RankSummary>(criteria.size());
  if (ctx.backend == Backend::cuda) return cuda_impl::borda_sums(criteria, pool, sums, ctx.cuda_stream);
  return cpu_impl::borda_sums(criteria, pool, sums);
}

std::int64_t top_k(const float* scores, Direction direction, const PoolView& pool, std::int64_t k,
                   std::int64_t* selected, const ExecutionContext& ctx) {
  return dispatch_top_k(scores, direction, pool, k, selected, ctx);
}

std::int64_t top_k(const double* scores, Direction direction, const PoolView& pool, std::int64_t k,
                   std::int64_t* selected, const ExecutionContext& ctx) {
  return dispatch_top_k(scores, direction, pool, k, selected, ctx);
}

}  // namespace salient::kernels
