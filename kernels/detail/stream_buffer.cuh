// Device scratch memory ordered on a stream (cudaMallocAsync / cudaFreeAsync), for the
// temporaries of the CUDA twins and CUB's temp storage.
#pragma once

#include <cuda_runtime.h>

#include <algorithm>
#include <cstddef>

#include "salient/kernels/cuda_check.h"

namespace salient::kernels::detail {

template <typename T>
class StreamBuffer {
 public:
  StreamBuffer(std::size_t size, cudaStream_t stream) : stream_(stream) {
    SALIENT_CUDA_CHECK(
        cudaMallocAsync(reinterpret_cast<void**>(&data_), std::max<std::size_t>(size, 1) * sizeof(T), stream));
  }
  StreamBuffer(const StreamBuffer&) = delete;
  StreamBuffer& operator=(const StreamBuffer&) = delete;
  ~StreamBuffer() { cudaFreeAsync(data_, stream_); }

  T* get() const { return data_; }

 private:
  T* data_ = nullptr;
  cudaStream_t stream_;
};

}  // namespace salient::kernels::detail
