// A classifier small enough to check by hand, for the tests of what runs models (MC dropout,
// ACFT patches, saliency): trunk = a 1×1 convolution from one input channel to K channels
// (a_k·x + b_k), head = global average pooling, then a linear layer C×K.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "engine/models/classifier.h"

namespace salient::testing {

class ProbeClassifier : public models::Classifier {
 public:
  ProbeClassifier(std::int64_t channels, std::int64_t classes, models::OutputKind output, std::uint64_t seed)
      : trunk_(nullptr), head_(nullptr) {
    torch::manual_seed(seed);
    trunk_ = torch::nn::Conv2d(torch::nn::Conv2dOptions(1, channels, 1));
    head_ = torch::nn::Linear(channels, classes);
    spec_.architecture = models::Architecture::small_cnn;
    spec_.classes = classes;
    spec_.output = output;
    trunk_->eval();
    head_->eval();
  }

  const models::ModelSpec& spec() const override { return spec_; }
  std::vector<std::string> stages() const override { return {"conv"}; }
  at::Tensor trunk(const at::Tensor& input, const std::string& tap, at::Tensor* tapped) override {
    auto out = trunk_->forward(input);
    if (!tap.empty() && tapped) *tapped = out;
    return out;
  }
  at::Tensor head(const at::Tensor& trunk_output, const at::Tensor& channel_mask) override {
    auto features = trunk_output.mean({2, 3});
    if (channel_mask.defined()) features = features * channel_mask;
    return head_->forward(features);
  }
  at::Tensor class_maps(const at::Tensor&) override { return {}; }
  std::int64_t trunk_channels() const override { return trunk_->options.out_channels(); }
  void train(bool on) override {
    trunk_->train(on);
    head_->train(on);
  }
  void to(const c10::Device& device) override {
    trunk_->to(device);
    head_->to(device);
  }
  c10::Device device() const override { return head_->weight.device(); }
  std::vector<at::Tensor> parameters() override {
    auto all = trunk_->parameters();
    for (const auto& p : head_->parameters()) all.push_back(p);
    return all;
  }

  torch::nn::Conv2d& conv() { return trunk_; }
  torch::nn::Linear& linear() { return head_; }

 private:
  models::ModelSpec spec_;
  torch::nn::Conv2d trunk_;
  torch::nn::Linear head_;
};

}  // namespace salient::testing
