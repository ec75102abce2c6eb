#include "salient/kernels/shape2d.h"

#include <cmath>

namespace salient::kernels {
namespace {

void check_shape2d_params(const Shape2DParams& params) {
  if (params.threshold == Shape2DParams::Threshold::quantile) {
    SALIENT_CHECK(params.quantile >= 0.0 && params.quantile <= 1.0, "shape2D quantile must lie in [0, 1], got {}",
                  params.quantile);
  } else {
    SALIENT_CHECK(std::isfinite(params.level), "shape2D threshold level must be finite, got {}", params.level);
  }
}

}  // namespace

void compute_shape2d(const MapBatch& batch, const Shape2DParams& params, double* features, FeatureReason* reasons,
                     const ExecutionContext& ctx) {
  check_map_batch(batch);
  check_shape2d_params(params);
  if (batch.n == 0) return;
  if (ctx.backend == Backend::cuda) {
    cuda_impl::compute_shape2d(batch, params, features, reasons, ctx.cuda_stream);
  } else {
    cpu_impl::compute_shape2d(batch, params, features, reasons);
  }
}

void compute_shape2d(const DoubleMapBatch& batch, const Shape2DParams& params, double* features,
                     FeatureReason* reasons, const ExecutionContext& ctx) {
  check_map_batch(batch);
  check_shape2d_params(params);
  check_double_maps_on_cpu(ctx, "compute_shape2d");
  if (batch.n == 0) return;
  cpu_impl::compute_shape2d(batch, params, features, reasons);
}

}  // namespace salient::kernels
