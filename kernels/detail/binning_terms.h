// PyRadiomics' bin edges and numpy.digitize, written once for both twins (see binning.h for
// the formulas). T is the maps' pixel type, which is numpy's scalar type too: float32 steps
// are float32 in numpy, float64 steps float64. mul_rn/add_rn keep nvcc from fusing.
#pragma once

#include <cmath>
#include <cstdint>

#include "detail/host_device.h"
#include "salient/kernels/binning.h"

namespace salient::kernels::detail {

/// numpy.digitize(x, edges) for edges that never decrease: the number of edges <= x, found from
/// the estimate @p guess (any) and corrected against the exact @p edges.edge(k), k < edge_count.
template <typename Edges>
SALIENT_HOST_DEVICE std::int32_t digitize(double x, double guess, std::int64_t edge_count, const Edges& edges) {
  guess = guess < 0.0 ? 0.0 : (guess > static_cast<double>(edge_count) ? static_cast<double>(edge_count) : guess);
  auto k = static_cast<std::int64_t>(guess);
  while (k < edge_count && edges.edge(k) <= x) ++k;
  while (k > 0 && edges.edge(k - 1) > x) --k;
  return static_cast<std::int32_t>(k);
}

/// The edges of one map, generated on demand: edge(k) for 0 <= k < edge_count.
template <typename T>
struct BasicBinEdges {
  BinSpec::Kind kind;
  std::int64_t edge_count;
  double first;        ///< binWidth: L; binCount: m (in T)
  double second;       ///< binWidth: T(L + W); binCount: unused
  double step;         ///< binWidth: delta = second - first; binCount: the step in T
  double last;         ///< binCount: T(M) + 1 in T
  T count_delta;       ///< binCount: M - m in T
  int bin_count;       ///< binCount: N
  bool flat_width;     ///< binWidth with a single arange value: edges L - 0.5, L + 0.5

  SALIENT_HOST_DEVICE double edge(std::int64_t k) const {
    if (kind == BinSpec::Kind::width) {
      if (flat_width) return k == 0 ? first - 0.5 : first + 0.5;
      if (k == 0) return first;
      if (k == 1) return second;
      return add_rn(first, mul_rn(static_cast<double>(k), step));  // numpy DOUBLE_fill
    }
    if (k == bin_count) return last;
    // numpy.linspace in T: y = i * step (or i / N * delta when step underflows) + start.
    const T i = static_cast<T>(k);
    const T scaled = step != 0.0 ? mul_rn(i, static_cast<T>(step)) : mul_rn(i / static_cast<T>(bin_count), count_delta);
    return add_rn(scaled, static_cast<T>(first));
  }

  /// The spacing of the edges, for estimating a value's bin.
  SALIENT_HOST_DEVICE double bin_width() const {
    return kind == BinSpec::Kind::width ? (flat_width ? 1.0 : step) : step;
  }

  /// numpy.digitize(x, edges): the number of edges <= x.
  SALIENT_HOST_DEVICE std::int32_t level(T value) const {
    const double x = value;
    const double width = bin_width();
    return digitize(x, width > 0 ? ::floor((x - first) / width) + 1.0 : 0.0, edge_count, *this);
  }
};
using BinEdges = BasicBinEdges<float>;

SALIENT_HOST_DEVICE inline float c_fmod(float a, float b) { return ::fmodf(a, b); }
SALIENT_HOST_DEVICE inline double c_fmod(double a, double b) { return ::fmod(a, b); }
SALIENT_HOST_DEVICE inline float c_copysign(float a, float b) { return ::copysignf(a, b); }
SALIENT_HOST_DEVICE inline double c_copysign(double a, double b) { return ::copysign(a, b); }

/// numpy's float remainder (npy_remainderf, npy_remainder): fmod, moved into the divisor's sign.
template <typename T>
SALIENT_HOST_DEVICE T python_remainder(T a, T b) {
  T mod = c_fmod(a, b);
  if (mod != T(0)) {
    if ((b < T(0)) != (mod < T(0))) mod = add_rn(mod, b);
  } else {
    mod = c_copysign(T(0), b);
  }
  return mod;
}

/// The edges PyRadiomics' getBinEdges returns for masked values of type T spanning
/// [minimum, maximum].
template <typename T>
SALIENT_HOST_DEVICE BasicBinEdges<T> make_bin_edges(const BinSpec& spec, T minimum, T maximum) {
  BasicBinEdges<T> e{};
  e.kind = spec.kind;
  if (spec.kind == BinSpec::Kind::width) {
    const T width = static_cast<T>(spec.width);
    const T low = minimum - python_remainder(minimum, width);
    const T high = add_rn(maximum, static_cast<T>(2.0 * spec.width));
    // numpy.arange: length = ceil((stop - start) / step) evaluated on scalars of type T.
    const T span = high - low;
    e.edge_count = static_cast<std::int64_t>(::ceil(static_cast<double>(span / width)));
    e.first = low;
    e.second = add_rn(low, width);
    e.step = e.second - e.first;
    e.flat_width = e.edge_count == 1;
    if (e.flat_width) e.edge_count = 2;
    return e;
  }
  T first = minimum;
  T last = maximum;
  if (first == last) {
    first = first - T(0.5);
    last = last + T(0.5);
  }
  e.bin_count = spec.count;
  e.edge_count = spec.count + 1;
  e.first = first;
  e.count_delta = last - first;
  e.step = e.count_delta / static_cast<T>(spec.count);
  e.last = add_rn(last, T(1));
  return e;
}

}  // namespace salient::kernels::detail
