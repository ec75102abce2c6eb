// Reduced precision and memory layout for model runs on a GPU: autocast to bf16 or fp16
// (LibTorch picks per operator what runs in the low precision and what stays in fp32), and
// channels-last tensors, which cuDNN's fastest convolutions prefer on tensor-core GPUs.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <string>
#include <vector>

namespace salient::runtime {

enum class Precision { fp32, bf16, fp16 };

/// Parses "fp32", "bf16" or "fp16"; throws salient::Error otherwise.
Precision parse_precision(const std::string& name);
std::string precision_name(Precision precision);

/// Autocast on @p device's type for the scope's lifetime (nothing for fp32); restores the
/// previous state and clears autocast's cast cache when it ends.
class AutocastScope {
 public:
  AutocastScope(const c10::Device& device, Precision precision);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  c10::DeviceType device_type_;
  bool active_ = false;
  bool was_enabled_ = false;
  c10::ScalarType previous_dtype_ = c10::ScalarType::Float;
};

/// Stores the 4-dimensional tensors (convolution weights) channels-last, in place.
void use_channels_last(const std::vector<at::Tensor>& parameters);

}  // namespace salient::runtime
