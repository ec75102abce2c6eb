// Reference twin of compute_gldm: the batch binned by the binning twin, then per map an
// (Ng+1) × 10 dependence count matrix and the row of detail/gldm_terms.h.
#include <algorithm>
#include <cmath>
#include <vector>

#include "detail/gldm_terms.h"
#include "detail/binned_maps.h"
#include "detail/parallel_for.h"
#include "salient/kernels/gldm.h"

namespace salient::kernels::cpu_impl {
namespace {

template <typename Pixel>
void compute_gldm_of(const BasicMapBatch<Pixel>& batch, const BinSpec& bins, double* features,
                     FeatureReason* reasons) {
  const detail::BinnedMapsCpu<Pixel> binned(batch, bins);
  detail::parallel_for(batch.n, [&](std::int64_t i) {
    thread_local std::vector<std::uint32_t> counts;
    const std::int32_t* map_levels = binned.levels(i);
    const detail::TextureMapStatus status = binned.status(i);
    const int gray_dim = std::min(status.gray_levels, kGldmMaxGrayLevels) + 1;
    counts.assign(static_cast<std::size_t>(gray_dim) * gldm::kDependenceSizes, 0u);
    if (status.masked > 0 && status.finite && status.gray_levels <= kGldmMaxGrayLevels) {
      for (std::int64_t y = 0; y < batch.h; ++y) {
        for (std::int64_t x = 0; x < batch.w; ++x) {
          const int dependence = detail::gldm_dependence_at(map_levels, batch.h, batch.w, y, x);
          if (dependence > 0) ++counts[static_cast<std::size_t>(map_levels[y * batch.w + x] * gldm::kDependenceSizes + dependence)];
        }
      }
    }
    detail::gldm_row(counts.data(), status, kGldmMaxGrayLevels, features + i * gldm::kColumns,
                     reasons + i * gldm::kColumns);
  });
}

}  // namespace

void compute_gldm(const MapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons) {
  compute_gldm_of(batch, bins, features, reasons);
}

void compute_gldm(const DoubleMapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons) {
  compute_gldm_of(batch, bins, features, reasons);
}

}  // namespace salient::kernels::cpu_impl
