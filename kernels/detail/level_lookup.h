// numpy.digitize against one map's edges (binning_terms.h) in a few operations per value, for
// the CPU twins. Every masked value x satisfies level(x) <= Ng = level(maximum), so only the
// edges 0..Ng-1 are read: they are tabulated once per map, and each level is the estimate
// floor((x - first) / step) + 1 corrected against the table, as BasicBinEdges::level corrects
// it against edges computed on the fly. With no level or more than kMaxTabulated levels the
// lookup falls back to BasicBinEdges::level.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "detail/binning_terms.h"

namespace salient::kernels::detail {

template <typename T>
class LevelLookup {
 public:
  static constexpr std::int32_t kMaxTabulated = 1 << 20;

  /// Prepares the levels of values in [minimum, maximum] under @p edges.
  void reset(const BasicBinEdges<T>& edges, T maximum) {
    edges_ = edges;
    gray_levels_ = edges.level(maximum);
    tabulated_ = gray_levels_ > 0 && gray_levels_ <= kMaxTabulated;
    if (!tabulated_) return;
    // table_[k] = edge k for k < Ng, and +inf at Ng, which ends the upward correction.
    table_.resize(static_cast<std::size_t>(gray_levels_) + 1);
    for (std::int32_t k = 0; k < gray_levels_; ++k) table_[static_cast<std::size_t>(k)] = edges.edge(k);
    table_.back() = std::numeric_limits<double>::infinity();
    const double width = edges.kind == BinSpec::Kind::width && edges.flat_width ? 1.0 : edges.step;
    inverse_width_ = width > 0 ? 1.0 / width : 0.0;
  }

  /// Ng: the highest level present.
  std::int32_t gray_levels() const { return gray_levels_; }

  /// numpy.digitize(value, edges) for a value in [minimum, maximum].
  std::int32_t level(T value) const {
    if (!tabulated_) return edges_.level(value);
    const double x = value;
    // floor((x - first) / width) + 1 (x >= first, so truncation is floor), at most Ng; >= 1,
    // and edge 0 = first <= x keeps the downward correction from passing level 1.
    const double guess = (x - edges_.first) * inverse_width_ + 1.0;
    std::int32_t k = guess < static_cast<double>(gray_levels_) ? static_cast<std::int32_t>(guess) : gray_levels_;
    const double* edge = table_.data();
    while (edge[k] <= x) ++k;
    while (edge[k - 1] > x) --k;
    return k;
  }

 private:
  BasicBinEdges<T> edges_{};
  std::int32_t gray_levels_ = 0;
  bool tabulated_ = false;
  double inverse_width_ = 0;
  std::vector<double> table_;
};

}  // namespace salient::kernels::detail
