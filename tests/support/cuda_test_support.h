// Helpers for CPU↔CUDA twin tests: whether a device is usable here, and device buffers
// that are poisoned before a kernel writes them, so an unwritten output cannot pass.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "salient/kernels/execution.h"

#ifdef SALIENT_WITH_CUDA
#include <cuda_runtime.h>

#include "salient/kernels/cuda_check.h"
#endif

namespace salient::testing {

/// Skips the calling test, with the reason, unless a CUDA device is usable.
#define SALIENT_SKIP_WITHOUT_CUDA()                                                          \
  do {                                                                                       \
    if (!::salient::kernels::cuda_compiled()) GTEST_SKIP() << "salient was built without CUDA"; \
    if (::salient::kernels::cuda_device_count() == 0) GTEST_SKIP() << "no CUDA device on this machine"; \
  } while (false)

#ifdef SALIENT_WITH_CUDA
/// An array in device memory, copied from and back to host vectors.
template <typename T>
class DeviceBuffer {
 public:
  explicit DeviceBuffer(std::size_t size) : size_(size) { SALIENT_CUDA_CHECK(cudaMalloc(&data_, bytes())); }
  explicit DeviceBuffer(const std::vector<T>& host) : DeviceBuffer(host.size()) {
    SALIENT_CUDA_CHECK(cudaMemcpy(data_, host.data(), bytes(), cudaMemcpyHostToDevice));
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  ~DeviceBuffer() { cudaFree(data_); }

  T* get() { return data_; }
  /// Fills every byte with 0xFF: NaN for floats, -1 for signed integers.
  void poison() { SALIENT_CUDA_CHECK(cudaMemset(data_, 0xFF, bytes())); }
  std::vector<T> to_host() const {
    std::vector<T> host(size_);
    SALIENT_CUDA_CHECK(cudaDeviceSynchronize());
    SALIENT_CUDA_CHECK(cudaMemcpy(host.data(), data_, bytes(), cudaMemcpyDeviceToHost));
    return host;
  }

 private:
  std::size_t bytes() const { return size_ * sizeof(T); }
  T* data_ = nullptr;
  std::size_t size_;
};
#endif

}  // namespace salient::testing
