// Device discovery for builds with CUDA: every query tolerates a machine without a GPU.
#include <cuda_runtime_api.h>

#include <fmt/format.h>

#include "salient/kernels/cuda_check.h"
#include "salient/kernels/execution.h"

namespace salient::kernels {

bool cuda_compiled() { return true; }

int cuda_device_count() {
  // Without a driver this returns cudaErrorInsufficientDriver and leaves count untouched.
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();  // clear the sticky error so later calls start clean
    return 0;
  }
  return count;
}

std::string cuda_device_description(int device) {
  cudaDeviceProp prop{};
  SALIENT_CUDA_CHECK(cudaGetDeviceProperties(&prop, device));
  return fmt::format("{} (sm_{}{}, {:.1f} GiB)", prop.name, prop.major, prop.minor,
                     static_cast<double>(prop.totalGlobalMem) / (1u << 30));
}

std::string cuda_runtime_version() {
  int version = 0;
  cudaRuntimeGetVersion(&version);
  return fmt::format("{}.{}", version / 1000, (version % 1000) / 10);
}

}  // namespace salient::kernels
