// Order statistics of an ascending array, as numpy computes them (numpy 2.x
// lib/_function_base_impl.py: _quantile with method="linear", _lerp, median).
#pragma once

#include <cstdint>

#include "detail/host_device.h"

namespace salient::kernels::detail {

/// Where numpy's linear quantile of n values falls: between the previous-th and next-th
/// smallest, at fraction gamma of the way (virtual index (n - 1) * fraction).
struct QuantilePosition {
  std::int64_t previous, next;
  double gamma;
};

SALIENT_HOST_DEVICE inline QuantilePosition quantile_position(std::int64_t n, double fraction) {
  const double virtual_index = mul_rn(static_cast<double>(n - 1), fraction);
  auto previous = static_cast<std::int64_t>(virtual_index);  // floor: virtual_index >= 0
  if (previous > n - 1) previous = n - 1;
  return {previous, previous + 1 < n ? previous + 1 : n - 1, virtual_index - static_cast<double>(previous)};
}

/// numpy's _lerp, which interpolates from the upper neighbour when gamma >= 0.5.
SALIENT_HOST_DEVICE inline double numpy_lerp(double a, double b, double gamma) {
  const double diff = b - a;
  return gamma >= 0.5 ? b - mul_rn(diff, 1.0 - gamma) : add_rn(a, mul_rn(diff, gamma));
}

/// numpy.percentile(x, 100 * fraction) of the n >= 1 ascending values @p sorted.
template <typename T>
SALIENT_HOST_DEVICE double percentile_sorted(const T* sorted, std::int64_t n, double fraction) {
  const QuantilePosition at = quantile_position(n, fraction);
  return numpy_lerp(sorted[at.previous], sorted[at.next], at.gamma);
}

/// First index in [begin, end) whose value is >= x (std::lower_bound, usable on the device).
template <typename T, typename U>
SALIENT_HOST_DEVICE std::int64_t lower_bound_index(const T* sorted, std::int64_t begin, std::int64_t end, U x) {
  while (begin < end) {
    const std::int64_t mid = begin + (end - begin) / 2;
    if (sorted[mid] < x) begin = mid + 1; else end = mid;
  }
  return begin;
}

/// First index in [begin, end) whose value is > x (std::upper_bound).
template <typename T, typename U>
SALIENT_HOST_DEVICE std::int64_t upper_bound_index(const T* sorted, std::int64_t begin, std::int64_t end, U x) {
  while (begin < end) {
    const std::int64_t mid = begin + (end - begin) / 2;
    if (!(x < sorted[mid])) begin = mid + 1; else end = mid;
  }
  return begin;
}

}  // namespace salient::kernels::detail
