// The arithmetic the distance-based strategies share (k_center, badge, cluster_margin): sums
// in double, in index order, so that every machine gets the same bits.
#pragma once

#include <cmath>
#include <cstdint>

namespace salient::selection {

/// Σ_j a_j b_j.
inline double dot(const float* a, const float* b, std::int64_t n) {
  double sum = 0.0;
  for (std::int64_t j = 0; j < n; ++j) sum += static_cast<double>(a[j]) * static_cast<double>(b[j]);
  return sum;
}

/// Σ_j (a_j − b_j)², @p b in double (a center or a mean).
inline double squared_distance(const float* a, const double* b, std::int64_t n) {
  double sum = 0.0;
  for (std::int64_t j = 0; j < n; ++j) {
    const double d = static_cast<double>(a[j]) - b[j];
    sum += d * d;
  }
  return sum;
}

/// True when no value is NaN or infinite.
inline bool all_finite(const float* values, std::int64_t n) {
  for (std::int64_t j = 0; j < n; ++j)
    if (!std::isfinite(values[j])) return false;
  return true;
}

}  // namespace salient::selection
