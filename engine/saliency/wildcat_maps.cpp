#include "engine/saliency/wildcat_maps.h"

#include <torch/torch.h>

#include "salient/check.h"

namespace salient::saliency {

SaliencyResult wildcat_maps(models::Classifier& model, const at::Tensor& input, const at::Tensor& targets) {
  torch::NoGradGuard no_grad;
  const auto features = model.trunk(input);
  const auto class_maps = model.class_maps(features);
  SALIENT_CHECK(class_maps.defined(),
                "WILDCAT saliency needs a model with a WILDCAT head (class maps); this model's head has none");
  const auto logits = model.head(features);
  const auto classes = checked_targets(targets, logits);
  const auto n = class_maps.size(0);
  const auto index = classes.view({n, 1, 1, 1}).expand({n, 1, class_maps.size(2), class_maps.size(3)});
  return {upsample_to_input(class_maps.gather(1, index).squeeze(1), input.size(-1)), logits};
}

}  // namespace salient::saliency
