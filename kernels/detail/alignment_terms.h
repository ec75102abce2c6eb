// Alignment formulas written once for both twins: PyTorch's bilinear upsampling
// (aten/src/ATen/native/UpSample.h, align_corners = False), the average-precision term and
// the feature formulas. Upsampled values are computed with exactly rounded double
// operations, so both twins produce the same U bit for bit.
#pragma once

#include <cmath>
#include <cstdint>

#include "detail/host_device.h"
#include "detail/order_statistics.h"
#include "salient/kernels/feature_registry.h"

namespace salient::kernels::detail {

/// Source neighbours and weight of output index @p out_index along one axis:
/// src = max(0, (in/out)(i + 0.5) - 0.5), i0 = floor(src), i1 = min(i0 + 1, in - 1),
/// value = (1 - λ) x[i0] + λ x[i1] with λ = src - i0.
struct BilinearTap {
  std::int64_t i0, i1;
  double lambda;
};

SALIENT_HOST_DEVICE inline BilinearTap bilinear_tap(std::int64_t out_index, std::int64_t in_size, std::int64_t out_size) {
  const double scale = static_cast<double>(in_size) / static_cast<double>(out_size);
  double src = mul_rn(scale, static_cast<double>(out_index) + 0.5) - 0.5;
  if (src < 0) src = 0;
  std::int64_t i0 = static_cast<std::int64_t>(::floor(src));
  if (i0 > in_size - 1) i0 = in_size - 1;
  double lambda = src - static_cast<double>(i0);
  lambda = lambda < 0 ? 0 : (lambda > 1 ? 1 : lambda);
  return {i0, i0 < in_size - 1 ? i0 + 1 : i0, lambda};
}

SALIENT_HOST_DEVICE inline double upsampled_value(const float* map, std::int64_t map_w, BilinearTap ty, BilinearTap tx) {
  const double top = add_rn(mul_rn(1.0 - tx.lambda, static_cast<double>(map[ty.i0 * map_w + tx.i0])),
                            mul_rn(tx.lambda, static_cast<double>(map[ty.i0 * map_w + tx.i1])));
  const double bottom = add_rn(mul_rn(1.0 - tx.lambda, static_cast<double>(map[ty.i1 * map_w + tx.i0])),
                               mul_rn(tx.lambda, static_cast<double>(map[ty.i1 * map_w + tx.i1])));
  return add_rn(mul_rn(1.0 - ty.lambda, top), mul_rn(ty.lambda, bottom));
}

/// The score AUPRC and the pointing hit rank: U rounded to float32, the precision of the map,
/// so that values equal up to double rounding (the clamped border, symmetric weights) tie.
SALIENT_HOST_DEVICE inline float ranking_score(double u) { return static_cast<float>(u); }

/// Precision at the threshold of the j-th smallest ROI score v: TP(score >= v) / N(score >= v),
/// from all scores and the ROI scores, both ascending. Summed over the ROI pixels and divided
/// by |R| this is Σ_thresholds ΔRecall × Precision.
SALIENT_HOST_DEVICE inline double precision_at(const float* all_sorted, std::int64_t total, const float* roi_sorted,
                                               std::int64_t roi_pixels, std::int64_t j) {
  const float v = roi_sorted[j];
  const std::int64_t at_least_v = total - lower_bound_index(all_sorted, 0, total, v);
  const std::int64_t roi_at_least_v = roi_pixels - lower_bound_index(roi_sorted, 0, roi_pixels, v);
  return static_cast<double>(roi_at_least_v) / static_cast<double>(at_least_v);
}

struct AlignmentSums {
  bool finite = true;           ///< every map value finite
  std::int64_t roi_pixels = 0;  ///< |R|
  double minimum = 0, maximum = 0;  ///< of U
  std::int64_t hard_overlap = 0, hard_pixels = 0;  ///< |B ∩ R|, |B|
  double soft_overlap = 0, soft_sum = 0;           ///< Σ G R, Σ G
  bool max_in_roi = false;
  double precision_sum = 0;     ///< Σ over ROI pixels of precision_at
};

/// G = (U - min) / (max - min).
SALIENT_HOST_DEVICE inline double scaled(double u, double minimum, double maximum) { return (u - minimum) / (maximum - minimum); }

SALIENT_HOST_DEVICE inline void finalize_alignment(const AlignmentSums& s, double* row, FeatureReason* reasons) {
  using namespace alignment;
  const auto void_row = [&](FeatureReason why) {
    for (int c = 0; c < kColumns; ++c) {
      row[c] = NAN;
      reasons[c] = why;
    }
  };
  if (!s.finite) return void_row(FeatureReason::non_finite_value);
  if (s.roi_pixels == 0) return void_row(FeatureReason::roi_missing);
  for (int c = 0; c < kColumns; ++c) reasons[c] = FeatureReason::ok;
  const double r = static_cast<double>(s.roi_pixels);
  row[kAuprc] = s.precision_sum / r;                                   // Σ_n (R_n - R_{n-1}) P_n
  if (s.minimum == s.maximum) {
    const int scaled_columns[] = {kHardDice, kSoftDice, kPointingHit};  // G is 0/0
    for (int c : scaled_columns) {
      row[c] = NAN;
      reasons[c] = FeatureReason::constant_map;
    }
    return;
  }
  row[kHardDice] = 2.0 * static_cast<double>(s.hard_overlap) / (static_cast<double>(s.hard_pixels) + r);
  row[kSoftDice] = 2.0 * s.soft_overlap / (s.soft_sum + r);
  row[kPointingHit] = s.max_in_roi ? 1.0 : 0.0;
}

}  // namespace salient::kernels::detail
