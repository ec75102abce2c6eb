#include "salient/kernels/acft_draw.h"

#include "detail/acft_race.h"

namespace salient::kernels {

std::int64_t acft_randomized_draw(const float* scores, const PoolView& pool, const AcftDrawConfig& config,
                                  std::int64_t* selected, const ExecutionContext& ctx) {
  SALIENT_CHECK(pool.n >= 0, "negative pool size {}", pool.n);
  detail::acft_kept_count(config);  // validates b and omega
  if (pool.n == 0) return 0;
  if (ctx.backend == Backend::cuda)
    return cuda_impl::acft_randomized_draw(scores, pool, config, selected, ctx.cuda_stream);
  return cpu_impl::acft_randomized_draw(scores, pool, config, selected);
}

}  // namespace salient::kernels
