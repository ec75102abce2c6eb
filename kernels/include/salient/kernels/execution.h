// Where a kernel runs: on the host (the CPU twin) or on a CUDA stream (the CUDA twin).
// Pointers handed to a kernel live where it runs: host memory for Backend::cpu, device
// memory for Backend::cuda.
#pragma once

#include <string>

namespace salient::kernels {

enum class Backend { cpu, cuda };

struct ExecutionContext {
  Backend backend = Backend::cpu;
  /// The cudaStream_t to launch on (nullptr: the default stream); ignored on the CPU.
  void* cuda_stream = nullptr;
};

/// True when this build contains the CUDA twins.
bool cuda_compiled();

/// Number of usable CUDA devices; 0 without a driver or a device (never an error).
int cuda_device_count();

/// "NVIDIA H100 80GB HBM3 (sm_90, 79.2 GiB)" for a usable device.
std::string cuda_device_description(int device);

/// Version of the CUDA runtime linked in, as "13.0"; "none" in a CPU-only build.
std::string cuda_runtime_version();

}  // namespace salient::kernels
