// Reference twin of acft_randomized_draw: top ω·b by the CPU top-k, then the shared race.
#include <algorithm>
#include <vector>

#include "detail/acft_race.h"
#include "salient/kernels/acft_draw.h"

namespace salient::kernels::cpu_impl {

std::int64_t acft_randomized_draw(const float* scores, const PoolView& pool, const AcftDrawConfig& config,
                                  std::int64_t* selected) {
  std::vector<std::int64_t> kept(std::min(detail::acft_kept_count(config), pool.n));
  kept.resize(top_k(scores, Direction::descending, pool, static_cast<std::int64_t>(kept.size()), kept.data()));
  std::vector<float> kept_scores(kept.size());
  std::vector<std::int64_t> kept_global_index(kept.size());
  for (std::size_t r = 0; r < kept.size(); ++r) {
    kept_scores[r] = scores[kept[r]];
    kept_global_index[r] = pool.global_index ? pool.global_index[kept[r]] : kept[r];
  }
  const auto winners = detail::acft_race(kept_scores, kept_global_index, config);
  for (std::size_t w = 0; w < winners.size(); ++w) selected[w] = kept[winners[w]];
  return static_cast<std::int64_t>(winners.size());
}

}  // namespace salient::kernels::cpu_impl
