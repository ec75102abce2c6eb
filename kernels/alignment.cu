// CUDA twin of compute_alignment and rasterize_boxes. U is computed once per pixel into
// scratch (with the taps of detail/alignment_terms.h, bit-identical to the CPU twin), the
// ranking scores and the ROI's scores are sorted per map (CUB DeviceSegmentedSort), and one
// block per map reduces the Dice terms and the precision terms with CUB BlockReduce.
#include <cub/block/block_reduce.cuh>

#include "detail/alignment_terms.h"
#include "detail/block_sums.cuh"
#include "detail/box_terms.h"
#include "detail/segmented_sort.cuh"
#include "detail/stream_buffer.cuh"
#include "salient/kernels/alignment.h"
#include "salient/kernels/cuda_check.h"

namespace salient::kernels::cuda_impl {
namespace {

constexpr int kThreads = 256;

/// U of every pixel, its ranking score, and the score inside the ROI (+inf outside, sorting last).
__global__ void upsample_kernel(AlignmentBatch batch, double* upsampled, float* scores, float* roi_scores) {
  const std::int64_t i = blockIdx.x, roi_pixels = batch.roi_h * batch.roi_w;
  const float* map = batch.maps + i * batch.map_h * batch.map_w;
  const std::uint8_t* roi = batch.rois + i * roi_pixels;
  for (std::int64_t p = threadIdx.x; p < roi_pixels; p += kThreads) {
    const std::int64_t y = p / batch.roi_w, x = p % batch.roi_w;
    const double u = detail::upsampled_value(map, batch.map_w, detail::bilinear_tap(y, batch.map_h, batch.roi_h),
                                             detail::bilinear_tap(x, batch.map_w, batch.roi_w));
    upsampled[i * roi_pixels + p] = u;
    scores[i * roi_pixels + p] = detail::ranking_score(u);
    roi_scores[i * roi_pixels + p] = roi[p] ? detail::ranking_score(u) : __int_as_float(0x7f800000);
  }
}

struct Extremes {
  double low, high;
};

struct CombineExtremes {
  __device__ Extremes operator()(const Extremes& a, const Extremes& b) const {
    return {fmin(a.low, b.low), fmax(a.high, b.high)};
  }
};

__global__ void alignment_kernel(AlignmentBatch batch, AlignmentParams params, const double* upsampled,
                                 const float* all_sorted, const float* roi_sorted, double* features,
                                 FeatureReason* reasons) {
  using CountReduce = cub::BlockReduce<detail::Sums<long long, 3>, kThreads>;
  using SumReduce = cub::BlockReduce<detail::Sums<double, 3>, kThreads>;
  using ExtremeReduce = cub::BlockReduce<Extremes, kThreads>;
  __shared__ union {
    typename ExtremeReduce::TempStorage extremes;
    typename CountReduce::TempStorage counts;
    typename SumReduce::TempStorage sums;
  } temp;
  __shared__ long long roi_count;
  const std::int64_t i = blockIdx.x, roi_pixels = batch.roi_h * batch.roi_w;
  const std::int64_t map_pixels = batch.map_h * batch.map_w;
  const float* map = batch.maps + i * map_pixels;
  const std::uint8_t* roi = batch.rois + i * roi_pixels;
  const double* u = upsampled + i * roi_pixels;
  const float* all = all_sorted + i * roi_pixels;
  const float* inside = roi_sorted + i * roi_pixels;

  int finite = 1;
  for (std::int64_t p = threadIdx.x; p < map_pixels; p += kThreads) finite &= isfinite(map[p]) ? 1 : 0;
  detail::AlignmentSums s;
  s.finite = __syncthreads_and(finite) != 0;
  __shared__ Extremes extremes;
  Extremes local{u[0], u[0]};
  for (std::int64_t p = threadIdx.x; p < roi_pixels; p += kThreads) {
    local.low = fmin(local.low, u[p]);
    local.high = fmax(local.high, u[p]);
  }
  local = ExtremeReduce(temp.extremes).Reduce(local, CombineExtremes{});
  if (threadIdx.x == 0) extremes = local;
  __syncthreads();
  s.minimum = extremes.low;
  s.maximum = extremes.high;
  const bool scaled = s.minimum != s.maximum;
  const float top_score = detail::ranking_score(s.maximum);

  detail::Sums<long long, 3> counts{};  // |R|, |B ∩ R|, |B|
  detail::Sums<double, 3> sums{};       // Σ G R, Σ G, pointing hit
  for (std::int64_t p = threadIdx.x; p < roi_pixels; p += kThreads) {
    const bool in_roi = roi[p] != 0;
    counts.v[0] += in_roi;
    if (in_roi && detail::ranking_score(u[p]) == top_score) sums.v[2] = 1;
    if (!scaled) continue;
    const double g = detail::scaled(u[p], s.minimum, s.maximum);
    const bool above = g >= params.dice_threshold;
    counts.v[1] += above && in_roi;
    counts.v[2] += above;
    sums.v[0] += in_roi ? g : 0.0;
    sums.v[1] += g;
  }
  counts = CountReduce(temp.counts).Reduce(counts, detail::AddSums{});
  if (threadIdx.x == 0) roi_count = counts.v[0];
  __syncthreads();
  const detail::Sums<double, 3> dice = SumReduce(temp.sums).Reduce(sums, detail::AddSums{});
  __syncthreads();

  detail::Sums<double, 3> precision{};
  if (s.finite) {
    for (std::int64_t j = threadIdx.x; j < roi_count; j += kThreads) {
      precision.v[0] += detail::precision_at(all, roi_pixels, inside, roi_count, j);
    }
  }
  precision = SumReduce(temp.sums).Reduce(precision, detail::AddSums{});
  if (threadIdx.x == 0) {
    s.roi_pixels = roi_count;
    s.hard_overlap = counts.v[1];
    s.hard_pixels = counts.v[2];
    s.soft_overlap = dice.v[0];
    s.soft_sum = dice.v[1];
    s.max_in_roi = dice.v[2] > 0;
    s.precision_sum = precision.v[0];
    detail::finalize_alignment(s, features + i * alignment::kColumns, reasons + i * alignment::kColumns);
  }
}

__global__ void rasterize_kernel(const RoiBox* boxes, std::int64_t h, std::int64_t w, std::uint8_t* rois) {
  const RoiBox box = boxes[blockIdx.x];
  const detail::PixelRange rows = detail::box_pixels(box.y0, box.y1, h);
  const detail::PixelRange cols = detail::box_pixels(box.x0, box.x1, w);
  const std::int64_t width = cols.end - cols.begin;
  const std::int64_t count = (rows.end - rows.begin) * width;
  for (std::int64_t k = threadIdx.x; k < count; k += kThreads) {
    rois[(box.map * h + rows.begin + k / width) * w + cols.begin + k % width] = 1;
  }
}

}  // namespace

void compute_alignment(const AlignmentBatch& batch, const AlignmentParams& params, double* features,
                       FeatureReason* reasons, void* cuda_stream) {
  const auto stream = static_cast<cudaStream_t>(cuda_stream);
  const std::int64_t roi_pixels = batch.roi_h * batch.roi_w;
  const auto items = static_cast<std::size_t>(batch.n * roi_pixels);
  detail::StreamBuffer<double> upsampled(items, stream);
  detail::StreamBuffer<float> scores(items, stream), roi_scores(items, stream);
  detail::StreamBuffer<float> all_sorted(items, stream), roi_sorted(items, stream);
  const auto blocks = static_cast<unsigned>(batch.n);
  upsample_kernel<<<blocks, kThreads, 0, stream>>>(batch, upsampled.get(), scores.get(), roi_scores.get());
  SALIENT_CUDA_CHECK_LAUNCH();
  detail::sort_segments(scores.get(), all_sorted.get(), batch.n, roi_pixels, stream);
  detail::sort_segments(roi_scores.get(), roi_sorted.get(), batch.n, roi_pixels, stream);
  alignment_kernel<<<blocks, kThreads, 0, stream>>>(batch, params, upsampled.get(), all_sorted.get(),
                                                    roi_sorted.get(), features, reasons);
  SALIENT_CUDA_CHECK_LAUNCH();
}

void rasterize_boxes(const RoiBox* boxes, std::int64_t box_count, std::int64_t n, std::int64_t h, std::int64_t w,
                     std::uint8_t* rois, void* cuda_stream) {
  const auto stream = static_cast<cudaStream_t>(cuda_stream);
  SALIENT_CUDA_CHECK(cudaMemsetAsync(rois, 0, static_cast<std::size_t>(n * h * w), stream));
  if (box_count == 0) return;
  detail::StreamBuffer<RoiBox> device_boxes(static_cast<std::size_t>(box_count), stream);
  SALIENT_CUDA_CHECK(cudaMemcpyAsync(device_boxes.get(), boxes, static_cast<std::size_t>(box_count) * sizeof(RoiBox),
                                     cudaMemcpyHostToDevice, stream));
  rasterize_kernel<<<static_cast<unsigned>(box_count), kThreads, 0, stream>>>(device_boxes.get(), h, w, rois);
  SALIENT_CUDA_CHECK_LAUNCH();
}

}  // namespace salient::kernels::cuda_impl
