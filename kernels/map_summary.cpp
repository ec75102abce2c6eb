#include "salient/kernels/map_summary.h"

namespace salient::kernels {

void summarize_maps(const MapBatch& batch, MapSummary* out, const ExecutionContext& ctx) {
  SALIENT_CHECK(batch.n >= 0 && batch.h > 0 && batch.w > 0, "invalid map batch shape {}x{}x{}", batch.n,
                batch.h, batch.w);
  if (batch.n == 0) return;
  if (ctx.backend == Backend::cuda) {
    cuda_impl::summarize_maps(batch, out, ctx.cuda_stream);
  } else {
    cpu_impl::summarize_maps(batch, out);
  }
}

}  // namespace salient::kernels
