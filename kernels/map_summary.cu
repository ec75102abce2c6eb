// CUDA twin of summarize_maps: one block per map, CUB BlockReduce for each statistic.
#include <cub/block/block_reduce.cuh>
#include <cuda/std/limits>

#include "salient/kernels/cuda_check.h"
#include "salient/kernels/map_summary.h"

namespace salient::kernels::cuda_impl {
namespace {

constexpr int kThreads = 256;

struct MinMaxSum {
  double min;
  double max;
  double sum;
  long long count;
};

struct CombineMinMaxSum {
  __device__ MinMaxSum operator()(const MinMaxSum& a, const MinMaxSum& b) const {
    return {fmin(a.min, b.min), fmax(a.max, b.max), a.sum + b.sum, a.count + b.count};
  }
};

__global__ void summarize_maps_kernel(const float* maps, const std::uint8_t* masks, std::int64_t pixels,
                                      MapSummary* out) {
  using BlockReduce = cub::BlockReduce<MinMaxSum, kThreads>;
  __shared__ typename BlockReduce::TempStorage temp;

  const std::int64_t map_index = blockIdx.x;
  const float* map = maps + map_index * pixels;
  const std::uint8_t* mask = masks ? masks + map_index * pixels : nullptr;

  MinMaxSum local{cuda::std::numeric_limits<double>::infinity(), -cuda::std::numeric_limits<double>::infinity(),
                  0.0, 0};
  for (std::int64_t p = threadIdx.x; p < pixels; p += kThreads) {
    if (mask && !mask[p]) continue;
    const double v = map[p];
    local.min = fmin(local.min, v);
    local.max = fmax(local.max, v);
    local.sum += v;
    ++local.count;
  }
  const MinMaxSum total = BlockReduce(temp).Reduce(local, CombineMinMaxSum{});
  if (threadIdx.x == 0) {
    const double nan = cuda::std::numeric_limits<double>::quiet_NaN();
    out[map_index] = {total.count, total.count ? total.min : nan, total.count ? total.max : nan, total.sum};
  }
}

}  // namespace

void summarize_maps(const MapBatch& batch, MapSummary* out, void* cuda_stream) {
  summarize_maps_kernel<<<static_cast<unsigned>(batch.n), kThreads, 0, static_cast<cudaStream_t>(cuda_stream)>>>(
      batch.maps, batch.masks, batch.h * batch.w, out);
  SALIENT_CUDA_CHECK_LAUNCH();
}

}  // namespace salient::kernels::cuda_impl
