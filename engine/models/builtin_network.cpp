#include "engine/models/builtin_network.h"

#include <torch/torch.h>

#include <algorithm>

#include <fmt/ranges.h>

#include "salient/check.h"

namespace salient::models {

BuiltinNetwork::BuiltinNetwork(const ModelSpec& spec) : spec_(spec) {
  SALIENT_CHECK(spec.classes >= 1 && spec.in_channels >= 1, "a model needs classes >= 1 and in_channels >= 1 (got {}, {})",
                spec.classes, spec.in_channels);
  SALIENT_CHECK(spec.head_dropout >= 0.0 && spec.head_dropout < 1.0 && spec.trunk_dropout >= 0.0 &&
                    spec.trunk_dropout < 1.0,
                "dropout probabilities must lie in [0, 1) (head {}, trunk {})", spec.head_dropout, spec.trunk_dropout);
}

void BuiltinNetwork::register_head(std::int64_t trunk_channels, const std::string& linear_name) {
  trunk_channels_ = trunk_channels;
  if (spec_.wildcat.enabled) {
    head_name_ = "wildcat";
    wildcat_ = register_module(head_name_, std::make_shared<WildcatHeadImpl>(trunk_channels, spec_.classes, spec_.wildcat));
  } else {
    head_name_ = linear_name;
    linear_ = register_module(head_name_, torch::nn::Linear(trunk_channels, spec_.classes));
  }
}

at::Tensor BuiltinNetwork::trunk(const at::Tensor& input, LayerOps& ops, const std::string& tap, at::Tensor* tapped) {
  if (!tap.empty()) {
    const auto names = stages();
    SALIENT_CHECK(std::find(names.begin(), names.end(), tap) != names.end(), "{} has no stage '{}' (stages: {})",
                  architecture_name(spec_.architecture), tap, fmt::join(names, ", "));
  }
  SALIENT_CHECK(input.dim() == 4 && input.size(1) == spec_.in_channels,
                "{} expects input N×{}×S×S, got {} dimensions with {} channels", architecture_name(spec_.architecture),
                spec_.in_channels, input.dim(), input.dim() > 1 ? input.size(1) : 0);
  StageRecorder recorder(tap, tapped);
  return run_trunk(input, ops, recorder);
}

at::Tensor BuiltinNetwork::head(const at::Tensor& features, const at::Tensor& channel_mask, LayerOps& ops) {
  auto x = features;
  if (channel_mask.defined()) {
    SALIENT_CHECK(channel_mask.dim() == 2 && channel_mask.size(0) == x.size(0) && channel_mask.size(1) == x.size(1),
                  "the channel mask must be N×K = {}×{}", x.size(0), x.size(1));
    x = x * channel_mask.unsqueeze(-1).unsqueeze(-1);
  }
  const bool dropout = is_training() && spec_.head_dropout > 0.0;
  if (wildcat_) {
    // Dropout2d: whole channels, as the mask and the linear head's dropout drop them.
    if (dropout) x = torch::feature_dropout(x, spec_.head_dropout, true);
    return wildcat_->forward(x);
  }
  auto pooled = ops.global_avg_pool(x);
  if (dropout) pooled = torch::dropout(pooled, spec_.head_dropout, true);
  return ops.linear(*linear_, pooled);
}

at::Tensor BuiltinNetwork::class_maps(const at::Tensor& features) {
  return wildcat_ ? wildcat_->class_maps(features) : at::Tensor();
}

void BuiltinNetwork::initialise_like_torchvision(ConvolutionFan fan, bool zero_linear_bias) {
  torch::NoGradGuard no_grad;
  for (auto& module : modules(/*include_self=*/false)) {
    if (auto* convolution = module->as<torch::nn::Conv2d>()) {
      const torch::nn::init::FanModeType mode =
          fan == ConvolutionFan::in ? torch::nn::init::FanModeType(torch::kFanIn) : torch::kFanOut;
      torch::nn::init::kaiming_normal_(convolution->weight, 0.0, mode, torch::kReLU);
    } else if (auto* norm = module->as<torch::nn::BatchNorm2d>()) {
      torch::nn::init::ones_(norm->weight);
      torch::nn::init::zeros_(norm->bias);
    } else if (auto* linear = module->as<torch::nn::Linear>(); linear != nullptr && zero_linear_bias) {
      torch::nn::init::zeros_(linear->bias);
    }
  }
}

}  // namespace salient::models
