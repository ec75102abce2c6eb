// Helpers for the CUDA benchmarks: skip without a device, time with CUDA events, and
// device arrays copied from and back to host vectors.
#pragma once

#ifdef SALIENT_WITH_CUDA
#include <benchmark/benchmark.h>
#include <cuda_runtime.h>

#include <vector>

#include "salient/kernels/cuda_check.h"

namespace salient::bench {

/// False (and the benchmark skipped with the reason) when no CUDA device is usable.
inline bool cuda_usable(benchmark::State& state) {
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    state.SkipWithError("no CUDA device on this machine");
    return false;
  }
  return true;
}

/// Times body() per iteration with CUDA events on the default stream (UseManualTime).
template <typename Body>
void time_cuda(benchmark::State& state, Body body) {
  cudaEvent_t start, stop;
  SALIENT_CUDA_CHECK(cudaEventCreate(&start));
  SALIENT_CUDA_CHECK(cudaEventCreate(&stop));
  for (auto _ : state) {
    SALIENT_CUDA_CHECK(cudaEventRecord(start));
    body();
    SALIENT_CUDA_CHECK(cudaEventRecord(stop));
    SALIENT_CUDA_CHECK(cudaEventSynchronize(stop));
    float ms = 0;
    SALIENT_CUDA_CHECK(cudaEventElapsedTime(&ms, start, stop));
    state.SetIterationTime(ms / 1e3);
  }
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
}

template <typename T>
class DeviceArray {
 public:
  explicit DeviceArray(std::size_t size) : size_(size) { SALIENT_CUDA_CHECK(cudaMalloc(&data_, size_ * sizeof(T))); }
  explicit DeviceArray(const std::vector<T>& host) : DeviceArray(host.size()) {
    SALIENT_CUDA_CHECK(cudaMemcpy(data_, host.data(), size_ * sizeof(T), cudaMemcpyHostToDevice));
  }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
  ~DeviceArray() { cudaFree(data_); }

  T* get() const { return data_; }
  std::vector<T> to_host() const {
    std::vector<T> host(size_);
    SALIENT_CUDA_CHECK(cudaMemcpy(host.data(), data_, size_ * sizeof(T), cudaMemcpyDeviceToHost));
    return host;
  }

 private:
  T* data_ = nullptr;
  std::size_t size_;
};

}  // namespace salient::bench
#endif
