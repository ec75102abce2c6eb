// Reference twin of compute_glszm: the batch binned by the binning twin, then per map a flood
// fill of each zone (8-connected pixels of one level), an (Ng+1) × (S+1) count matrix of the
// zones (S the largest zone) and the row of detail/glszm_terms.h.
#include <algorithm>
#include <vector>

#include "detail/binned_maps.h"
#include "detail/glszm_terms.h"
#include "detail/parallel_for.h"
#include "salient/kernels/glszm.h"

namespace salient::kernels::cpu_impl {
namespace {

/// (level, size) of every zone of one map's levels, found by flood fill.
std::vector<std::pair<int, std::int64_t>> zones_of(const std::int32_t* levels, std::int64_t h, std::int64_t w) {
  std::vector<std::pair<int, std::int64_t>> zones;
  std::vector<std::uint8_t> seen(static_cast<std::size_t>(h * w), 0);
  std::vector<std::int64_t> stack;
  for (std::int64_t start = 0; start < h * w; ++start) {
    if (levels[start] <= 0 || seen[static_cast<std::size_t>(start)]) continue;
    const std::int32_t level = levels[start];
    std::int64_t size = 0;
    stack.assign(1, start);
    seen[static_cast<std::size_t>(start)] = 1;
    while (!stack.empty()) {
      const std::int64_t p = stack.back();
      stack.pop_back();
      ++size;
      const std::int64_t y = p / w, x = p % w;
      for (int dy = -1; dy <= 1; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) {
          const std::int64_t ny = y + dy, nx = x + dx, q = ny * w + nx;
          if (ny < 0 || ny >= h || nx < 0 || nx >= w || seen[static_cast<std::size_t>(q)] || levels[q] != level) continue;
          seen[static_cast<std::size_t>(q)] = 1;
          stack.push_back(q);
        }
      }
    }
    zones.emplace_back(level, size);
  }
  return zones;
}

template <typename Pixel>
void compute_glszm_of(const BasicMapBatch<Pixel>& batch, const BinSpec& bins, double* features,
                      FeatureReason* reasons) {
  const detail::BinnedMapsCpu<Pixel> binned(batch, bins);
  detail::parallel_for(batch.n, [&](std::int64_t i) {
    thread_local std::vector<std::uint32_t> counts;
    const detail::TextureMapStatus status = binned.status(i);
    int size_dim = 1;
    if (status.masked > 0 && status.finite && status.gray_levels <= kGlszmMaxGrayLevels) {
      const auto zones = zones_of(binned.levels(i), batch.h, batch.w);
      for (const auto& zone : zones) size_dim = std::max(size_dim, static_cast<int>(zone.second) + 1);
      counts.assign(static_cast<std::size_t>(status.gray_levels + 1) * static_cast<std::size_t>(size_dim), 0u);
      for (const auto& [level, size] : zones) ++counts[static_cast<std::size_t>(level * size_dim + size)];
    }
    detail::glszm_row(counts.data(), size_dim, status, kGlszmMaxGrayLevels, features + i * glszm::kColumns,
                      reasons + i * glszm::kColumns);
  });
}

}  // namespace

void compute_glszm(const MapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons) {
  compute_glszm_of(batch, bins, features, reasons);
}

void compute_glszm(const DoubleMapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons) {
  compute_glszm_of(batch, bins, features, reasons);
}

}  // namespace salient::kernels::cpu_impl
