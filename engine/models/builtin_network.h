// The base of salient's built-in architectures: a convolutional trunk, written by each
// architecture with torchvision's module names (so torchvision's state_dict loads by name),
// and a head shared by all of them:
//   linear   channel mask → global average pool → dropout(head_dropout, training only)
//            → Linear, registered under torchvision's name ("classifier" or "fc");
//   WILDCAT  channel mask → channel dropout(head_dropout, training only) → WildcatHead,
//            registered as "wildcat" (no torchvision counterpart).
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/models/layer_ops.h"
#include "engine/models/model_spec.h"
#include "engine/models/wildcat_head.h"

namespace salient::models {

/// Hands the trunk's stage outputs to trunk()'s caller: the one named @p tap, if any.
class StageRecorder {
 public:
  StageRecorder(const std::string& tap, at::Tensor* tapped) : tap_(tap), tapped_(tapped) {}
  void record(const char* stage, const at::Tensor& output) {
    if (tapped_ != nullptr && tap_ == stage) *tapped_ = output;
  }

 private:
  const std::string& tap_;
  at::Tensor* tapped_;
};

class BuiltinNetwork : public torch::nn::Module {
 public:
  const ModelSpec& spec() const { return spec_; }
  /// The trunk's stages in forward order; the last is the trunk's output.
  virtual std::vector<std::string> stages() const = 0;
  std::int64_t trunk_channels() const { return trunk_channels_; }
  /// Name of the head's module ("classifier", "fc" or "wildcat"): its parameters' prefix.
  const std::string& head_name() const { return head_name_; }

  /// The trunk's output; *tapped receives stage @p tap's output (checked against stages()).
  at::Tensor trunk(const at::Tensor& input, LayerOps& ops, const std::string& tap = {}, at::Tensor* tapped = nullptr);
  /// Logits N×C; @p channel_mask (N×K, optional) multiplies the trunk's channels first.
  at::Tensor head(const at::Tensor& features, const at::Tensor& channel_mask, LayerOps& ops);
  /// WILDCAT class maps N×C×h×w; undefined for the linear head.
  at::Tensor class_maps(const at::Tensor& features);

 protected:
  explicit BuiltinNetwork(const ModelSpec& spec);
  /// Registers the head; call after the trunk's modules, with the trunk's channel count
  /// and torchvision's name for the linear classifier.
  void register_head(std::int64_t trunk_channels, const std::string& linear_name);
  virtual at::Tensor run_trunk(const at::Tensor& input, LayerOps& ops, StageRecorder& recorder) = 0;

  /// Kaiming-normal gain for ReLU on every convolution, computed on fan_in (torchvision's
  /// DenseNet) or fan_out (its ResNet); batch norm weight 1 and bias 0; linear bias 0 when
  /// @p zero_linear_bias (DenseNet), else PyTorch's default; linear weights keep theirs.
  enum class ConvolutionFan { in, out };
  void initialise_like_torchvision(ConvolutionFan fan, bool zero_linear_bias);

 private:
  ModelSpec spec_;
  std::int64_t trunk_channels_ = 0;
  std::string head_name_;
  torch::nn::Linear linear_{nullptr};
  std::shared_ptr<WildcatHeadImpl> wildcat_;
};

}  // namespace salient::models
