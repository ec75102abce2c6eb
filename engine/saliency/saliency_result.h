// What every saliency method returns, and the steps they share.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace salient::models {
class BuiltinNetwork;
class Classifier;
}  // namespace salient::models

namespace salient::saliency {

struct SaliencyResult {
  at::Tensor maps;    ///< N×S×S float on the model's device, one map per image at the input size
  at::Tensor logits;  ///< N×C logits of the clean input (no noise, no interpolation), detached
  /// The trunk's output for the clean input, detached, when the method computed it on the
  /// way (Grad-CAM); undefined otherwise. Head-only MC dropout reuses it.
  at::Tensor trunk_output{};
};

/// Checks that @p targets holds one class index in [0, C) per row of @p logits (N×C) and
/// returns them as int64 on the logits' device. The range check reads one flag back from
/// the device: a bad index would otherwise be a device-side assertion on a GPU. Undefined
/// @p targets stand for each image's most probable class: the argmax of its logits, taken
/// from the same forward pass the map is computed with.
at::Tensor checked_targets(const at::Tensor& targets, const at::Tensor& logits);

/// The network of @p model, for the methods that propagate layer by layer with their own rule
/// for each layer (LRP, DeepLIFT): a built-in model without the WILDCAT head, for which no
/// rule is defined. Throws salient::Error naming @p method otherwise.
models::BuiltinNetwork& rule_based_network(models::Classifier& model, const char* method);

/// y_{n,t_n}: the target logit of each image, N.
at::Tensor target_logits(const at::Tensor& logits, const at::Tensor& targets);

/// N×h×w maps resized to N×size×size, bilinear with align_corners = false (PyTorch's and
/// Captum's LayerAttribution.interpolate default).
at::Tensor upsample_to_input(const at::Tensor& maps, std::int64_t size);

}  // namespace salient::saliency
