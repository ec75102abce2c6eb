#include "engine/saliency/input_gradients.h"

#include <torch/torch.h>

namespace salient::saliency {
namespace {

/// The gradient at the input, with the targets checked against the logits of that pass.
TargetGradient checked_input_gradient(models::Classifier& model, const at::Tensor& input, const at::Tensor& targets) {
  torch::AutoGradMode grad_on(true);
  const auto x = input.detach().requires_grad_(true);
  const auto logits = model.logits(x);
  const auto score = target_logits(logits, checked_targets(targets, logits)).sum();
  return {torch::autograd::grad({score}, {x})[0], logits.detach()};
}

}  // namespace

TargetGradient target_logit_gradient(models::Classifier& model, const at::Tensor& x, const at::Tensor& targets) {
  torch::AutoGradMode grad_on(true);
  const auto leaf = x.detach().requires_grad_(true);
  const auto logits = model.logits(leaf);
  const auto score = target_logits(logits, targets).sum();
  return {torch::autograd::grad({score}, {leaf})[0], logits.detach()};
}

SaliencyResult gradient_maps(models::Classifier& model, const at::Tensor& input, const at::Tensor& targets) {
  const auto [gradient, logits] = checked_input_gradient(model, input, targets);
  return {gradient.abs().sum(1), logits};
}

SaliencyResult gradient_times_input_maps(models::Classifier& model, const at::Tensor& input,
                                         const at::Tensor& targets) {
  const auto [gradient, logits] = checked_input_gradient(model, input, targets);
  return {(input * gradient).sum(1), logits};
}

}  // namespace salient::saliency
