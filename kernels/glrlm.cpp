#include "salient/kernels/glrlm.h"

namespace salient::kernels {

GlrlmAngles glrlm_angles(std::int64_t h, std::int64_t w) {
  // PyRadiomics' order at distance 1 in one half-plane; an angle needs two pixels along it.
  constexpr int kDy[] = {0, 1, 1, 1};
  constexpr int kDx[] = {1, -1, 0, 1};
  GlrlmAngles angles;
  for (int a = 0; a < 4; ++a) {
    if ((kDy[a] != 0 && h < 2) || (kDx[a] != 0 && w < 2)) continue;
    angles.dy[angles.count] = kDy[a];
    angles.dx[angles.count] = kDx[a];
    ++angles.count;
  }
  return angles;
}

void compute_glrlm(const MapBatch& batch, const GlrlmParams& params, double* features, FeatureReason* reasons,
                   const ExecutionContext& ctx) {
  check_map_batch(batch);
  check_bin_spec(params.bins);
  if (batch.n == 0) return;
  if (ctx.backend == Backend::cuda) {
    cuda_impl::compute_glrlm(batch, params.bins, features, reasons, ctx.cuda_stream);
  } else {
    cpu_impl::compute_glrlm(batch, params.bins, features, reasons);
  }
}

void compute_glrlm(const DoubleMapBatch& batch, const GlrlmParams& params, double* features, FeatureReason* reasons,
                   const ExecutionContext& ctx) {
  check_map_batch(batch);
  check_bin_spec(params.bins);
  check_double_maps_on_cpu(ctx, "compute_glrlm");
  if (batch.n == 0) return;
  cpu_impl::compute_glrlm(batch, params.bins, features, reasons);
}

}  // namespace salient::kernels
