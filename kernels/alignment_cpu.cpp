// Reference twin of compute_alignment and rasterize_boxes: each map upsampled once into a
// double buffer, one pass for the Dice terms, and a radix sort of the scores and of the ROI's
// scores for the exact average precision.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "detail/alignment_terms.h"
#include "detail/box_terms.h"
#include "detail/parallel_for.h"
#include "detail/radix_sort.h"
#include "salient/kernels/alignment.h"

namespace salient::kernels::cpu_impl {

void compute_alignment(const AlignmentBatch& batch, const AlignmentParams& params, double* features,
                       FeatureReason* reasons) {
  const std::int64_t map_pixels = batch.map_h * batch.map_w;
  const std::int64_t roi_pixels = batch.roi_h * batch.roi_w;
  constexpr int columns = alignment::kColumns;
  std::vector<detail::BilinearTap> row_taps(static_cast<std::size_t>(batch.roi_h));
  std::vector<detail::BilinearTap> column_taps(static_cast<std::size_t>(batch.roi_w));
  for (std::int64_t y = 0; y < batch.roi_h; ++y) row_taps[y] = detail::bilinear_tap(y, batch.map_h, batch.roi_h);
  for (std::int64_t x = 0; x < batch.roi_w; ++x) column_taps[x] = detail::bilinear_tap(x, batch.map_w, batch.roi_w);

  detail::parallel_for(batch.n, [&](std::int64_t i) {
    thread_local std::vector<double> upsampled;
    thread_local std::vector<float> all_sorted, roi_sorted;
    thread_local std::vector<std::uint32_t> keys, scratch;
    const float* map = batch.maps + i * map_pixels;
    const std::uint8_t* roi = batch.rois + i * roi_pixels;
    detail::AlignmentSums s;
    s.finite = std::all_of(map, map + map_pixels, [](float v) { return std::isfinite(v); });
    s.roi_pixels = std::count_if(roi, roi + roi_pixels, [](std::uint8_t r) { return r != 0; });
    if (!s.finite || s.roi_pixels == 0) {
      return detail::finalize_alignment(s, features + i * columns, reasons + i * columns);
    }

    upsampled.resize(static_cast<std::size_t>(roi_pixels));
    for (std::int64_t y = 0; y < batch.roi_h; ++y)
      for (std::int64_t x = 0; x < batch.roi_w; ++x)
        upsampled[y * batch.roi_w + x] = detail::upsampled_value(map, batch.map_w, row_taps[y], column_taps[x]);
    const auto [lowest, highest] = std::minmax_element(upsampled.begin(), upsampled.end());
    s.minimum = *lowest;
    s.maximum = *highest;
    const float top_score = detail::ranking_score(s.maximum);
    all_sorted.clear();
    roi_sorted.clear();
    for (std::int64_t p = 0; p < roi_pixels; ++p) {
      const double u = upsampled[p];
      const bool in_roi = roi[p] != 0;
      all_sorted.push_back(detail::ranking_score(u));
      if (in_roi) roi_sorted.push_back(detail::ranking_score(u));
      s.max_in_roi = s.max_in_roi || (in_roi && detail::ranking_score(u) == top_score);
      if (s.minimum == s.maximum) continue;
      const double g = detail::scaled(u, s.minimum, s.maximum);
      const bool above = g >= params.dice_threshold;
      s.hard_pixels += above;
      s.hard_overlap += above && in_roi;
      s.soft_sum += g;
      if (in_roi) s.soft_overlap += g;
    }
    detail::radix_sort(all_sorted, keys, scratch);
    detail::radix_sort(roi_sorted, keys, scratch);
    for (std::int64_t j = 0; j < s.roi_pixels; ++j) {
      s.precision_sum += detail::precision_at(all_sorted.data(), roi_pixels, roi_sorted.data(), s.roi_pixels, j);
    }
    detail::finalize_alignment(s, features + i * columns, reasons + i * columns);
  });
}

void rasterize_boxes(const RoiBox* boxes, std::int64_t box_count, std::int64_t n, std::int64_t h, std::int64_t w,
                     std::uint8_t* rois) {
  std::memset(rois, 0, static_cast<std::size_t>(n * h * w));
  for (std::int64_t b = 0; b < box_count; ++b) {
    const RoiBox& box = boxes[b];
    const detail::PixelRange rows = detail::box_pixels(box.y0, box.y1, h);
    const detail::PixelRange cols = detail::box_pixels(box.x0, box.x1, w);
    std::uint8_t* roi = rois + box.map * h * w;
    for (std::int64_t y = rows.begin; y < rows.end; ++y)
      for (std::int64_t x = cols.begin; x < cols.end; ++x) roi[y * w + x] = 1;
  }
}

}  // namespace salient::kernels::cpu_impl
