// Reference twin of compute_glrlm: the batch binned by the binning twin, then per map and
// angle an (Ng+1) × (L+1) count matrix of runs and the features of detail/glrlm_terms.h.
#include <algorithm>
#include <vector>

#include "detail/glrlm_terms.h"
#include "detail/binned_maps.h"
#include "detail/parallel_for.h"
#include "salient/kernels/glrlm.h"

namespace salient::kernels::cpu_impl {
namespace {

template <typename Pixel>
void compute_glrlm_of(const BasicMapBatch<Pixel>& batch, const BinSpec& bins, double* features,
                      FeatureReason* reasons) {
  const detail::BinnedMapsCpu<Pixel> binned(batch, bins);
  const GlrlmAngles angles = glrlm_angles(batch.h, batch.w);
  const int run_dim = static_cast<int>(std::max(batch.h, batch.w)) + 1;
  detail::parallel_for(batch.n, [&](std::int64_t i) {
    thread_local std::vector<std::uint32_t> counts;
    const std::int32_t* map_levels = binned.levels(i);
    const detail::TextureMapStatus status = binned.status(i);
    double per_angle[4 * glrlm::kColumns] = {};
    std::uint8_t nonempty[4] = {};
    if (status.masked > 0 && status.finite && status.gray_levels <= kGlrlmMaxGrayLevels) {
      const int gray_dim = status.gray_levels + 1;
      counts.resize(static_cast<std::size_t>(gray_dim) * static_cast<std::size_t>(run_dim));
      for (int a = 0; a < angles.count; ++a) {
        std::fill(counts.begin(), counts.end(), 0u);
        for (std::int64_t y = 0; y < batch.h; ++y) {
          for (std::int64_t x = 0; x < batch.w; ++x) {
            const int length = detail::glrlm_run_at(map_levels, batch.h, batch.w, y, x, angles.dy[a], angles.dx[a]);
            if (length > 0) ++counts[static_cast<std::size_t>(map_levels[y * batch.w + x] * run_dim + length)];
          }
        }
        nonempty[a] = detail::size_matrix_statistics(counts.data(), gray_dim, run_dim, per_angle + a * glrlm::kColumns);
      }
    }
    detail::glrlm_average_angles(per_angle, nonempty, angles.count, status, kGlrlmMaxGrayLevels,
                                 features + i * glrlm::kColumns, reasons + i * glrlm::kColumns);
  });
}

}  // namespace

void compute_glrlm(const MapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons) {
  compute_glrlm_of(batch, bins, features, reasons);
}

void compute_glrlm(const DoubleMapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons) {
  compute_glrlm_of(batch, bins, features, reasons);
}

}  // namespace salient::kernels::cpu_impl
