// CUDA twin of compute_first_order: masked values copied out and sorted per map (CUB
// DeviceSegmentedSort), then one block per map reads its sorted values in five strided passes
// (sums, central moments, P10..P90 mean, its absolute deviations, histogram runs) with CUB
// BlockReduce, and thread 0 finishes with the formulas of detail/first_order_terms.h.
#include <cub/block/block_reduce.cuh>

#include "detail/binning_terms.h"
#include "detail/block_sums.cuh"
#include "detail/first_order_terms.h"
#include "detail/masked_values.cuh"
#include "detail/segmented_sort.cuh"
#include "detail/stream_buffer.cuh"
#include "salient/kernels/cuda_check.h"
#include "salient/kernels/first_order.h"

namespace salient::kernels::cuda_impl {
namespace {

constexpr int kThreads = 256;

template <int K>
using BlockSums = cub::BlockReduce<detail::Sums<double, K>, kThreads>;

__global__ void first_order_kernel(const float* sorted_values, const detail::MaskedCount* counts,
                                   std::int64_t pixels, FirstOrderParams params, double* features,
                                   FeatureReason* reasons) {
  __shared__ union {
    typename BlockSums<2>::TempStorage two;
    typename BlockSums<4>::TempStorage four;
  } temp;
  __shared__ detail::FirstOrderOrderStats order;
  __shared__ std::int64_t robust_begin, robust_end;  // v[robust_begin, robust_end) lie in [P10, P90]
  __shared__ detail::BinEdges edges;
  __shared__ double mean, robust_mean;

  const std::int64_t i = blockIdx.x;
  const float* v = sorted_values + i * pixels;
  const std::int64_t n = counts[i].count;
  double* row = features + i * first_order::kColumns;
  FeatureReason* row_reasons = reasons + i * first_order::kColumns;
  if (n == 0 || !counts[i].all_finite) {
    if (threadIdx.x == 0) {
      detail::write_undefined_row(row, row_reasons, first_order::kColumns,
                                  n == 0 ? FeatureReason::empty_mask : FeatureReason::non_finite_value);
    }
    return;
  }
  if (threadIdx.x == 0) {
    order = detail::order_stats_from(n, v[0], v[n - 1], [v](std::int64_t r) { return v[r]; });
    // PyRadiomics drops values with x - P10 < 0 or x - P90 > 0.
    robust_begin = detail::lower_bound_index(v, 0, n, order.p10);
    robust_end = detail::upper_bound_index(v, 0, n, order.p90);
    edges = detail::make_bin_edges(params.bins, v[0], v[n - 1]);
  }
  __syncthreads();
  detail::FirstOrderSums sums;  // completed by thread 0 across the passes
  sums.count = n;

  detail::Sums<double, 2> raw{};
  for (std::int64_t p = threadIdx.x; p < n; p += kThreads) {
    const double x = v[p];
    raw.v[0] += x;
    raw.v[1] += (x + params.voxel_array_shift) * (x + params.voxel_array_shift);
  }
  raw = BlockSums<2>(temp.two).Reduce(raw, detail::AddSums{});
  if (threadIdx.x == 0) {
    sums.sum = raw.v[0];
    sums.shifted_squares = raw.v[1];
    mean = raw.v[0] / static_cast<double>(n);
  }
  __syncthreads();

  detail::Sums<double, 4> central{};
  for (std::int64_t p = threadIdx.x; p < n; p += kThreads) {
    const double d = v[p] - mean;
    central.v[0] += fabs(d);
    central.v[1] += d * d;
    central.v[2] += d * d * d;
    central.v[3] += d * d * d * d;
  }
  central = BlockSums<4>(temp.four).Reduce(central, detail::AddSums{});
  if (threadIdx.x == 0) {
    for (int k = 0; k < 4; ++k) sums.central[k] = central.v[k];
  }
  __syncthreads();

  detail::Sums<double, 2> robust{};
  for (std::int64_t p = robust_begin + threadIdx.x; p < robust_end; p += kThreads) robust.v[0] += v[p];
  robust = BlockSums<2>(temp.two).Reduce(robust, detail::AddSums{});
  if (threadIdx.x == 0) {
    sums.robust_count = robust_end - robust_begin;
    robust_mean = robust.v[0] / static_cast<double>(sums.robust_count);
  }
  __syncthreads();

  // Robust absolute deviations, and the histogram: each run of equal levels is a bin, found
  // from its first position by a binary search for its end.
  detail::Sums<double, 4> tail{};
  for (std::int64_t p = robust_begin + threadIdx.x; p < robust_end; p += kThreads) {
    tail.v[0] += fabs(v[p] - robust_mean);
  }
  for (std::int64_t p = threadIdx.x; p < n; p += kThreads) {
    const std::int32_t level = edges.level(v[p]);
    if (p > 0 && edges.level(v[p - 1]) == level) continue;
    detail::add_bin(detail::run_end(v, p + 1, n, edges, level) - p, n, tail.v[1], tail.v[2]);
  }
  tail = BlockSums<4>(temp.four).Reduce(tail, detail::AddSums{});
  if (threadIdx.x == 0) {
    sums.robust_abs_dev = tail.v[0];
    sums.entropy = tail.v[1];
    sums.uniformity = tail.v[2];
    detail::finalize_first_order(sums, order, row, row_reasons);
  }
}

}  // namespace

void compute_first_order(const MapBatch& batch, const FirstOrderParams& params, double* features,
                         FeatureReason* reasons, void* cuda_stream) {
  const auto stream = static_cast<cudaStream_t>(cuda_stream);
  const std::int64_t pixels = batch.h * batch.w;
  const auto items = static_cast<std::size_t>(batch.n * pixels);
  detail::StreamBuffer<float> keys(items, stream), sorted(items, stream);
  detail::StreamBuffer<detail::MaskedCount> counts(static_cast<std::size_t>(batch.n), stream);
  const auto blocks = static_cast<unsigned>(batch.n);
  detail::gather_masked_values<kThreads>
      <<<blocks, kThreads, 0, stream>>>(batch.maps, batch.masks, pixels, keys.get(), counts.get());
  SALIENT_CUDA_CHECK_LAUNCH();
  detail::sort_segments(keys.get(), sorted.get(), batch.n, pixels, stream);
  first_order_kernel<<<blocks, kThreads, 0, stream>>>(sorted.get(), counts.get(), pixels, params, features, reasons);
  SALIENT_CUDA_CHECK_LAUNCH();
}

}  // namespace salient::kernels::cuda_impl
