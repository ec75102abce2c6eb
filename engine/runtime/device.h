// The --device choice and its resolution against the machine the process runs on.
#pragma once

#include <c10/core/Device.h>

#include <string>

namespace salient::runtime {

enum class DeviceChoice { automatic, cpu, cuda };

/// Parses "auto", "cpu" or "cuda"; throws salient::Error otherwise.
DeviceChoice parse_device_choice(const std::string& text);

/// The device this rank computes on: CUDA only when asked for or (auto) when a device is
/// present, binding device local_rank % device_count. Asking for cuda where none is
/// usable is an error. Logs the choice.
c10::Device resolve_device(DeviceChoice choice, int local_rank);

/// Makes every later GPU computation of this process deterministic: LibTorch's deterministic
/// algorithms (an operation that has none throws, naming itself), deterministic cuDNN without
/// autotuning, and cuBLAS's fixed workspace (CUBLAS_WORKSPACE_CONFIG, unless already set;
/// it must precede the first cuBLAS call). Source: PyTorch's "Reproducibility" notes.
void use_deterministic_algorithms();

}  // namespace salient::runtime
