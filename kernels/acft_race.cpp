// ACFT eq. 4 and the exponential race, on the host for both twins: the kept list is a few
// thousand candidates, and one implementation makes the twins select the same ones.
#include "detail/acft_race.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "salient/kernels/counter_random.h"

namespace salient::kernels::detail {

std::int64_t acft_kept_count(const AcftDrawConfig& config) {
  SALIENT_CHECK(config.batch_size >= 1, "ACFT draw needs a batch size b >= 1, got {}", config.batch_size);
  SALIENT_CHECK(config.random_extension >= 1, "ACFT random extension omega must be >= 1, got {}",
                config.random_extension);
  SALIENT_CHECK(config.batch_size <= std::numeric_limits<std::int64_t>::max() / config.random_extension,
                "ACFT omega * b overflows: omega = {}, b = {}", config.random_extension, config.batch_size);
  return config.batch_size * config.random_extension;
}

std::vector<std::int64_t> acft_race(const std::vector<float>& kept_scores,
                                    const std::vector<std::int64_t>& kept_global_index, const AcftDrawConfig& config) {
  const auto kept = static_cast<std::int64_t>(kept_scores.size());
  const auto finite = static_cast<std::int64_t>(
      std::find_if(kept_scores.begin(), kept_scores.end(), [](float a) { return std::isnan(a); }) -
      kept_scores.begin());
  for (std::int64_t r = 0; r < finite; ++r) {
    SALIENT_CHECK(std::isfinite(kept_scores[r]), "ACFT draw: score {} of image {} is infinite", kept_scores[r],
                  kept_global_index[r]);
  }
  const double top = finite > 0 ? kept_scores.front() : 0.0;
  const double bottom = finite > 0 ? kept_scores[finite - 1] : 0.0;

  // log(E_i / a'_i) = ln(−ln u_i) − ln a'_i: finite for every positive weight, +inf for 0.
  std::vector<double> log_time(kept);
  const RandomKey key{config.seed, config.round, RandomStream::acft_draw};
  for (std::int64_t r = 0; r < kept; ++r) {
    const double weight = r >= finite ? 0.0 : top == bottom ? 1.0 : (kept_scores[r] - bottom) / (top - bottom);
    const double u = counter_uniform(key, kept_global_index[r]);
    log_time[r] = weight > 0.0 ? std::log(-std::log(u)) - std::log(weight) : std::numeric_limits<double>::infinity();
  }
  std::vector<std::int64_t> order(kept);
  std::iota(order.begin(), order.end(), std::int64_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::int64_t a, std::int64_t b) { return log_time[a] < log_time[b]; });
  order.resize(std::min(config.batch_size, kept));
  return order;
}

}  // namespace salient::kernels::detail
