// Sorts a batch of equal-length segments (one per map) ascending with CUB's
// DeviceSegmentedSort, in stream-ordered scratch memory. For the CUDA twins that need each
// map's values in order (percentiles, histogram runs, quantile thresholds, average precision).
#pragma once

#include <cuda_runtime.h>

#include <cstdint>
#include <cub/device/device_segmented_sort.cuh>

#include "detail/stream_buffer.cuh"
#include "salient/kernels/cuda_check.h"

namespace salient::kernels::detail {

template <typename Offset>
__global__ void fill_segment_offsets(Offset* offsets, std::int64_t segments, std::int64_t length) {
  const std::int64_t s = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  if (s <= segments) offsets[s] = static_cast<Offset>(s * length);
}

/// keys_out[s·length + k] = the k-th smallest of keys_in[s·length, (s+1)·length).
template <typename Key>
void sort_segments(const Key* keys_in, Key* keys_out, std::int64_t segments, std::int64_t length,
                   cudaStream_t stream) {
  StreamBuffer<std::int64_t> offsets(static_cast<std::size_t>(segments + 1), stream);
  constexpr int threads = 256;
  fill_segment_offsets<<<static_cast<unsigned>((segments + threads) / threads), threads, 0, stream>>>(
      offsets.get(), segments, length);
  SALIENT_CUDA_CHECK_LAUNCH();
  std::size_t temp_bytes = 0;
  SALIENT_CUDA_CHECK(cub::DeviceSegmentedSort::SortKeys(nullptr, temp_bytes, keys_in, keys_out, segments * length,
                                                         segments, offsets.get(), offsets.get() + 1, stream));
  StreamBuffer<unsigned char> temp(temp_bytes, stream);
  SALIENT_CUDA_CHECK(cub::DeviceSegmentedSort::SortKeys(temp.get(), temp_bytes, keys_in, keys_out, segments * length,
                                                         segments, offsets.get(), offsets.get() + 1, stream));
}

/// Per-map facts gathered while copying the masked values out: how many, and whether all
/// are finite.
struct MaskedCount {
  long long count;
  int all_finite;
};

}  // namespace salient::kernels::detail
