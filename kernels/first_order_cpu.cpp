// Reference twin of compute_first_order: each map's masked values sorted once, then
// sequential double accumulation in sorted order.
#include <cmath>
#include <vector>

#include "detail/binning_terms.h"
#include "detail/first_order_terms.h"
#include "detail/parallel_for.h"
#include "detail/radix_sort.h"
#include "salient/kernels/first_order.h"

namespace salient::kernels::cpu_impl {
namespace {

detail::FirstOrderSums accumulate(const std::vector<float>& sorted, const detail::FirstOrderOrderStats& order,
                                  const FirstOrderParams& params) {
  detail::FirstOrderSums s;
  s.count = static_cast<std::int64_t>(sorted.size());
  for (const float v : sorted) {
    const double x = v;
    s.sum += x;
    s.shifted_squares += (x + params.voxel_array_shift) * (x + params.voxel_array_shift);
  }
  const double mean = s.sum / static_cast<double>(s.count);
  for (const float v : sorted) {
    const double d = v - mean;
    s.central[0] += std::abs(d);
    s.central[1] += d * d;
    s.central[2] += d * d * d;
    s.central[3] += d * d * d * d;
  }
  double robust_sum = 0;
  for (std::int64_t p = order.robust_begin; p < order.robust_end; ++p) robust_sum += sorted[p];
  s.robust_count = order.robust_end - order.robust_begin;
  const double robust_mean = robust_sum / static_cast<double>(s.robust_count);
  for (std::int64_t p = order.robust_begin; p < order.robust_end; ++p) s.robust_abs_dev += std::abs(sorted[p] - robust_mean);

  // Levels never decrease along the sorted values, so each bin is a run of equal levels,
  // whose end a binary search finds.
  const detail::BinEdges edges = detail::make_bin_edges(params.bins, sorted.front(), sorted.back());
  for (std::int64_t begin = 0; begin < s.count;) {
    const std::int64_t end = detail::run_end(sorted.data(), begin + 1, s.count, edges, edges.level(sorted[begin]));
    detail::add_bin(end - begin, s.count, s.entropy, s.uniformity);
    begin = end;
  }
  return s;
}

}  // namespace

void compute_first_order(const MapBatch& batch, const FirstOrderParams& params, double* features,
                         FeatureReason* reasons) {
  const std::int64_t pixels = batch.h * batch.w;
  constexpr int columns = first_order::kColumns;
  detail::parallel_for(batch.n, [&](std::int64_t i) {
    thread_local std::vector<float> values;
    thread_local std::vector<std::uint32_t> keys, scratch;
    const float* map = batch.maps + i * pixels;
    const std::uint8_t* mask = batch.masks ? batch.masks + i * pixels : nullptr;
    double* row = features + i * columns;
    FeatureReason* row_reasons = reasons + i * columns;
    values.clear();
    bool finite = true;
    for (std::int64_t p = 0; p < pixels; ++p) {
      if (mask && !mask[p]) continue;
      values.push_back(map[p]);
      finite = finite && std::isfinite(map[p]);
    }
    if (values.empty()) return detail::write_undefined_row(row, row_reasons, columns, FeatureReason::empty_mask);
    if (!finite) return detail::write_undefined_row(row, row_reasons, columns, FeatureReason::non_finite_value);
    detail::radix_sort(values, keys, scratch);
    const auto order = detail::order_stats_of(values.data(), static_cast<std::int64_t>(values.size()));
    detail::finalize_first_order(accumulate(values, order, params), order, row, row_reasons);
  });
}

}  // namespace salient::kernels::cpu_impl
