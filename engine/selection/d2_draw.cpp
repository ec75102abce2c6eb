#include "engine/selection/d2_draw.h"

#include <algorithm>
#include <cmath>

namespace salient::selection {

double d2_weight_scale(const std::vector<double>& nearest, const std::vector<std::uint8_t>& open,
                       const std::vector<std::uint8_t>& usable, RankGroup& group) {
  struct Extent {
    double largest;
    std::int64_t count;
  };
  Extent mine{0.0, 0};
  for (std::size_t i = 0; i < nearest.size(); ++i) {
    if (open[i] == 0 || usable[i] == 0) continue;
    mine.largest = std::max(mine.largest, nearest[i]);
    ++mine.count;
  }
  Extent all{0.0, 0};
  for (const auto& extent : all_gather_value(group, mine)) {
    all.largest = std::max(all.largest, extent.largest);
    all.count += extent.count;
  }
  if (all.count == 0 || !(all.largest > 0.0)) return 0.0;
  int width = 0;
  for (auto rest = static_cast<std::uint64_t>(all.count); rest != 0; rest >>= 1) ++width;
  return std::ldexp(1.0, 62 - width) / all.largest;
}

std::size_t d2_draw(const std::vector<double>& nearest, const std::vector<std::uint8_t>& open,
                    const std::vector<std::uint8_t>& usable, const kernels::RandomKey& key, std::int64_t step,
                    RankGroup& group) {
  const std::size_t n = nearest.size();
  const double scale = d2_weight_scale(nearest, open, usable, group);
  if (scale == 0.0) return kNoWeight;
  const auto weight = [&](std::size_t i) { return static_cast<std::uint64_t>(nearest[i] * scale); };
  std::uint64_t local = 0;
  for (std::size_t i = 0; i < n; ++i) local += open[i] != 0 && usable[i] != 0 ? weight(i) : 0;
  const auto totals = all_gather_value(group, local);
  std::uint64_t offset = 0, total = 0;
  for (int r = 0; r < static_cast<int>(totals.size()); ++r) {
    if (r < group.rank()) offset += totals[static_cast<std::size_t>(r)];
    total += totals[static_cast<std::size_t>(r)];
  }
  __extension__ typedef unsigned __int128 Wide;
  const auto u53 = static_cast<std::uint64_t>(std::ldexp(kernels::counter_uniform(key, step), 53));
  const auto target = static_cast<std::uint64_t>((static_cast<Wide>(u53) * total) >> 53);
  if (target < offset || target >= offset + local) return n;
  std::uint64_t running = offset;
  for (std::size_t i = 0; i < n; ++i) {
    if (open[i] == 0 || usable[i] == 0) continue;
    running += weight(i);
    if (running > target) return i;
  }
  return n;
}

}  // namespace salient::selection
