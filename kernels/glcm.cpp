#include "salient/kernels/glcm.h"

#include <algorithm>

namespace salient::kernels {

std::vector<GlcmOffset> glcm_offsets(const std::vector<int>& distances) {
  SALIENT_CHECK(!distances.empty(), "GLCM needs at least one distance");
  std::vector<int> unique = distances;
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  std::vector<GlcmOffset> offsets;
  for (const int d : unique) {
    SALIENT_CHECK(d >= 1, "GLCM distances must be >= 1, got {}", d);
    SALIENT_CHECK(static_cast<int>(offsets.size()) + 4 * d <= kGlcmMaxOffsets,
                  "GLCM distances give more than {} offsets (distance d adds 4d)", kGlcmMaxOffsets);
    // Chebyshev norm exactly d, one of each pair ±(dy, dx): dy > 0, or dy = 0 and dx > 0.
    for (int dy = 0; dy <= d; ++dy) {
      for (int dx = -d; dx <= d; ++dx) {
        if (std::max(dy, std::abs(dx)) != d || (dy == 0 && dx <= 0)) continue;
        offsets.push_back({dy, dx});
      }
    }
  }
  return offsets;
}

void compute_glcm(const MapBatch& batch, const GlcmParams& params, double* features, FeatureReason* reasons,
                  const ExecutionContext& ctx) {
  check_map_batch(batch);
  check_bin_spec(params.bins);
  const std::vector<GlcmOffset> offsets = glcm_offsets(params.distances);
  if (batch.n == 0) return;
  if (ctx.backend == Backend::cuda) {
    cuda_impl::compute_glcm(batch, params.bins, offsets, features, reasons, ctx.cuda_stream);
  } else {
    cpu_impl::compute_glcm(batch, params.bins, offsets, features, reasons);
  }
}

void compute_glcm(const DoubleMapBatch& batch, const GlcmParams& params, double* features, FeatureReason* reasons,
                  const ExecutionContext& ctx) {
  check_map_batch(batch);
  check_bin_spec(params.bins);
  check_double_maps_on_cpu(ctx, "compute_glcm");
  const std::vector<GlcmOffset> offsets = glcm_offsets(params.distances);
  if (batch.n == 0) return;
  cpu_impl::compute_glcm(batch, params.bins, offsets, features, reasons);
}

}  // namespace salient::kernels
