// Each map's TextureMapStatus on the device (masked pixels, finiteness, Ng), for the CUDA
// twins of the texture families whose matrices count (level, size) pairs.
#pragma once

#include <cub/block/block_reduce.cuh>

#include <cstdint>

#include "detail/size_matrix_terms.h"
#include "salient/kernels/cuda_check.h"

namespace salient::kernels::detail {

struct TextureStatusParts {
  long long masked;
  int finite;
};

struct CombineTextureStatus {
  __device__ TextureStatusParts operator()(const TextureStatusParts& a, const TextureStatusParts& b) const {
    return {a.masked + b.masked, a.finite & b.finite};
  }
};

/// One block of Threads per map.
template <int Threads>
__global__ void texture_status_kernel(const float* maps, const std::uint8_t* masks, const std::int32_t* gray_levels,
                                      std::int64_t pixels, TextureMapStatus* status) {
  using BlockReduce = cub::BlockReduce<TextureStatusParts, Threads>;
  __shared__ typename BlockReduce::TempStorage temp;
  const std::int64_t i = blockIdx.x;
  TextureStatusParts local{0, 1};
  for (std::int64_t p = threadIdx.x; p < pixels; p += Threads) {
    if (masks && !masks[i * pixels + p]) continue;
    ++local.masked;
    local.finite &= isfinite(maps[i * pixels + p]) ? 1 : 0;
  }
  const TextureStatusParts total = BlockReduce(temp).Reduce(local, CombineTextureStatus{});
  if (threadIdx.x == 0) status[i] = {total.masked, total.finite != 0, gray_levels[i]};
}

/// The status of the n maps of @p batch (maps, masks and Ng on the device) into @p status.
inline void texture_status(const MapBatch& batch, const std::int32_t* gray_levels, TextureMapStatus* status,
                           cudaStream_t stream) {
  constexpr int kThreads = 256;
  texture_status_kernel<kThreads><<<static_cast<unsigned>(batch.n), kThreads, 0, stream>>>(
      batch.maps, batch.masks, gray_levels, batch.h * batch.w, status);
  SALIENT_CUDA_CHECK_LAUNCH();
}

}  // namespace salient::kernels::detail
