// Test-only classifiers whose saliency maps follow by hand: the trunk and the head are
// plain functions of tensors, on the CPU.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "engine/models/classifier.h"

namespace salient::testing {

class FunctionClassifier : public models::Classifier {
 public:
  using Function = std::function<at::Tensor(const at::Tensor&)>;

  /// @param class_maps  the WILDCAT class maps of the trunk's output; empty: not WILDCAT
  FunctionClassifier(std::int64_t classes, std::int64_t trunk_channels, Function trunk, Function head,
                     Function class_maps = {})
      : trunk_channels_(trunk_channels),
        trunk_(std::move(trunk)),
        head_(std::move(head)),
        class_maps_(std::move(class_maps)) {
    spec_.architecture = models::Architecture::small_cnn;
    spec_.classes = classes;
  }

  const models::ModelSpec& spec() const override { return spec_; }
  std::vector<std::string> stages() const override { return {"trunk"}; }
  at::Tensor trunk(const at::Tensor& input, const std::string& tap, at::Tensor* tapped) override {
    auto out = trunk_(input);
    if (!tap.empty() && tapped != nullptr) *tapped = out;
    return out;
  }
  at::Tensor head(const at::Tensor& trunk_output, const at::Tensor& channel_mask) override {
    if (!channel_mask.defined()) return head_(trunk_output);
    return head_(trunk_output * channel_mask.view({channel_mask.size(0), channel_mask.size(1), 1, 1}));
  }
  at::Tensor class_maps(const at::Tensor& trunk_output) override {
    return class_maps_ ? class_maps_(trunk_output) : at::Tensor();
  }
  std::int64_t trunk_channels() const override { return trunk_channels_; }
  void train(bool on) override { training_ = on; }
  void to(const c10::Device&) override {}
  c10::Device device() const override { return c10::Device(c10::kCPU); }
  std::vector<at::Tensor> parameters() override { return {}; }

  bool training() const { return training_; }

 private:
  models::ModelSpec spec_;
  std::int64_t trunk_channels_;
  Function trunk_, head_, class_maps_;
  bool training_ = true;
};

/// y = W·vec(x) + b with W of shape C×ch×S×S: trunk = the input itself, head = linear.
/// ∂y_c/∂x = W_c everywhere.
inline FunctionClassifier linear_classifier(const at::Tensor& weights, const at::Tensor& bias) {
  const auto classes = weights.size(0);
  return FunctionClassifier(
      classes, weights.size(1), [](const at::Tensor& x) { return x; },
      [weights, bias, classes](const at::Tensor& f) { return f.flatten(1).matmul(weights.view({classes, -1}).t()) + bias; });
}

/// One class whose logit depends only on the pixels in @p region (S×S, 0 or 1):
/// trunk A = avg_pool_2(ReLU(x) · region) (S/2 × S/2), head y = mean(A).
inline FunctionClassifier region_classifier(const at::Tensor& region) {
  return FunctionClassifier(
      1, 1, [region](const at::Tensor& x) { return torch::avg_pool2d(torch::relu(x) * region, 2); },
      [](const at::Tensor& f) { return f.mean({1, 2, 3}).unsqueeze(1); });
}

/// A smooth nonlinear CNN (tanh and softplus) on one input channel, two classes: the
/// Integrated Gradients integrand is analytic, so a Gauss–Legendre rule converges fast.
inline FunctionClassifier smooth_cnn(std::uint64_t seed) {
  torch::manual_seed(seed);
  torch::nn::Conv2d first(torch::nn::Conv2dOptions(1, 4, 3).padding(1));
  torch::nn::Conv2d second(torch::nn::Conv2dOptions(4, 4, 3).stride(2).padding(1));
  torch::nn::Linear linear(4, 2);
  return FunctionClassifier(
      2, 4,
      [first, second](const at::Tensor& x) mutable {
        return torch::softplus(second->forward(torch::tanh(first->forward(x))));
      },
      [linear](const at::Tensor& f) mutable { return linear->forward(f.mean({2, 3})); });
}

/// One class, y = ½ Σ x²: ∂y/∂x = x.
inline FunctionClassifier square_classifier() {
  return FunctionClassifier(
      1, 1, [](const at::Tensor& x) { return x; },
      [](const at::Tensor& f) { return 0.5 * f.square().sum({1, 2, 3}).unsqueeze(1); });
}

/// A WILDCAT-like model whose class maps are the input's channels (one class per channel),
/// at the input's size: the map of class c is input channel c.
inline FunctionClassifier channel_map_classifier(std::int64_t classes) {
  return FunctionClassifier(
      classes, classes, [](const at::Tensor& x) { return x; }, [](const at::Tensor& f) { return f.amax({2, 3}); },
      [](const at::Tensor& f) { return f; });
}

}  // namespace salient::testing
