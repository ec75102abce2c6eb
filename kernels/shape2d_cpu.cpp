// Reference twin of compute_shape2d: threshold (quantile by selection), then one sweep of
// marching squares over the padded shape with exact integer sums, then the hull candidates
// for MaximumDiameter.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "detail/feature_rows.h"
#include "detail/order_statistics.h"
#include "detail/parallel_for.h"
#include "detail/shape2d_terms.h"
#include "salient/kernels/shape2d.h"

namespace salient::kernels::cpu_impl {
namespace {

struct RowExtremes {
  std::vector<std::int32_t> min_x, max_x;
  void reset(std::size_t rows) {
    min_x.assign(rows, std::numeric_limits<std::int32_t>::max());
    max_x.assign(rows, std::numeric_limits<std::int32_t>::min());
  }
  void operator()(std::int64_t y, std::int64_t x) {
    const auto row = static_cast<std::size_t>(y);
    min_x[row] = std::min(min_x[row], static_cast<std::int32_t>(x));
    max_x[row] = std::max(max_x[row], static_cast<std::int32_t>(x));
  }
};

std::int64_t doubled_diameter_squared(RowExtremes& rows, std::vector<detail::HullPoint>& hull) {
  const int row_count = static_cast<int>(rows.min_x.size());
  const auto row_has = [&](int y) { return rows.min_x[static_cast<std::size_t>(y)] <= rows.max_x[static_cast<std::size_t>(y)]; };
  hull.resize(2 * static_cast<std::size_t>(row_count));
  const int left = detail::half_hull(rows.min_x.data(), row_count, +1, row_has, hull.data());
  const int right = detail::half_hull(rows.max_x.data(), row_count, -1, row_has, hull.data() + left);
  std::int64_t best = 0;
  for (int a = 0; a < left + right; ++a)
    for (int b = a + 1; b < left + right; ++b) best = std::max(best, detail::squared_distance(hull[a], hull[b]));
  return best;
}

}  // namespace

void compute_shape2d(const MapBatch& batch, const Shape2DParams& params, double* features, FeatureReason* reasons) {
  const std::int64_t h = batch.h, w = batch.w, pixels = h * w;
  constexpr int columns = shape2d::kColumns;
  detail::parallel_for(batch.n, [&](std::int64_t i) {
    thread_local std::vector<float> values;
    thread_local std::vector<std::uint8_t> shape;
    thread_local RowExtremes rows;
    thread_local std::vector<detail::HullPoint> hull;
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
    double threshold = params.level;
    if (params.threshold == Shape2DParams::Threshold::quantile) {
      // The two order statistics numpy interpolates between, by selection instead of a sort.
      const auto at = detail::quantile_position(static_cast<std::int64_t>(values.size()), params.quantile);
      const auto previous = values.begin() + at.previous;
      std::nth_element(values.begin(), previous, values.end());
      const float next = at.next == at.previous ? *previous : *std::min_element(previous + 1, values.end());
      threshold = detail::numpy_lerp(*previous, next, at.gamma);
    }

    shape.resize(static_cast<std::size_t>(pixels));
    detail::ShapeSums sums;
    for (std::int64_t y = 0; y < h; ++y) {
      for (std::int64_t x = 0; x < w; ++x) {
        const std::int64_t p = y * w + x;
        const bool inside = (!mask || mask[p]) && static_cast<double>(map[p]) >= threshold;
        shape[static_cast<std::size_t>(p)] = inside;
        if (!inside) continue;
        ++sums.pixels;
        sums.sum_y += y;
        sums.sum_x += x;
        sums.sum_yy += y * y;
        sums.sum_xx += x * x;
        sums.sum_xy += x * y;
      }
    }
    if (sums.pixels == 0) return detail::write_undefined_row(row, row_reasons, columns, FeatureReason::empty_mask);

    // Squares of the padded shape: padded pixel (py, px) is shape pixel (py - 1, px - 1).
    const auto at = [&](std::int64_t py, std::int64_t px) -> unsigned {
      if (py < 1 || py > h || px < 1 || px > w) return 0;
      return shape[static_cast<std::size_t>((py - 1) * w + (px - 1))];
    };
    rows.reset(static_cast<std::size_t>(2 * h + 3));
    for (std::int64_t iy = 0; iy <= h; ++iy) {
      for (std::int64_t ix = 0; ix <= w; ++ix) {
        const unsigned square = at(iy, ix) | at(iy, ix + 1) << 1 | at(iy + 1, ix + 1) << 2 | at(iy + 1, ix) << 3;
        if (square == 0 || square == 15) continue;
        detail::add_square_lines(iy, ix, square, sums);
        detail::emit_square_vertices(iy, ix, square, rows);
      }
    }
    detail::finalize_shape2d(sums, doubled_diameter_squared(rows, hull), row, row_reasons);
  });
}

}  // namespace salient::kernels::cpu_impl
