// Helpers for the CUDA benchmarks: skip without a device, time with CUDA events, device
// arrays copied from and back to host vectors, and the check of a CUDA twin against the CPU
// twin before it is timed.
#pragma once

#ifdef SALIENT_WITH_CUDA
#include <benchmark/benchmark.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
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

/// The first cpu.size() values of @p gpu that differ from the CPU twin's @p cpu beyond
/// @p tolerance relative, or in NaN-ness.
inline std::int64_t count_wrong(const std::vector<double>& gpu, const std::vector<double>& cpu, double tolerance) {
  std::int64_t wrong = 0;
  for (std::size_t k = 0; k < cpu.size(); ++k) {
    const bool both_nan = std::isnan(gpu[k]) && std::isnan(cpu[k]);
    wrong += !both_nan && !(std::abs(gpu[k] - cpu[k]) <= tolerance * std::max(1.0, std::abs(cpu[k])));
  }
  return wrong;
}

template <typename T>
class DeviceArray;

/// The twin check and timing of a map-feature CUDA benchmark: runs @p run once, counts the
/// first cpu.size() values of @p features that differ from the CPU twin's @p cpu beyond
/// @p tolerance (relative; NaN equals NaN) as the counter "wrong" and fails when any, then
/// times @p run and reports @p maps maps of side × side float32 pixels per iteration.
template <typename Run>
void check_and_time_map_twin(benchmark::State& state, const DeviceArray<double>& features,
                             const std::vector<double>& cpu, double tolerance, std::int64_t maps, std::int64_t side,
                             Run run);

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

template <typename Run>
void check_and_time_map_twin(benchmark::State& state, const DeviceArray<double>& features,
                             const std::vector<double>& cpu, double tolerance, std::int64_t maps, std::int64_t side,
                             Run run) {
  run();
  const std::int64_t wrong = count_wrong(features.to_host(), cpu, tolerance);
  time_cuda(state, run);
  state.SetItemsProcessed(state.iterations() * maps);
  state.SetBytesProcessed(state.iterations() * maps * side * side * 4);
  state.counters["wrong"] = static_cast<double>(wrong);
  if (wrong > 0) state.SkipWithError("CUDA twin disagrees with the CPU twin");
}

}  // namespace salient::bench
#endif
