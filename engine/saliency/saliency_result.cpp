#include "engine/saliency/saliency_result.h"

#include <torch/torch.h>

#include "engine/models/builtin_classifier.h"
#include "salient/check.h"

namespace salient::saliency {

models::BuiltinNetwork& rule_based_network(models::Classifier& model, const char* method) {
  auto* builtin = dynamic_cast<models::BuiltinClassifier*>(&model);
  SALIENT_CHECK(builtin != nullptr, "saliency method {} needs a built-in model, not {}", method,
                models::architecture_name(model.spec().architecture));
  SALIENT_CHECK(!model.spec().wildcat.enabled,
                "saliency method {} has no rule for the WILDCAT head; use the method wildcat for its class maps",
                method);
  return builtin->network();
}

at::Tensor checked_targets(const at::Tensor& targets, const at::Tensor& logits) {
  if (!targets.defined()) return logits.detach().argmax(1);
  SALIENT_CHECK(targets.dim() == 1 && targets.size(0) == logits.size(0),
                "saliency targets must be one class index per image ({}), not a tensor of shape {}",
                logits.size(0), c10::str(targets.sizes()));
  SALIENT_CHECK(!targets.is_floating_point(), "saliency targets must be integer class indices, not {}",
                c10::str(targets.dtype()));
  const auto classes = logits.size(1);
  auto out = targets.to(logits.device(), torch::kInt64);
  SALIENT_CHECK(!(out.lt(0) | out.ge(classes)).any().item<bool>(),
                "saliency targets must be class indices in [0, {}); got {}", classes, c10::str(out.cpu()));
  return out;
}

at::Tensor target_logits(const at::Tensor& logits, const at::Tensor& targets) {
  return logits.gather(1, targets.view({-1, 1})).squeeze(1);
}

at::Tensor upsample_to_input(const at::Tensor& maps, std::int64_t size) {
  namespace F = torch::nn::functional;
  const auto options = F::InterpolateFuncOptions()
                           .size(std::vector<std::int64_t>{size, size})
                           .mode(torch::kBilinear)
                           .align_corners(false);
  return F::interpolate(maps.unsqueeze(1), options).squeeze(1);
}

}  // namespace salient::saliency
