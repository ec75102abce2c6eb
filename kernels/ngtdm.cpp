#include "salient/kernels/ngtdm.h"

namespace salient::kernels {

void compute_ngtdm(const MapBatch& batch, const NgtdmParams& params, double* features, FeatureReason* reasons,
                  const ExecutionContext& ctx) {
  check_map_batch(batch);
  check_bin_spec(params.bins);
  if (batch.n == 0) return;
  if (ctx.backend == Backend::cuda) {
    cuda_impl::compute_ngtdm(batch, params.bins, features, reasons, ctx.cuda_stream);
  } else {
    cpu_impl::compute_ngtdm(batch, params.bins, features, reasons);
  }
}

void compute_ngtdm(const DoubleMapBatch& batch, const NgtdmParams& params, double* features, FeatureReason* reasons,
                  const ExecutionContext& ctx) {
  check_map_batch(batch);
  check_bin_spec(params.bins);
  check_double_maps_on_cpu(ctx, "compute_ngtdm");
  if (batch.n == 0) return;
  cpu_impl::compute_ngtdm(batch, params.bins, features, reasons);
}

}  // namespace salient::kernels
