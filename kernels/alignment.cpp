#include "salient/kernels/alignment.h"

#include <cmath>

namespace salient::kernels {

void compute_alignment(const AlignmentBatch& batch, const AlignmentParams& params, double* features,
                       FeatureReason* reasons, const ExecutionContext& ctx) {
  SALIENT_CHECK(batch.n >= 0 && batch.map_h > 0 && batch.map_w > 0 && batch.roi_h > 0 && batch.roi_w > 0,
                "invalid alignment batch: {} maps of {}x{}, ROIs of {}x{}", batch.n, batch.map_h, batch.map_w,
                batch.roi_h, batch.roi_w);
  SALIENT_CHECK(std::isfinite(params.dice_threshold), "Dice threshold must be finite, got {}",
                params.dice_threshold);
  if (batch.n == 0) return;
  if (ctx.backend == Backend::cuda) {
    cuda_impl::compute_alignment(batch, params, features, reasons, ctx.cuda_stream);
  } else {
    cpu_impl::compute_alignment(batch, params, features, reasons);
  }
}

void rasterize_boxes(const RoiBox* boxes, std::int64_t box_count, std::int64_t n, std::int64_t h, std::int64_t w,
                     std::uint8_t* rois, const ExecutionContext& ctx) {
  SALIENT_CHECK(n >= 0 && h > 0 && w > 0 && box_count >= 0, "invalid ROI shape {}x{}x{} for {} boxes", n, h, w,
                box_count);
  for (std::int64_t b = 0; b < box_count; ++b) {
    SALIENT_CHECK(boxes[b].map >= 0 && boxes[b].map < n, "box {} names map {}, but there are {} maps", b,
                  boxes[b].map, n);
  }
  if (n == 0) return;
  if (ctx.backend == Backend::cuda) {
    cuda_impl::rasterize_boxes(boxes, box_count, n, h, w, rois, ctx.cuda_stream);
  } else {
    cpu_impl::rasterize_boxes(boxes, box_count, n, h, w, rois);
  }
}

}  // namespace salient::kernels
