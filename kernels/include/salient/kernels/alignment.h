// Alignment of saliency maps with expert regions of interest (EG-AL, Uddin et al.; WILDCAT,
// Aggarwal et al.). Formulas, sources and edge cases: docs/formulas.md "Alignment".
//
// Each map (e.g. a 14×14 Grad-CAM) is upsampled on the fly to its ROI's size with PyTorch's
// bilinear interpolation (align_corners = False), giving U, and min-max scaled to
// G = (U - min U) / (max U - min U) in [0, 1]. With R the ROI mask and B = [G >= τ]:
//   HardDice    = 2 |B ∩ R| / (|B| + |R|)          (EG-AL: D_exp = 1 - HardDice)
//   SoftDice    = 2 Σ G R / (Σ G + |R|)
//   AUPRC       = average precision of the scores for R (scikit-learn's definition: Σ over
//                 distinct thresholds of ΔRecall × Precision), exact, ties grouped
//   PointingHit = 1 when a pixel holding the top score lies in R, else 0
// The scores are U rounded to float32 (the map's precision), so values equal up to double
// rounding tie.
#pragma once

#include <cstdint>

#include "salient/check.h"
#include "salient/kernels/execution.h"
#include "salient/kernels/feature_registry.h"

namespace salient::kernels {

/// n maps of map_h×map_w floats and their n ROI masks of roi_h×roi_w (nonzero = inside),
/// row-major and contiguous.
struct AlignmentBatch {
  const float* maps = nullptr;
  const std::uint8_t* rois = nullptr;
  std::int64_t n = 0;
  std::int64_t map_h = 0;
  std::int64_t map_w = 0;
  std::int64_t roi_h = 0;
  std::int64_t roi_w = 0;
};

struct AlignmentParams {
  double dice_threshold = 0.5;  ///< τ of HardDice (EG-AL's default)
};

/// Computes the alignment features of every map of @p batch.
/// @param[in]  batch     maps and ROIs in memory of @p ctx's backend
/// @param[out] features  n × alignment::kColumns values, columns in the order of kAlignmentFeatures
/// @param[out] reasons   n × alignment::kColumns reasons: non_finite_value (in the map) and
///                       roi_missing (an empty ROI) void the row; constant_map (max U = min U)
///                       voids HardDice, SoftDice and PointingHit, while AUPRC stays defined
///                       (every pixel ties: the ROI's share of the pixels)
/// Performance: U is computed once per pixel; AUPRC sorts the scores and the ROI's scores
/// (CPU: radix sort; CUDA: CUB segmented sort, with n×roi_h×roi_w × (8 + 4 × 4) bytes of
/// stream-ordered scratch).
void compute_alignment(const AlignmentBatch& batch, const AlignmentParams& params, double* features,
                       FeatureReason* reasons, const ExecutionContext& ctx);

/// An axis-aligned box in ROI pixel coordinates: pixel (y, x) is inside when its centre
/// (y + 0.5, x + 0.5) lies in [y0, y1) × [x0, x1).
struct RoiBox {
  std::int64_t map = 0;  ///< which of the n ROI masks the box belongs to
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

/// Rasterises @p boxes into n ROI masks of h×w (the union of each map's boxes; a map with no
/// box gets an empty mask, which compute_alignment reports as roi_missing).
/// @param[in]  boxes  host memory for both backends (boxes are few and come from label files);
///                    each names a map in [0, n), else salient::Error
/// @param[out] rois   n×h×w masks in memory of @p ctx's backend
void rasterize_boxes(const RoiBox* boxes, std::int64_t box_count, std::int64_t n, std::int64_t h, std::int64_t w,
                     std::uint8_t* rois, const ExecutionContext& ctx);

namespace cpu_impl {
void compute_alignment(const AlignmentBatch& batch, const AlignmentParams& params, double* features,
                       FeatureReason* reasons);
void rasterize_boxes(const RoiBox* boxes, std::int64_t box_count, std::int64_t n, std::int64_t h, std::int64_t w,
                     std::uint8_t* rois);
}  // namespace cpu_impl

namespace cuda_impl {
#ifdef SALIENT_WITH_CUDA
void compute_alignment(const AlignmentBatch& batch, const AlignmentParams& params, double* features,
                       FeatureReason* reasons, void* cuda_stream);
void rasterize_boxes(const RoiBox* boxes, std::int64_t box_count, std::int64_t n, std::int64_t h, std::int64_t w,
                     std::uint8_t* rois, void* cuda_stream);
#else
inline void compute_alignment(const AlignmentBatch&, const AlignmentParams&, double*, FeatureReason*, void*) {
  throw Error("salient was built without CUDA: compute_alignment has no CUDA twin");
}
inline void rasterize_boxes(const RoiBox*, std::int64_t, std::int64_t, std::int64_t, std::int64_t, std::uint8_t*,
                            void*) {
  throw Error("salient was built without CUDA: rasterize_boxes has no CUDA twin");
}
#endif
}  // namespace cuda_impl

}  // namespace salient::kernels
