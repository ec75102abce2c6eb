// PyRadiomics' bin edges and numpy.digitize, written once for both twins (see binning.h for
// the formulas). Float32 steps are float32 in numpy too; mul_rn/add_rn keep nvcc from fusing.
#pragma once

#include <cmath>
#include <cstdint>

#include "detail/host_device.h"
#include "salient/kernels/binning.h"

namespace salient::kernels::detail {

/// The edges of one map, generated on demand: edge(k) for 0 <= k < edge_count.
struct BinEdges {
  BinSpec::Kind kind;
  std::int64_t edge_count;
  double first;        ///< binWidth: L; binCount: m (float32)
  double second;       ///< binWidth: float32(L + W); binCount: unused
  double step;         ///< binWidth: delta = second - first; binCount: float32 step
  double last;         ///< binCount: float32(M) + 1 in float32
  float count_delta;   ///< binCount: float32(M - m)
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
    // numpy.linspace in float32: y = i * step (or i / N * delta when step underflows) + start.
    const float i = static_cast<float>(k);
    const float scaled = step != 0.0 ? mul_rn(i, static_cast<float>(step))
                                     : mul_rn(i / static_cast<float>(bin_count), count_delta);
    return add_rn(scaled, static_cast<float>(first));
  }

  /// numpy.digitize(x, edges): the number of edges <= x, found from an estimate and corrected
  /// against the exact edges (they never decrease).
  SALIENT_HOST_DEVICE std::int32_t level(float value) const {
    const double x = value;
    const double width = kind == BinSpec::Kind::width ? (flat_width ? 1.0 : step) : step;
    double guess = width > 0 ? ::floor((x - first) / width) + 1.0 : 0.0;
    guess = guess < 0.0 ? 0.0 : (guess > static_cast<double>(edge_count) ? static_cast<double>(edge_count) : guess);
    auto k = static_cast<std::int64_t>(guess);
    while (k < edge_count && edge(k) <= x) ++k;
    while (k > 0 && edge(k - 1) > x) --k;
    return static_cast<std::int32_t>(k);
  }
};

/// numpy's float32 remainder (npy_remainderf): fmod, moved into the divisor's sign.
SALIENT_HOST_DEVICE inline float python_remainder(float a, float b) {
  float mod = ::fmodf(a, b);
  if (mod != 0.0f) {
    if ((b < 0.0f) != (mod < 0.0f)) mod = add_rn(mod, b);
  } else {
    mod = ::copysignf(0.0f, b);
  }
  return mod;
}

/// The edges PyRadiomics' getBinEdges returns for masked values spanning [minimum, maximum].
SALIENT_HOST_DEVICE inline BinEdges make_bin_edges(const BinSpec& spec, float minimum, float maximum) {
  BinEdges e{};
  e.kind = spec.kind;
  if (spec.kind == BinSpec::Kind::width) {
    const float width = static_cast<float>(spec.width);
    const float low = minimum - python_remainder(minimum, width);
    const float high = add_rn(maximum, static_cast<float>(2.0 * spec.width));
    // numpy.arange: length = ceil((stop - start) / step) evaluated on float32 scalars.
    const float span = high - low;
    e.edge_count = static_cast<std::int64_t>(::ceil(static_cast<double>(span / width)));
    e.first = low;
    e.second = add_rn(low, width);
    e.step = e.second - e.first;
    e.flat_width = e.edge_count == 1;
    if (e.flat_width) e.edge_count = 2;
    return e;
  }
  float first = minimum;
  float last = maximum;
  if (first == last) {
    first = first - 0.5f;
    last = last + 0.5f;
  }
  e.bin_count = spec.count;
  e.edge_count = spec.count + 1;
  e.first = first;
  e.count_delta = last - first;
  e.step = e.count_delta / static_cast<float>(spec.count);
  e.last = add_rn(last, 1.0f);
  return e;
}

}  // namespace salient::kernels::detail
