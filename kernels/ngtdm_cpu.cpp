// Reference twin of compute_ngtdm: the batch binned by the binning twin, then per map n_i and
// s_i accumulated in row-major pixel order and the row of detail/ngtdm_terms.h.
#include <algorithm>
#include <cmath>
#include <vector>

#include "detail/ngtdm_terms.h"
#include "detail/binned_maps.h"
#include "detail/parallel_for.h"
#include "salient/kernels/ngtdm.h"

namespace salient::kernels::cpu_impl {
namespace {

template <typename Pixel>
void compute_ngtdm_of(const BasicMapBatch<Pixel>& batch, const BinSpec& bins, double* features,
                      FeatureReason* reasons) {
  const detail::BinnedMapsCpu<Pixel> binned(batch, bins);
  detail::parallel_for(batch.n, [&](std::int64_t i) {
    thread_local std::vector<std::uint32_t> counts;
    thread_local std::vector<double> differences;
    const std::int32_t* map_levels = binned.levels(i);
    const detail::TextureMapStatus status = binned.status(i);
    const int gray_dim = std::min(status.gray_levels, kNgtdmMaxGrayLevels) + 1;
    counts.assign(static_cast<std::size_t>(gray_dim), 0u);
    differences.assign(static_cast<std::size_t>(gray_dim), 0.0);
    if (status.masked > 0 && status.finite && status.gray_levels <= kNgtdmMaxGrayLevels) {
      for (std::int64_t y = 0; y < batch.h; ++y) {
        for (std::int64_t x = 0; x < batch.w; ++x) {
          double difference = 0;
          if (!detail::ngtdm_difference_at(map_levels, batch.h, batch.w, y, x, &difference)) continue;
          const auto level = static_cast<std::size_t>(map_levels[y * batch.w + x]);
          ++counts[level];
          differences[level] += difference;
        }
      }
    }
    detail::ngtdm_row(counts.data(), differences.data(), gray_dim, status, kNgtdmMaxGrayLevels,
                      features + i * ngtdm::kColumns, reasons + i * ngtdm::kColumns);
  });
}

}  // namespace

void compute_ngtdm(const MapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons) {
  compute_ngtdm_of(batch, bins, features, reasons);
}

void compute_ngtdm(const DoubleMapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons) {
  compute_ngtdm_of(batch, bins, features, reasons);
}

}  // namespace salient::kernels::cpu_impl
