// Reference twin of compute_first_order, for float and double maps, accumulating in double.
// No sort: per map, passes over the masked values in pixel order,
//   1. minimum, maximum and Σ x, then finiteness (detail::all_finite);
//   2. the counts of detail::ValueBuckets, then one gathering pass: the bin-level histogram
//      (detail::LevelLookup), and the order statistics the percentiles read, selected exactly;
//   3. Σ (x + c)², the central moment sums and the P10..P90 sum;
//   4. the absolute deviations from the P10..P90 mean.
// Passes 1, 3 and 4 take the values two at a time (detail::Double2) into kPairLanes partial
// sums, added in a fixed order at the end: results do not depend on the thread count.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "detail/binning_terms.h"
#include "detail/double_pairs.h"
#include "detail/finite_values.h"
#include "detail/first_order_terms.h"
#include "detail/level_lookup.h"
#include "detail/masked_compaction.h"
#include "detail/parallel_for.h"
#include "detail/value_buckets.h"
#include "salient/kernels/first_order.h"

namespace salient::kernels::cpu_impl {
namespace {

constexpr int kPairLanes = 2;  // Double2 partial sums per quantity (14 registers of 16 in the moments pass)

/// What one thread reuses from map to map.
template <typename T>
struct Scratch {
  std::vector<T> masked;  ///< the masked values of a map that has a mask
  detail::ValueBuckets<T> buckets;
  detail::LevelLookup<T> lookup;
  std::vector<std::int64_t> level_counts;
  std::vector<std::int32_t> levels;
};

struct RangeAndSum {
  double minimum, maximum, sum;
  bool finite;
};

template <typename T>
RangeAndSum range_and_sum(const T* values, std::int64_t n) {
  using detail::Double2;
  using detail::Int2;
  std::array<Double2, kPairLanes> low, high, sum{};
  low.fill(detail::both(std::numeric_limits<double>::infinity()));
  high.fill(detail::both(-std::numeric_limits<double>::infinity()));
  detail::for_each_pair<kPairLanes>(values, n, [&](int lane, Double2 x, Int2 present) {
    low[lane] = detail::select(present & (x < low[lane]), x, low[lane]);
    high[lane] = detail::select(present & (x > high[lane]), x, high[lane]);
    sum[lane] += detail::where(present, x);
  });
  RangeAndSum r{low[0][0], high[0][0], 0.0, detail::all_finite(values, n)};
  for (int lane = 0; lane < kPairLanes; ++lane) {
    for (int half = 0; half < 2; ++half) {
      r.minimum = std::min(r.minimum, low[lane][half]);
      r.maximum = std::max(r.maximum, high[lane][half]);
    }
    r.sum += detail::total(sum[lane]);
  }
  return r;
}

/// The order statistics, and Entropy and Uniformity over the bins present in ascending level
/// order: from a histogram of the Ng levels, or, with more levels than values, from the sorted
/// levels.
template <typename T>
detail::FirstOrderOrderStats order_stats_and_bins(const T* values, std::int64_t n, const RangeAndSum& range,
                                                  const BinSpec& bins, Scratch<T>& scratch,
                                                  detail::FirstOrderSums& s) {
  // The ranks numpy's percentiles and median read, learnt from the formulas themselves.
  std::array<std::int64_t, detail::ValueBuckets<T>::kMaxRanks> ranks{};
  std::array<T, detail::ValueBuckets<T>::kMaxRanks> selected{};
  int wanted = 0;
  const auto index_of = [&](std::int64_t r) {
    return static_cast<std::size_t>(std::find(ranks.begin(), ranks.begin() + wanted, r) - ranks.begin());
  };
  detail::order_stats_from(n, range.minimum, range.maximum, [&](std::int64_t r) {
    if (index_of(r) == static_cast<std::size_t>(wanted)) ranks[static_cast<std::size_t>(wanted++)] = r;
    return T(0);
  });

  const auto maximum = static_cast<T>(range.maximum);
  auto& lookup = scratch.lookup;
  lookup.reset(detail::make_bin_edges(bins, static_cast<T>(range.minimum), maximum), maximum);
  scratch.buckets.count(values, n);
  if (lookup.gray_levels() <= n) {
    auto& counts = scratch.level_counts;
    counts.assign(static_cast<std::size_t>(lookup.gray_levels()) + 1, 0);
    scratch.buckets.gather(values, n, ranks.data(), wanted, selected.data(),
                           [&](T x) { ++counts[static_cast<std::size_t>(lookup.level(x))]; });
    for (const std::int64_t count : counts) {
      if (count > 0) detail::add_bin(count, n, s.entropy, s.uniformity);
    }
  } else {
    auto& levels = scratch.levels;
    levels.clear();
    scratch.buckets.gather(values, n, ranks.data(), wanted, selected.data(),
                           [&](T x) { levels.push_back(lookup.level(x)); });
    std::sort(levels.begin(), levels.end());
    for (auto run = levels.begin(); run != levels.end();) {
      const auto run_end = std::upper_bound(run, levels.end(), *run);
      detail::add_bin(run_end - run, n, s.entropy, s.uniformity);
      run = run_end;
    }
  }
  return detail::order_stats_from(n, range.minimum, range.maximum,
                                  [&](std::int64_t r) { return selected[index_of(r)]; });
}

/// Σ (x + c)², the central moment sums and the P10..P90 terms, on pairs of values.
template <typename T>
void add_moments(const T* values, std::int64_t n, const detail::FirstOrderOrderStats& order, double shift,
                 detail::FirstOrderSums& s) {
  using detail::Double2;
  using detail::Int2;
  using detail::where;
  const Double2 mean = detail::both(s.sum / static_cast<double>(n)), shift2 = detail::both(shift);
  const Double2 p10 = detail::both(order.p10), p90 = detail::both(order.p90), one = detail::both(1.0);
  std::array<Double2, kPairLanes> squares{}, absolute{}, d2{}, d3{}, d4{}, robust_sum{}, robust_count{};
  detail::for_each_pair<kPairLanes>(values, n, [&](int lane, Double2 x, Int2 present) {
    const Double2 d = x - mean, dd = d * d;
    squares[lane] += where(present, (x + shift2) * (x + shift2));
    absolute[lane] += where(present, detail::absolute(d));
    d2[lane] += where(present, dd);
    d3[lane] += where(present, dd * d);
    d4[lane] += where(present, dd * dd);
    // PyRadiomics drops values with x - P10 < 0 or x - P90 > 0 from the robust terms.
    const Int2 robust = present & (x >= p10) & (x <= p90);
    robust_sum[lane] += where(robust, x);
    robust_count[lane] += where(robust, one);
  });
  double total_robust = 0, total_robust_count = 0;
  for (int lane = 0; lane < kPairLanes; ++lane) {
    s.shifted_squares += detail::total(squares[lane]);
    s.central[0] += detail::total(absolute[lane]);
    s.central[1] += detail::total(d2[lane]);
    s.central[2] += detail::total(d3[lane]);
    s.central[3] += detail::total(d4[lane]);
    total_robust += detail::total(robust_sum[lane]);
    total_robust_count += detail::total(robust_count[lane]);
  }
  s.robust_count = static_cast<std::int64_t>(total_robust_count);

  const Double2 robust_mean = detail::both(total_robust / total_robust_count);
  std::array<Double2, kPairLanes> deviation{};
  detail::for_each_pair<kPairLanes>(values, n, [&](int lane, Double2 x, Int2 present) {
    deviation[lane] += where(present & (x >= p10) & (x <= p90), detail::absolute(x - robust_mean));
  });
  for (int lane = 0; lane < kPairLanes; ++lane) s.robust_abs_dev += detail::total(deviation[lane]);
}

template <typename T>
void first_order_of(const BasicMapBatch<T>& batch, const FirstOrderParams& params, double* features,
                    FeatureReason* reasons) {
  const std::int64_t pixels = batch.h * batch.w;
  constexpr int columns = first_order::kColumns;
  detail::parallel_for(batch.n, [&](std::int64_t i) {
    thread_local Scratch<T> scratch;
    const T* map = batch.maps + i * pixels;
    double* row = features + i * columns;
    FeatureReason* row_reasons = reasons + i * columns;
    std::int64_t n = 0;
    const T* values =
        detail::masked_values(map, batch.masks ? batch.masks + i * pixels : nullptr, pixels, scratch.masked, n);
    if (n == 0) return detail::write_undefined_row(row, row_reasons, columns, FeatureReason::empty_mask);
    const RangeAndSum range = range_and_sum(values, n);
    if (!range.finite) return detail::write_undefined_row(row, row_reasons, columns, FeatureReason::non_finite_value);
    detail::FirstOrderSums sums;
    sums.count = n;
    sums.sum = range.sum;
    const auto order = order_stats_and_bins(values, n, range, params.bins, scratch, sums);
    add_moments(values, n, order, params.voxel_array_shift, sums);
    detail::finalize_first_order(sums, order, row, row_reasons);
  });
}

}  // namespace

void compute_first_order(const MapBatch& batch, const FirstOrderParams& params, double* features,
                         FeatureReason* reasons) {
  first_order_of(batch, params, features, reasons);
}

void compute_first_order(const DoubleMapBatch& batch, const FirstOrderParams& params, double* features,
                         FeatureReason* reasons) {
  first_order_of(batch, params, features, reasons);
}

}  // namespace salient::kernels::cpu_impl
