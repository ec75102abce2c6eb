// Copies each map's masked values into sort keys (pixels outside the mask become +inf and
// sort last) and counts them, one block per map. Shared by the first-order and shape2D
// CUDA twins.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>
#include <cub/block/block_reduce.cuh>

#include "detail/segmented_sort.cuh"

namespace salient::kernels::detail {

struct SumCountAndFinite {
  __device__ MaskedCount operator()(const MaskedCount& a, const MaskedCount& b) const {
    return {a.count + b.count, a.all_finite & b.all_finite};
  }
};

/// @param keys  n×pixels sort keys, or nullptr to count only
template <int Threads>
__global__ void gather_masked_values(const float* maps, const std::uint8_t* masks, std::int64_t pixels, float* keys,
                                     MaskedCount* counts) {
  using BlockReduce = cub::BlockReduce<MaskedCount, Threads>;
  __shared__ typename BlockReduce::TempStorage temp;
  const std::int64_t i = blockIdx.x;
  const float* map = maps + i * pixels;
  const std::uint8_t* mask = masks ? masks + i * pixels : nullptr;
  MaskedCount local{0, 1};
  for (std::int64_t p = threadIdx.x; p < pixels; p += Threads) {
    const bool inside = !mask || mask[p];
    const float v = map[p];
    if (keys) keys[i * pixels + p] = inside ? v : __int_as_float(0x7f800000);  // +inf
    if (!inside) continue;
    ++local.count;
    local.all_finite &= isfinite(v) ? 1 : 0;
  }
  const MaskedCount total = BlockReduce(temp).Reduce(local, SumCountAndFinite{});
  if (threadIdx.x == 0) counts[i] = total;
}

}  // namespace salient::kernels::detail
