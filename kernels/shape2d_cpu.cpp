// Reference twin of compute_shape2d, for float and double maps. Per map: the threshold (a fixed
// level, or the quantile's two order statistics selected exactly by detail::ValueBuckets, no
// sort); one pass that writes the binarised shape into a zero-padded byte image and sums the
// pixel moments row by row (exact integers); then marching squares visits only the squares
// whose four corners differ, found eight at a time by comparing 8-byte words of two rows; last,
// the hull candidates for MaximumDiameter.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "detail/feature_rows.h"
#include "detail/finite_values.h"
#include "detail/masked_compaction.h"
#include "detail/order_statistics.h"
#include "detail/parallel_for.h"
#include "detail/shape2d_terms.h"
#include "detail/value_buckets.h"
#include "salient/kernels/shape2d.h"

namespace salient::kernels::cpu_impl {
namespace {

/// The leftmost and rightmost contour vertex of each contour row (doubled coordinates).
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

/// The least T that is >= @p threshold, so that x >= it exactly when double(x) >= threshold.
template <typename T>
T least_at_least(double threshold) {
  T t = static_cast<T>(threshold);
  if (static_cast<double>(t) < threshold) t = std::nextafter(t, std::numeric_limits<T>::infinity());
  return t;
}

/// The binarised map padded with background: a row of `stride` bytes per padded row, shape
/// pixel (y, x) at padded (y + 1, x + 1); each row ends in at least 8 background bytes, so
/// that 8-byte words starting at any square stay inside it.
struct PaddedShape {
  std::vector<std::uint8_t> bytes;
  std::int64_t h = -1, w = -1, stride = 0;

  void reset(std::int64_t rows, std::int64_t columns) {
    if (rows == h && columns == w) return;  // only the interior is ever written
    h = rows;
    w = columns;
    stride = columns + 2 + 8;
    bytes.assign(static_cast<std::size_t>((rows + 2) * stride), 0);
  }
  std::uint8_t* row(std::int64_t padded_y) { return bytes.data() + padded_y * stride; }
};

/// numpy.quantile(values, q), linear: the two order statistics it interpolates, selected.
template <typename T>
double quantile_of(const T* values, std::int64_t n, double q, detail::ValueBuckets<T>& buckets) {
  const detail::QuantilePosition at = detail::quantile_position(n, q);
  const std::array<std::int64_t, 2> ranks{at.previous, at.next};
  std::array<T, 2> selected{};
  buckets.count(values, n);
  buckets.gather(values, n, ranks.data(), 2, selected.data(), [](T) {});
  return detail::numpy_lerp(selected[0], selected[1], at.gamma);
}

/// What one thread reuses from map to map.
template <typename T>
struct Scratch {
  std::vector<T> masked;
  std::vector<std::uint8_t> ones;            ///< a row of w ones: the mask of an unmasked map
  std::vector<std::int64_t> column_squares;  ///< x² for each column x
  detail::ValueBuckets<T> buckets;
  PaddedShape shape;
  RowExtremes rows;
  std::vector<detail::HullPoint> hull;
};

/// Writes S = [mask and x >= t] into the padded shape and adds the pixel moments of S, row by
/// row (exact integers, branch-free so that the compiler vectorises it). @p keep is the mask,
/// or a row of w ones; column_squares[x] = x².
template <typename T>
void binarise(const T* map, const std::uint8_t* keep, bool keep_is_mask, std::int64_t h, std::int64_t w,
              const std::int64_t* column_squares, T threshold, PaddedShape& shape, detail::ShapeSums& sums) {
  for (std::int64_t y = 0; y < h; ++y) {
    const T* in = map + y * w;
    const std::uint8_t* keep_row = keep_is_mask ? keep + y * w : keep;
    std::uint8_t* out = shape.row(y + 1) + 1;
    std::int64_t count = 0, sum_x = 0, sum_xx = 0;
    for (std::int64_t x = 0; x < w; ++x) {
      const auto inside = static_cast<std::uint8_t>(static_cast<std::uint8_t>(in[x] >= threshold) & keep_row[x]);
      out[x] = inside;
      const std::int64_t all_ones_if_inside = -static_cast<std::int64_t>(inside);
      count += inside;
      sum_x += x & all_ones_if_inside;
      sum_xx += column_squares[x] & all_ones_if_inside;
    }
    sums.pixels += count;
    sums.sum_y += y * count;
    sums.sum_yy += y * y * count;
    sums.sum_x += sum_x;
    sums.sum_xx += sum_xx;
    sums.sum_xy += y * sum_x;
  }
}

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "march_squares reads byte j of a word at bits 8j..8j+7");

std::uint64_t load_word(const std::uint8_t* bytes) {
  std::uint64_t word;
  std::memcpy(&word, bytes, sizeof word);
  return word;
}

/// Marching squares over the padded shape: square (iy, ix) has the corners (iy, ix),
/// (iy, ix+1), (iy+1, ix+1), (iy+1, ix) of the padded image, 0 <= iy <= h, 0 <= ix <= w.
void march_squares(PaddedShape& shape, detail::ShapeSums& sums, RowExtremes& rows) {
  rows.reset(static_cast<std::size_t>(2 * shape.h + 3));
  for (std::int64_t iy = 0; iy <= shape.h; ++iy) {
    const std::uint8_t* top = shape.row(iy);
    const std::uint8_t* bottom = shape.row(iy + 1);
    for (std::int64_t ix = 0; ix <= shape.w; ix += 8) {
      // Byte j is nonzero when square ix + j has corners that differ (corners are 0 or 1).
      const std::uint64_t top_left = load_word(top + ix), bottom_left = load_word(bottom + ix);
      std::uint64_t mixed = (top_left ^ bottom_left) | (top_left ^ load_word(top + ix + 1)) |
                            (bottom_left ^ load_word(bottom + ix + 1));
      while (mixed != 0) {
        const std::int64_t square_x = ix + __builtin_ctzll(mixed) / 8;
        mixed &= mixed - 1;
        const unsigned square = top[square_x] | top[square_x + 1] << 1 | bottom[square_x + 1] << 2 |
                                bottom[square_x] << 3;
        detail::add_square_lines(iy, square_x, square, sums);
        detail::emit_square_vertices(iy, square_x, square, rows);
      }
    }
  }
}

template <typename T>
void shape2d_of(const BasicMapBatch<T>& batch, const Shape2DParams& params, double* features, FeatureReason* reasons) {
  const std::int64_t h = batch.h, w = batch.w, pixels = h * w;
  constexpr int columns = shape2d::kColumns;
  detail::parallel_for(batch.n, [&](std::int64_t i) {
    thread_local Scratch<T> scratch;
    const T* map = batch.maps + i * pixels;
    const std::uint8_t* mask = batch.masks ? batch.masks + i * pixels : nullptr;
    double* row = features + i * columns;
    FeatureReason* row_reasons = reasons + i * columns;

    std::int64_t n = 0;
    const T* values = detail::masked_values(map, mask, pixels, scratch.masked, n);
    if (n == 0) return detail::write_undefined_row(row, row_reasons, columns, FeatureReason::empty_mask);
    if (!detail::all_finite(values, n)) {
      return detail::write_undefined_row(row, row_reasons, columns, FeatureReason::non_finite_value);
    }
    const double threshold = params.threshold == Shape2DParams::Threshold::quantile
                                 ? quantile_of(values, n, params.quantile, scratch.buckets)
                                 : params.level;

    detail::ShapeSums sums;
    scratch.shape.reset(h, w);
    scratch.ones.assign(static_cast<std::size_t>(w), 1);
    scratch.column_squares.resize(static_cast<std::size_t>(w));
    for (std::int64_t x = 0; x < w; ++x) scratch.column_squares[static_cast<std::size_t>(x)] = x * x;
    binarise(map, mask ? mask : scratch.ones.data(), mask != nullptr, h, w, scratch.column_squares.data(),
             least_at_least<T>(threshold), scratch.shape, sums);
    if (sums.pixels == 0) return detail::write_undefined_row(row, row_reasons, columns, FeatureReason::empty_mask);
    march_squares(scratch.shape, sums, scratch.rows);
    detail::finalize_shape2d(sums, doubled_diameter_squared(scratch.rows, scratch.hull), row, row_reasons);
  });
}

}  // namespace

void compute_shape2d(const MapBatch& batch, const Shape2DParams& params, double* features, FeatureReason* reasons) {
  shape2d_of(batch, params, features, reasons);
}

void compute_shape2d(const DoubleMapBatch& batch, const Shape2DParams& params, double* features,
                     FeatureReason* reasons) {
  shape2d_of(batch, params, features, reasons);
}

}  // namespace salient::kernels::cpu_impl
