// A Classifier over one of salient's built-in networks (DenseNet-121, ResNet-18/50, the
// small CNN), with the plain forward pass.
#pragma once

#include <memory>

#include "engine/models/builtin_network.h"
#include "engine/models/classifier.h"

namespace salient::models {

class BuiltinClassifier final : public Classifier {
 public:
  explicit BuiltinClassifier(std::shared_ptr<BuiltinNetwork> network);

  const ModelSpec& spec() const override { return network_->spec(); }
  std::vector<std::string> stages() const override { return network_->stages(); }
  at::Tensor trunk(const at::Tensor& input, const std::string& tap = {}, at::Tensor* tapped = nullptr) override;
  at::Tensor head(const at::Tensor& trunk_output, const at::Tensor& channel_mask = {}) override;
  at::Tensor class_maps(const at::Tensor& trunk_output) override;
  std::int64_t trunk_channels() const override { return network_->trunk_channels(); }
  void train(bool on) override { network_->train(on); }
  /// DenseNet-121 with trunk_dropout > 0 only: every module in training mode but batch norm.
  void sample_trunk_dropout(bool on) override;
  void to(const c10::Device& device) override { network_->to(device); }
  c10::Device device() const override;
  std::vector<at::Tensor> parameters() override { return network_->parameters(); }

  /// The network itself: its named parameters and buffers (checkpoints, state dicts) and
  /// its forward pass with other layer rules (LRP).
  BuiltinNetwork& network() { return *network_; }

 private:
  std::shared_ptr<BuiltinNetwork> network_;
};

}  // namespace salient::models
