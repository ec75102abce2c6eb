#include "engine/saliency/gradcam.h"

#include <torch/torch.h>

#include <fmt/ranges.h>

#include <algorithm>

#include "salient/check.h"

namespace salient::saliency {
namespace {

std::string resolved_layer(const models::Classifier& model, const std::string& layer) {
  const auto stages = model.stages();
  SALIENT_CHECK(!stages.empty(), "Grad-CAM: the model has no stage to tap");
  if (layer.empty()) return stages.back();
  SALIENT_CHECK(std::find(stages.begin(), stages.end(), layer) != stages.end(),
                "Grad-CAM: the model has no stage '{}'; its stages are {}", layer, fmt::join(stages, ", "));
  return layer;
}

// The map from the tapped activations A and the logits computed from them in one graph.
at::Tensor gradcam_map(const at::Tensor& activations, const at::Tensor& logits, const at::Tensor& targets,
                       const std::string& stage, std::int64_t input_size) {
  SALIENT_CHECK(activations.defined() && activations.dim() == 4,
                "Grad-CAM: stage '{}' must give N×K×h×w activations, not {}", stage,
                activations.defined() ? c10::str(activations.sizes()) : std::string("nothing"));
  const auto classes = checked_targets(targets, logits);
  const auto score = target_logits(logits, classes).sum();
  const auto gradients = torch::autograd::grad({score}, {activations})[0];
  const auto alpha = gradients.mean({2, 3}, /*keepdim=*/true);
  const auto cam = torch::relu((alpha * activations).sum(1));
  return upsample_to_input(cam, input_size).detach();
}

}  // namespace

SaliencyResult gradcam(models::Classifier& model, const at::Tensor& input, const at::Tensor& targets,
                       const std::string& layer) {
  const auto stage = resolved_layer(model, layer);
  if (stage == model.stages().back()) {
    // At the trunk's output the gradient runs through the head alone: the trunk runs
    // without autograd, keeping none of its intermediate activations (the same values,
    // about the cost of a forward pass).
    at::Tensor trunk_output;
    {
      const torch::NoGradGuard no_gradient;
      trunk_output = model.trunk(input);
    }
    torch::AutoGradMode grad_on(true);
    const auto activations = trunk_output.detach().requires_grad_(true);
    const auto logits = model.head(activations);
    return {gradcam_map(activations, logits, targets, stage, input.size(-1)), logits.detach(), trunk_output};
  }
  torch::AutoGradMode grad_on(true);
  // The input requires a gradient so that the tapped stage is in the graph even when the
  // model's parameters are frozen.
  const auto x = input.detach().requires_grad_(true);
  at::Tensor activations;
  const auto trunk_output = model.trunk(x, stage, &activations);
  const auto logits = model.head(trunk_output);
  return {gradcam_map(activations, logits, targets, stage, input.size(-1)), logits.detach(), trunk_output.detach()};
}

}  // namespace salient::saliency
