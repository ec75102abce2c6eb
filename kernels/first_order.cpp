#include "salient/kernels/first_order.h"

namespace salient::kernels {

void compute_first_order(const MapBatch& batch, const FirstOrderParams& params, double* features,
                         FeatureReason* reasons, const ExecutionContext& ctx) {
  check_map_batch(batch);
  check_bin_spec(params.bins);
  if (batch.n == 0) return;
  if (ctx.backend == Backend::cuda) {
    cuda_impl::compute_first_order(batch, params, features, reasons, ctx.cuda_stream);
  } else {
    cpu_impl::compute_first_order(batch, params, features, reasons);
  }
}

void compute_first_order(const DoubleMapBatch& batch, const FirstOrderParams& params, double* features,
                         FeatureReason* reasons, const ExecutionContext& ctx) {
  check_map_batch(batch);
  check_bin_spec(params.bins);
  check_double_maps_on_cpu(ctx, "compute_first_order");
  if (batch.n == 0) return;
  cpu_impl::compute_first_order(batch, params, features, reasons);
}

}  // namespace salient::kernels
