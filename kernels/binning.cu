// CUDA twin of discretize_maps: one block per map; CUB BlockReduce for the masked range,
// then every pixel's level from the edges of detail/binning_terms.h.
#include <cub/block/block_reduce.cuh>

#include "detail/binning_terms.h"
#include "salient/kernels/binning.h"
#include "salient/kernels/cuda_check.h"

namespace salient::kernels::cuda_impl {
namespace {

constexpr int kThreads = 256;

struct MaskedRange {
  float minimum, maximum;
  long long count;
  int all_finite;
};

struct CombineRanges {
  __device__ MaskedRange operator()(const MaskedRange& a, const MaskedRange& b) const {
    return {fminf(a.minimum, b.minimum), fmaxf(a.maximum, b.maximum), a.count + b.count, a.all_finite & b.all_finite};
  }
};

__global__ void discretize_kernel(const float* maps, const std::uint8_t* masks, std::int64_t pixels, BinSpec spec,
                                  std::int32_t* levels, std::int32_t* gray_levels) {
  using BlockReduce = cub::BlockReduce<MaskedRange, kThreads>;
  __shared__ typename BlockReduce::TempStorage temp;
  __shared__ detail::BinEdges edges;
  __shared__ bool usable;
  const std::int64_t i = blockIdx.x;
  const float* map = maps + i * pixels;
  const std::uint8_t* mask = masks ? masks + i * pixels : nullptr;
  std::int32_t* out = levels + i * pixels;

  MaskedRange local{__int_as_float(0x7f800000), __int_as_float(0xff800000), 0, 1};
  for (std::int64_t p = threadIdx.x; p < pixels; p += kThreads) {
    if (mask && !mask[p]) continue;
    local.minimum = fminf(local.minimum, map[p]);
    local.maximum = fmaxf(local.maximum, map[p]);
    ++local.count;
    local.all_finite &= isfinite(map[p]) ? 1 : 0;
  }
  const MaskedRange range = BlockReduce(temp).Reduce(local, CombineRanges{});
  if (threadIdx.x == 0) {
    usable = range.count > 0 && range.all_finite;
    if (usable) edges = detail::make_bin_edges(spec, range.minimum, range.maximum);
    gray_levels[i] = usable ? edges.level(range.maximum) : 0;
  }
  __syncthreads();
  for (std::int64_t p = threadIdx.x; p < pixels; p += kThreads) {
    out[p] = usable && (!mask || mask[p]) ? edges.level(map[p]) : 0;
  }
}

}  // namespace

void discretize_maps(const MapBatch& batch, const BinSpec& spec, std::int32_t* levels, std::int32_t* gray_levels,
                     void* cuda_stream) {
  discretize_kernel<<<static_cast<unsigned>(batch.n), kThreads, 0, static_cast<cudaStream_t>(cuda_stream)>>>(
      batch.maps, batch.masks, batch.h * batch.w, spec, levels, gray_levels);
  SALIENT_CUDA_CHECK_LAUNCH();
}

}  // namespace salient::kernels::cuda_impl
