// Reference twin of discretize_maps: masked range, PyRadiomics' edges, numpy.digitize.
#include <algorithm>
#include <cmath>
#include <limits>

#include "detail/binning_terms.h"
#include "detail/parallel_for.h"
#include "salient/kernels/binning.h"

namespace salient::kernels::cpu_impl {
namespace {

template <typename Pixel>
void discretize(const BasicMapBatch<Pixel>& batch, const BinSpec& spec, std::int32_t* levels,
                std::int32_t* gray_levels) {
  const std::int64_t pixels = batch.h * batch.w;
  detail::parallel_for(batch.n, [&](std::int64_t i) {
    const Pixel* map = batch.maps + i * pixels;
    const std::uint8_t* mask = batch.masks ? batch.masks + i * pixels : nullptr;
    std::int32_t* out = levels + i * pixels;
    Pixel minimum = std::numeric_limits<Pixel>::infinity();
    Pixel maximum = -std::numeric_limits<Pixel>::infinity();
    bool usable = true;
    std::int64_t count = 0;
    for (std::int64_t p = 0; p < pixels; ++p) {
      if (mask && !mask[p]) continue;
      usable = usable && std::isfinite(map[p]);
      minimum = std::min(minimum, map[p]);
      maximum = std::max(maximum, map[p]);
      ++count;
    }
    std::fill(out, out + pixels, 0);
    gray_levels[i] = 0;
    if (count == 0 || !usable) return;
    const auto edges = detail::make_bin_edges(spec, minimum, maximum);
    for (std::int64_t p = 0; p < pixels; ++p) {
      if (mask && !mask[p]) continue;
      out[p] = edges.level(map[p]);
    }
    gray_levels[i] = edges.level(maximum);  // levels never decrease with the value
  });
}

}  // namespace

void discretize_maps(const MapBatch& batch, const BinSpec& spec, std::int32_t* levels, std::int32_t* gray_levels) {
  discretize(batch, spec, levels, gray_levels);
}

void discretize_maps(const DoubleMapBatch& batch, const BinSpec& spec, std::int32_t* levels,
                     std::int32_t* gray_levels) {
  discretize(batch, spec, levels, gray_levels);
}

}  // namespace salient::kernels::cpu_impl
