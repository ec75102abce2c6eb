#include "engine/models/densenet.h"

#include <torch/torch.h>

#include <array>

namespace salient::models {
namespace {

constexpr std::int64_t kGrowthRate = 32;
constexpr std::int64_t kBottleneckWidth = 4 * kGrowthRate;
constexpr std::int64_t kInitialFeatures = 64;
constexpr std::array<std::int64_t, 4> kBlockLayers{6, 12, 24, 16};

torch::nn::Conv2d conv(std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t stride = 1,
                       std::int64_t padding = 0) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding).bias(false));
}

/// BN-ReLU-conv1×1 (bottleneck) then BN-ReLU-conv3×3 to growth-rate new channels.
class DenseLayer : public torch::nn::Module {
 public:
  DenseLayer(std::int64_t in, double drop_rate)
      : norm1_(register_module("norm1", torch::nn::BatchNorm2d(in))),
        conv1_(register_module("conv1", conv(in, kBottleneckWidth, 1))),
        norm2_(register_module("norm2", torch::nn::BatchNorm2d(kBottleneckWidth))),
        conv2_(register_module("conv2", conv(kBottleneckWidth, kGrowthRate, 3, 1, 1))),
        drop_rate_(drop_rate) {}

  at::Tensor forward(const std::vector<at::Tensor>& previous, LayerOps& ops) {
    auto x = ops.conv(*conv1_, ops.relu(ops.batch_norm(*norm1_, torch::cat(previous, 1))));
    x = ops.conv(*conv2_, ops.relu(ops.batch_norm(*norm2_, x)));
    return drop_rate_ > 0.0 ? torch::dropout(x, drop_rate_, is_training()) : x;
  }

 private:
  torch::nn::BatchNorm2d norm1_;
  torch::nn::Conv2d conv1_;
  torch::nn::BatchNorm2d norm2_;
  torch::nn::Conv2d conv2_;
  double drop_rate_;
};

class DenseBlock : public torch::nn::Module {
 public:
  DenseBlock(std::int64_t layers, std::int64_t in, double drop_rate) {
    for (std::int64_t i = 0; i < layers; ++i) {
      layers_.push_back(register_module("denselayer" + std::to_string(i + 1),
                                        std::make_shared<DenseLayer>(in + i * kGrowthRate, drop_rate)));
    }
  }

  at::Tensor forward(const at::Tensor& x, LayerOps& ops) {
    std::vector<at::Tensor> features{x};
    for (auto& layer : layers_) features.push_back(layer->forward(features, ops));
    return torch::cat(features, 1);
  }

 private:
  std::vector<std::shared_ptr<DenseLayer>> layers_;
};

/// BN-ReLU-conv1×1 halving the channels, then 2×2 average pooling.
class Transition : public torch::nn::Module {
 public:
  Transition(std::int64_t in, std::int64_t out)
      : norm_(register_module("norm", torch::nn::BatchNorm2d(in))),
        conv_(register_module("conv", conv(in, out, 1))),
        pool_(register_module("pool", torch::nn::AvgPool2d(torch::nn::AvgPool2dOptions(2).stride(2)))) {}

  at::Tensor forward(const at::Tensor& x, LayerOps& ops) {
    return ops.avg_pool(*pool_, ops.conv(*conv_, ops.relu(ops.batch_norm(*norm_, x))));
  }

 private:
  torch::nn::BatchNorm2d norm_;
  torch::nn::Conv2d conv_;
  torch::nn::AvgPool2d pool_;
};

class DenseNet121 : public BuiltinNetwork {
 public:
  explicit DenseNet121(const ModelSpec& spec) : BuiltinNetwork(spec) {
    auto features = register_module("features", std::make_shared<torch::nn::Module>());
    conv0_ = features->register_module("conv0", conv(spec.in_channels, kInitialFeatures, 7, 2, 3));
    norm0_ = features->register_module("norm0", torch::nn::BatchNorm2d(kInitialFeatures));
    pool0_ = features->register_module(
        "pool0", torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(3).stride(2).padding(1)));
    std::int64_t channels = kInitialFeatures;
    for (std::size_t i = 0; i < kBlockLayers.size(); ++i) {
      const auto index = std::to_string(i + 1);
      blocks_.push_back(features->register_module(
          "denseblock" + index, std::make_shared<DenseBlock>(kBlockLayers[i], channels, spec.trunk_dropout)));
      channels += kBlockLayers[i] * kGrowthRate;
      if (i + 1 < kBlockLayers.size()) {
        transitions_.push_back(
            features->register_module("transition" + index, std::make_shared<Transition>(channels, channels / 2)));
        channels /= 2;
      }
    }
    norm5_ = features->register_module("norm5", torch::nn::BatchNorm2d(channels));
    register_head(channels, "classifier");
    // torchvision's DenseNet.__init__: kaiming_normal_ with fan_in, linear bias 0.
    initialise_like_torchvision(ConvolutionFan::in, /*zero_linear_bias=*/true);
  }

  std::vector<std::string> stages() const override {
    return {"conv0",       "norm0",      "relu0",       "pool0",      "denseblock1", "transition1", "denseblock2",
            "transition2", "denseblock3", "transition3", "denseblock4", "norm5",      "relu5"};
  }

 protected:
  at::Tensor run_trunk(const at::Tensor& input, LayerOps& ops, StageRecorder& recorder) override {
    auto x = ops.conv(*conv0_, input);
    recorder.record("conv0", x);
    x = ops.batch_norm(*norm0_, x);
    recorder.record("norm0", x);
    x = ops.relu(x);
    recorder.record("relu0", x);
    x = ops.max_pool(*pool0_, x);
    recorder.record("pool0", x);
    for (std::size_t i = 0; i < blocks_.size(); ++i) {
      const auto index = std::to_string(i + 1);
      x = blocks_[i]->forward(x, ops);
      recorder.record(("denseblock" + index).c_str(), x);
      if (i < transitions_.size()) {
        x = transitions_[i]->forward(x, ops);
        recorder.record(("transition" + index).c_str(), x);
      }
    }
    x = ops.batch_norm(*norm5_, x);
    recorder.record("norm5", x);
    x = ops.relu(x);
    recorder.record("relu5", x);
    return x;
  }

 private:
  torch::nn::Conv2d conv0_{nullptr};
  torch::nn::BatchNorm2d norm0_{nullptr};
  torch::nn::MaxPool2d pool0_{nullptr};
  std::vector<std::shared_ptr<DenseBlock>> blocks_;
  std::vector<std::shared_ptr<Transition>> transitions_;
  torch::nn::BatchNorm2d norm5_{nullptr};
};

}  // namespace

std::shared_ptr<BuiltinNetwork> make_densenet121(const ModelSpec& spec) { return std::make_shared<DenseNet121>(spec); }

}  // namespace salient::models
