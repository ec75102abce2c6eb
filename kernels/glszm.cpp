#include "salient/kernels/glszm.h"

namespace salient::kernels {

void compute_glszm(const MapBatch& batch, const GlszmParams& params, double* features, FeatureReason* reasons,
                  const ExecutionContext& ctx) {
  check_map_batch(batch);
  check_bin_spec(params.bins);
  if (batch.n == 0) return;
  if (ctx.backend == Backend::cuda) {
    cuda_impl::compute_glszm(batch, params.bins, features, reasons, ctx.cuda_stream);
  } else {
    cpu_impl::compute_glszm(batch, params.bins, features, reasons);
  }
}

void compute_glszm(const DoubleMapBatch& batch, const GlszmParams& params, double* features, FeatureReason* reasons,
                  const ExecutionContext& ctx) {
  check_map_batch(batch);
  check_bin_spec(params.bins);
  check_double_maps_on_cpu(ctx, "compute_glszm");
  if (batch.n == 0) return;
  cpu_impl::compute_glszm(batch, params.bins, features, reasons);
}

}  // namespace salient::kernels
