#include "engine/runtime/device.h"

#include <ATen/Context.h>
#include <spdlog/spdlog.h>
#include <torch/cuda.h>

#include <cstdlib>

#include "salient/check.h"
#include "salient/kernels/execution.h"

namespace salient::runtime {

DeviceChoice parse_device_choice(const std::string& text) {
  if (text == "auto") return DeviceChoice::automatic;
  if (text == "cpu") return DeviceChoice::cpu;
  if (text == "cuda") return DeviceChoice::cuda;
  throw Error("--device must be auto, cpu or cuda, not '" + text + "'");
}

c10::Device resolve_device(DeviceChoice choice, int local_rank) {
  if (choice == DeviceChoice::cpu) {
    spdlog::info("device: CPU (as asked)");
    return c10::Device(c10::kCPU);
  }
  const int count = kernels::cuda_device_count();
  const bool usable = count > 0 && torch::cuda::is_available();
  if (!usable) {
    SALIENT_CHECK(choice != DeviceChoice::cuda, "--device cuda: {}",
                  kernels::cuda_compiled() ? "no usable CUDA device on this machine"
                                           : "salient was built without CUDA");
    spdlog::info("device: CPU (no usable CUDA device{})", kernels::cuda_compiled() ? "" : "; built without CUDA");
    return c10::Device(c10::kCPU);
  }
  const auto index = static_cast<c10::DeviceIndex>(local_rank % count);
  spdlog::info("device: CUDA {} of {}: {}", static_cast<int>(index), count,
               kernels::cuda_device_description(index));
  return c10::Device(c10::kCUDA, index);
}

void use_deterministic_algorithms() {
  setenv("CUBLAS_WORKSPACE_CONFIG", ":4096:8", /*overwrite=*/0);
  auto& context = at::globalContext();
  context.setDeterministicAlgorithms(true, /*warn_only=*/false);
  context.setDeterministicCuDNN(true);
  context.setBenchmarkCuDNN(false);
}

}  // namespace salient::runtime
