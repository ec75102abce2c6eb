// The arithmetic the distance-based strategies share (k_center, badge, cluster_margin).
// Sums run in double over four interleaved partial sums (element j goes to sum j mod 4),
// added as (s0 + s1) + (s2 + s3) and then the tail: a fixed order, so every machine gets the
// same bits, and four independent chains of additions instead of one, which the compiler
// can keep in vector registers.
#pragma once

#include <cmath>
#include <cstdint>

namespace salient::selection {

/// Σ_j term(j) for j < n, in the order above.
template <typename Term>
double interleaved_sum(std::int64_t n, Term term) {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  std::int64_t j = 0;
  for (; j + 4 <= n; j += 4) {
    s0 += term(j);
    s1 += term(j + 1);
    s2 += term(j + 2);
    s3 += term(j + 3);
  }
  double sum = (s0 + s1) + (s2 + s3);
  for (; j < n; ++j) sum += term(j);
  return sum;
}

/// Σ_j a_j b_j.
inline double dot(const float* a, const float* b, std::int64_t n) {
  return interleaved_sum(n, [&](std::int64_t j) { return static_cast<double>(a[j]) * static_cast<double>(b[j]); });
}

/// Σ_j (a_j − b_j)², @p b in double (a center or a mean).
inline double squared_distance(const float* a, const double* b, std::int64_t n) {
  return interleaved_sum(n, [&](std::int64_t j) {
    const double d = static_cast<double>(a[j]) - b[j];
    return d * d;
  });
}

/// Σ_j (a_j − b_j)², both in double.
inline double squared_distance(const double* a, const double* b, std::int64_t n) {
  return interleaved_sum(n, [&](std::int64_t j) {
    const double d = a[j] - b[j];
    return d * d;
  });
}

/// True when no value is NaN or infinite.
inline bool all_finite(const float* values, std::int64_t n) {
  for (std::int64_t j = 0; j < n; ++j)
    if (!std::isfinite(values[j])) return false;
  return true;
}

}  // namespace salient::selection
