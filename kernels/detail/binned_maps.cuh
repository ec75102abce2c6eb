// A batch binned on the device for the CUDA twins of the texture families (GLRLM, GLDM, NGTDM):
// every pixel's level and each map's Ng (binning.cu), each map's TextureMapStatus (one block
// per map), and the largest Ng not above the family's limit, read back once to size the
// families' count matrices.
#pragma once

#include <cub/block/block_reduce.cuh>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "detail/size_matrix_terms.h"
#include "detail/stream_buffer.cuh"
#include "salient/kernels/binning.h"
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

class BinnedMaps {
 public:
  /// Bins @p batch (maps and masks on the device) with @p bins on @p stream; maps with more
  /// than @p max_gray_levels levels are left to the family's NaN row.
  BinnedMaps(const MapBatch& batch, const BinSpec& bins, int max_gray_levels, cudaStream_t stream)
      : levels_(static_cast<std::size_t>(batch.n * batch.h * batch.w), stream),
        gray_levels_(static_cast<std::size_t>(batch.n), stream),
        status_(static_cast<std::size_t>(batch.n), stream) {
    constexpr int kThreads = 256;
    cuda_impl::discretize_maps(batch, bins, levels_.get(), gray_levels_.get(), stream);
    texture_status_kernel<kThreads><<<static_cast<unsigned>(batch.n), kThreads, 0, stream>>>(
        batch.maps, batch.masks, gray_levels_.get(), batch.h * batch.w, status_.get());
    SALIENT_CUDA_CHECK_LAUNCH();
    std::vector<std::int32_t> host(static_cast<std::size_t>(batch.n));
    SALIENT_CUDA_CHECK(cudaMemcpyAsync(host.data(), gray_levels_.get(), host.size() * sizeof(std::int32_t),
                                       cudaMemcpyDeviceToHost, stream));
    SALIENT_CUDA_CHECK(cudaStreamSynchronize(stream));
    for (const std::int32_t ng : host) {
      if (ng <= max_gray_levels) largest_ = std::max(largest_, static_cast<int>(ng));
    }
  }

  const std::int32_t* levels() const { return levels_.get(); }
  const TextureMapStatus* status() const { return status_.get(); }
  /// The largest Ng of a map the family computes: its matrices have largest + 1 rows.
  int largest_gray_levels() const { return largest_; }

 private:
  StreamBuffer<std::int32_t> levels_;
  StreamBuffer<std::int32_t> gray_levels_;
  StreamBuffer<TextureMapStatus> status_;
  int largest_ = 0;
};

}  // namespace salient::kernels::detail
