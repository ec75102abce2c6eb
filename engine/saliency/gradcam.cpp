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

}  // namespace

SaliencyResult gradcam(models::Classifier& model, const at::Tensor& input, const at::Tensor& targets,
                       const std::string& layer) {
  const auto stage = resolved_layer(model, layer);
  torch::AutoGradMode grad_on(true);
  // The input requires a gradient so that the tapped stage is in the graph even when the
  // model's parameters are frozen.
  const auto x = input.detach().requires_grad_(true);
  at::Tensor activations;
  const auto logits = model.head(model.trunk(x, stage, &activations));
  SALIENT_CHECK(activations.defined() && activations.dim() == 4,
                "Grad-CAM: stage '{}' must give N×K×h×w activations, not {}", stage,
                activations.defined() ? c10::str(activations.sizes()) : std::string("nothing"));
  const auto classes = checked_targets(targets, logits);
  const auto score = target_logits(logits, classes).sum();
  const auto gradients = torch::autograd::grad({score}, {activations})[0];
  const auto alpha = gradients.mean({2, 3}, /*keepdim=*/true);
  const auto cam = torch::relu((alpha * activations).sum(1));
  return {upsample_to_input(cam, input.size(-1)).detach(), logits.detach()};
}

}  // namespace salient::saliency
