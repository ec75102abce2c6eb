// First-order formulas written once for both twins (radiomics/firstorder.py). The twins
// accumulate FirstOrderSums from each map's masked values in their own order (CPU: in pixel
// order, sequentially; CUDA: sorted, per thread and then block-reduced) and call
// finalize_first_order.
#pragma once

#include <cfloat>
#include <cmath>
#include <cstdint>

#include "detail/binning_terms.h"
#include "detail/feature_rows.h"
#include "detail/host_device.h"
#include "detail/order_statistics.h"
#include "salient/kernels/feature_registry.h"

namespace salient::kernels::detail {

/// numpy.spacing(1): PyRadiomics' ε in log2(p + ε).
inline constexpr double kEntropyEpsilon = DBL_EPSILON;

struct FirstOrderSums {
  std::int64_t count = 0;
  double sum = 0;              ///< Σ x
  double shifted_squares = 0;  ///< Σ (x + c)²
  double central[4] = {};      ///< Σ |d|, Σ d², Σ d³, Σ d⁴ with d = x - mean
  std::int64_t robust_count = 0;
  double robust_abs_dev = 0;   ///< Σ |x - x̄_10-90| over P10 <= x <= P90
  double entropy = 0;          ///< -Σ p log2(p + ε) over the bins present
  double uniformity = 0;       ///< Σ p²
};

/// Extremes and numpy's percentiles of a map's masked values.
struct FirstOrderOrderStats {
  double minimum, maximum, p10, p25, median, p75, p90;
};

/// The order statistics from @p value_at(r), the r-th smallest of the n values (0-based):
/// numpy.percentile (linear) and numpy.median read only the ranks they interpolate between.
template <typename ValueAt>
SALIENT_HOST_DEVICE FirstOrderOrderStats order_stats_from(std::int64_t n, double minimum, double maximum,
                                                          ValueAt value_at) {
  const auto percentile = [&](double fraction) {
    const QuantilePosition at = quantile_position(n, fraction);
    return numpy_lerp(value_at(at.previous), value_at(at.next), at.gamma);
  };
  FirstOrderOrderStats s{};
  s.minimum = minimum;
  s.maximum = maximum;
  s.p10 = percentile(10.0 / 100.0);
  s.p25 = percentile(25.0 / 100.0);
  // numpy.median: the middle value, or the mean of the two middle values.
  s.median = n % 2 == 1 ? static_cast<double>(value_at(n / 2))
                        : (static_cast<double>(value_at(n / 2 - 1)) + static_cast<double>(value_at(n / 2))) / 2.0;
  s.p75 = percentile(75.0 / 100.0);
  s.p90 = percentile(90.0 / 100.0);
  return s;
}

/// A histogram bin holding run_length of the count values adds -p log2(p + ε) to Entropy
/// and p² to Uniformity.
SALIENT_HOST_DEVICE inline void add_bin(std::int64_t run_length, std::int64_t count, double& entropy, double& uniformity) {
  const double p = static_cast<double>(run_length) / static_cast<double>(count);
  entropy -= p * ::log2(p + kEntropyEpsilon);
  uniformity += p * p;
}

/// End of the histogram run that starts at sorted[begin - 1] with @p level: the first index in
/// [begin, end) whose level is higher (levels never decrease along sorted values).
SALIENT_HOST_DEVICE inline std::int64_t run_end(const float* sorted, std::int64_t begin, std::int64_t end,
                                                const BinEdges& edges, std::int32_t level) {
  while (begin < end) {
    const std::int64_t mid = begin + (end - begin) / 2;
    if (edges.level(sorted[mid]) <= level) begin = mid + 1; else end = mid;
  }
  return begin;
}

/// Every first-order feature from the accumulated sums and order statistics.
SALIENT_HOST_DEVICE inline void finalize_first_order(const FirstOrderSums& s, const FirstOrderOrderStats& o, double* row,
                                            FeatureReason* reasons) {
  using namespace first_order;
  const double n = static_cast<double>(s.count);
  const double m2 = s.central[1] / n;
  const double m3 = s.central[2] / n;
  const double m4 = s.central[3] / n;
  for (int c = 0; c < kColumns; ++c) reasons[c] = FeatureReason::ok;
  row[kEnergy] = s.shifted_squares;                 // Σ (X(i) + c)²
  row[kTotalEnergy] = s.shifted_squares;            // V_pixel Σ (X(i) + c)², V_pixel = 1
  row[kEntropy] = s.entropy;                        // -Σ p(i) log2(p(i) + ε)
  row[kMinimum] = o.minimum;
  row[k10Percentile] = o.p10;
  row[k90Percentile] = o.p90;
  row[kMaximum] = o.maximum;
  row[kMean] = s.sum / n;                           // (1/N) Σ X(i)
  row[kMedian] = o.median;
  row[kInterquartileRange] = o.p75 - o.p25;         // P75 - P25
  row[kRange] = o.maximum - o.minimum;
  row[kMeanAbsoluteDeviation] = s.central[0] / n;   // (1/N) Σ |X(i) - x̄|
  row[kRobustMeanAbsoluteDeviation] = s.robust_abs_dev / static_cast<double>(s.robust_count);
  if (s.robust_count == 0) {
    // Two distinct values: none lies in [P10, P90], so the robust subset is empty (0/0).
    row[kRobustMeanAbsoluteDeviation] = NAN;
    reasons[kRobustMeanAbsoluteDeviation] = FeatureReason::empty_mask;
  }
  row[kRootMeanSquared] = ::sqrt(s.shifted_squares / n);  // sqrt((1/N) Σ (X(i) + c)²)
  row[kStandardDeviation] = ::sqrt(m2);
  row[kVariance] = m2;                              // (1/N) Σ (X(i) - x̄)²
  row[kUniformity] = s.uniformity;                  // Σ p(i)²
  if (o.minimum == o.maximum) {
    // A flat region: m2 = m3 = m4 = 0 and the ratios are 0/0 (PyRadiomics returns 0).
    const int ratios[] = {kSkewness, kKurtosis, kIdealKurtosis};
    for (int c : ratios) {
      row[c] = NAN;
      reasons[c] = FeatureReason::constant_map;
    }
    return;
  }
  row[kSkewness] = m3 / ::pow(m2, 1.5);             // m3 / m2^(3/2)
  row[kKurtosis] = m4 / (m2 * m2);                  // m4 / m2², not excess kurtosis
  row[kIdealKurtosis] = row[kKurtosis];             // IDEAL k(H(S)): the same Pearson kurtosis
}

}  // namespace salient::kernels::detail
