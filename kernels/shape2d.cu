// CUDA twin of compute_shape2d: the threshold from each map's sorted masked values (quantile)
// or the fixed level, then one block per map sweeps the padded squares with exact integer
// sums (CUB BlockReduce) and the per-row extreme contour vertices (shared-memory atomics);
// thread 0 builds the two hull chains and the block compares their pairs.
#include <cub/block/block_reduce.cuh>

#include <climits>

#include "detail/block_sums.cuh"
#include "detail/feature_rows.h"
#include "detail/masked_values.cuh"
#include "detail/order_statistics.h"
#include "detail/segmented_sort.cuh"
#include "detail/shape2d_terms.h"
#include "detail/stream_buffer.cuh"
#include "salient/kernels/cuda_check.h"
#include "salient/kernels/shape2d.h"

namespace salient::kernels::cuda_impl {
namespace {

constexpr int kThreads = 256;
constexpr int kSumCount = 9;  // the fields of detail::ShapeSums

struct MaxOf {
  __device__ long long operator()(long long a, long long b) const { return a > b ? a : b; }
};

/// Shared memory of one block: per-row leftmost and rightmost vertex, then the two chains.
std::size_t shared_bytes(std::int64_t rows) {
  return static_cast<std::size_t>(rows) * (2 * sizeof(std::int32_t) + 2 * sizeof(detail::HullPoint));
}

__global__ void shape2d_kernel(const float* maps, const std::uint8_t* masks, std::int64_t h, std::int64_t w,
                               const float* sorted_values, const detail::MaskedCount* counts, Shape2DParams params,
                               double* features, FeatureReason* reasons) {
  using SumReduce = cub::BlockReduce<detail::Sums<long long, kSumCount>, kThreads>;
  using MaxReduce = cub::BlockReduce<long long, kThreads>;
  __shared__ union {
    typename SumReduce::TempStorage sums;
    typename MaxReduce::TempStorage max;
  } temp;
  __shared__ double threshold;
  __shared__ int chain_left, chain_right;
  extern __shared__ unsigned char shared[];
  const int rows = static_cast<int>(2 * h + 3);
  auto* row_min = reinterpret_cast<std::int32_t*>(shared);
  std::int32_t* row_max = row_min + rows;
  auto* hull = reinterpret_cast<detail::HullPoint*>(row_max + rows);

  const std::int64_t i = blockIdx.x, pixels = h * w;
  const float* map = maps + i * pixels;
  const std::uint8_t* mask = masks ? masks + i * pixels : nullptr;
  double* row = features + i * shape2d::kColumns;
  FeatureReason* row_reasons = reasons + i * shape2d::kColumns;
  if (counts[i].count == 0 || !counts[i].all_finite) {
    if (threadIdx.x == 0) {
      detail::write_undefined_row(row, row_reasons, shape2d::kColumns,
                                  counts[i].count == 0 ? FeatureReason::empty_mask : FeatureReason::non_finite_value);
    }
    return;
  }
  if (threadIdx.x == 0) {
    threshold = params.threshold == Shape2DParams::Threshold::quantile
                    ? detail::percentile_sorted(sorted_values + i * pixels, counts[i].count, params.quantile)
                    : params.level;
  }
  for (int y = threadIdx.x; y < rows; y += kThreads) {
    row_min[y] = INT_MAX;
    row_max[y] = INT_MIN;
  }
  __syncthreads();

  // Padded pixel (py, px) is map pixel (py - 1, px - 1); the padding ring is background.
  const auto at = [&](std::int64_t py, std::int64_t px) -> unsigned {
    if (py < 1 || py > h || px < 1 || px > w) return 0;
    const std::int64_t p = (py - 1) * w + (px - 1);
    return (!mask || mask[p]) && static_cast<double>(map[p]) >= threshold;
  };
  struct RowExtremes {
    std::int32_t* min_x;
    std::int32_t* max_x;
    __device__ void operator()(std::int64_t y, std::int64_t x) {
      atomicMin(&min_x[y], static_cast<int>(x));
      atomicMax(&max_x[y], static_cast<int>(x));
    }
  } extremes{row_min, row_max};
  detail::ShapeSums local;
  const std::int64_t squares = (h + 1) * (w + 1);
  for (std::int64_t s = threadIdx.x; s < squares; s += kThreads) {
    const std::int64_t iy = s / (w + 1), ix = s % (w + 1);
    const unsigned p2 = at(iy + 1, ix + 1);
    if (p2) {  // square (iy, ix) owns map pixel (iy, ix) as its corner p2
      ++local.pixels;
      local.sum_y += iy;
      local.sum_x += ix;
      local.sum_yy += iy * iy;
      local.sum_xx += ix * ix;
      local.sum_xy += ix * iy;
    }
    const unsigned square = at(iy, ix) | at(iy, ix + 1) << 1 | p2 << 2 | at(iy + 1, ix) << 3;
    if (square == 0 || square == 15) continue;
    detail::add_square_lines(iy, ix, square, local);
    detail::emit_square_vertices(iy, ix, square, extremes);
  }
  detail::Sums<long long, kSumCount> packed{{local.doubled_cross, local.straight_lines, local.diagonal_lines,
                                             local.pixels, local.sum_y, local.sum_x, local.sum_yy, local.sum_xx,
                                             local.sum_xy}};
  packed = SumReduce(temp.sums).Reduce(packed, detail::AddSums{});
  __syncthreads();  // the row extremes are complete

  if (threadIdx.x == 0) {
    const auto row_has = [&](int y) { return row_min[y] <= row_max[y]; };
    chain_left = detail::half_hull(row_min, rows, +1, row_has, hull);
    chain_right = detail::half_hull(row_max, rows, -1, row_has, hull + chain_left);
  }
  __syncthreads();
  const int chain = chain_left + chain_right;
  long long best = 0;
  for (long long pair = threadIdx.x; pair < static_cast<long long>(chain) * chain; pair += kThreads) {
    const int a = static_cast<int>(pair / chain), b = static_cast<int>(pair % chain);
    if (a < b) best = max(best, static_cast<long long>(detail::squared_distance(hull[a], hull[b])));
  }
  best = MaxReduce(temp.max).Reduce(best, MaxOf{});
  if (threadIdx.x == 0) {
    detail::ShapeSums total;
    total.doubled_cross = packed.v[0];
    total.straight_lines = packed.v[1];
    total.diagonal_lines = packed.v[2];
    total.pixels = packed.v[3];
    total.sum_y = packed.v[4];
    total.sum_x = packed.v[5];
    total.sum_yy = packed.v[6];
    total.sum_xx = packed.v[7];
    total.sum_xy = packed.v[8];
    if (total.pixels == 0) {
      detail::write_undefined_row(row, row_reasons, shape2d::kColumns, FeatureReason::empty_mask);
    } else {
      detail::finalize_shape2d(total, best, row, row_reasons);
    }
  }
}

}  // namespace

void compute_shape2d(const MapBatch& batch, const Shape2DParams& params, double* features, FeatureReason* reasons,
                     void* cuda_stream) {
  const auto stream = static_cast<cudaStream_t>(cuda_stream);
  const std::int64_t pixels = batch.h * batch.w;
  const std::size_t dynamic_shared = shared_bytes(2 * batch.h + 3);
  int device = 0, shared_limit = 0;
  SALIENT_CUDA_CHECK(cudaGetDevice(&device));
  SALIENT_CUDA_CHECK(cudaDeviceGetAttribute(&shared_limit, cudaDevAttrMaxSharedMemoryPerBlockOptin, device));
  SALIENT_CHECK(dynamic_shared + 1024 <= static_cast<std::size_t>(shared_limit),
                "shape2D on the GPU handles maps of up to about {} rows, got {}", shared_limit / 48, batch.h);
  SALIENT_CUDA_CHECK(cudaFuncSetAttribute(shape2d_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                          static_cast<int>(dynamic_shared)));

  const bool quantile = params.threshold == Shape2DParams::Threshold::quantile;
  const auto items = static_cast<std::size_t>(quantile ? batch.n * pixels : 0);
  detail::StreamBuffer<float> keys(items, stream), sorted(items, stream);
  detail::StreamBuffer<detail::MaskedCount> counts(static_cast<std::size_t>(batch.n), stream);
  const auto blocks = static_cast<unsigned>(batch.n);
  detail::gather_masked_values<kThreads><<<blocks, kThreads, 0, stream>>>(
      batch.maps, batch.masks, pixels, quantile ? keys.get() : nullptr, counts.get());
  SALIENT_CUDA_CHECK_LAUNCH();
  if (quantile) detail::sort_segments(keys.get(), sorted.get(), batch.n, pixels, stream);
  shape2d_kernel<<<blocks, kThreads, dynamic_shared, stream>>>(batch.maps, batch.masks, batch.h, batch.w,
                                                               sorted.get(), counts.get(), params, features, reasons);
  SALIENT_CUDA_CHECK_LAUNCH();
}

}  // namespace salient::kernels::cuda_impl
