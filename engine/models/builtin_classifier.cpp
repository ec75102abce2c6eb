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

c10::Device BuiltinClassifier::device() const { return network_->parameters().front().device(); }

}  // namespace salient::models
