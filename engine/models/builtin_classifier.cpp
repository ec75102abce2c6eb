#include "engine/models/builtin_classifier.h"

#include <torch/torch.h>

#include <utility>

namespace salient::models {

BuiltinClassifier::BuiltinClassifier(std::shared_ptr<BuiltinNetwork> network) : network_(std::move(network)) {}

at::Tensor BuiltinClassifier::trunk(const at::Tensor& input, const std::string& tap, at::Tensor* tapped) {
  return network_->trunk(input, plain_ops(), tap, tapped);
}

at::Tensor BuiltinClassifier::head(const at::Tensor& trunk_output, const at::Tensor& channel_mask) {
  return network_->head(trunk_output, channel_mask, plain_ops());
}

at::Tensor BuiltinClassifier::class_maps(const at::Tensor& trunk_output) { return network_->class_maps(trunk_output); }

void BuiltinClassifier::sample_trunk_dropout(bool on) {
  SALIENT_CHECK(!on || (spec().architecture == Architecture::densenet121 && spec().trunk_dropout > 0.0),
                "{} with trunk_dropout {} has no dropout inside its trunk: use head-only MC dropout",
                architecture_name(spec().architecture), spec().trunk_dropout);
  // Dropout follows each module's training flag; batch norm must keep its running statistics,
  // or a sample's prediction would depend on the rest of the batch.
  network_->train(on);
  for (const auto& module : network_->modules(/*include_self=*/false)) {
    if (auto* norm = module->as<torch::nn::BatchNorm2d>()) norm->eval();
  }
}

c10::Device BuiltinClassifier::device() const { return network_->parameters().front().device(); }

}  // namespace salient::models
