// Reference twin of summarize_maps: double accumulation, maps in parallel.
#include <algorithm>
#include <limits>

#include "detail/parallel_for.h"
#include "salient/kernels/map_summary.h"

namespace salient::kernels::cpu_impl {

void summarize_maps(const MapBatch& batch, MapSummary* out) {
  const std::int64_t pixels = batch.h * batch.w;
  detail::parallel_for(batch.n, [&](std::int64_t i) {
    const float* map = batch.maps + i * pixels;
    const std::uint8_t* mask = batch.masks ? batch.masks + i * pixels : nullptr;
    MapSummary s;
    s.min = std::numeric_limits<double>::infinity();
    s.max = -std::numeric_limits<double>::infinity();
    for (std::int64_t p = 0; p < pixels; ++p) {
      if (mask && !mask[p]) continue;
      const double v = map[p];
      ++s.count;
      s.min = std::min(s.min, v);
      s.max = std::max(s.max, v);
      s.sum += v;
    }
    if (s.count == 0) s.min = s.max = std::numeric_limits<double>::quiet_NaN();
    out[i] = s;
  });
}

}  // namespace salient::kernels::cpu_impl
