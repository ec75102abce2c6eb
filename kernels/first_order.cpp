#include "salient/kernels/first_order.h"

namespace salient::kernels {

void compute_first_order(const MapBatch& batch, const FirstOrderParams& params, double* features,
                         FeatureReason* reasons, const ExecutionContext& ctx) {
  SALIENT_CHECK(batch.n >= 0 && batch.h > 0 && batch.w > 0, "invalid map batch shape {}x{}x{}", batch.n,
                batch.h, batch.w);
  check_bin_spec(params.bins);
  if (batch.n == 0) return;
  if (ctx.backend == Backend::cuda) {
    cuda_impl::compute_first_order(batch, params, features, reasons, ctx.cuda_stream);
  } else {
    cpu_impl::compute_first_order(batch, params, features, reasons);
  }
}

}  // namespace salient::kernels
