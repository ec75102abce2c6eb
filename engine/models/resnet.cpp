#include "engine/models/resnet.h"

#include <torch/torch.h>

#include <array>

#include "salient/check.h"

namespace salient::models {
namespace {

torch::nn::Conv2d conv(std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t stride = 1,
                       std::int64_t padding = 0) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding).bias(false));
}

/// A residual block: conv-BN-ReLU stages, the last without ReLU, plus the shortcut
/// (identity, or conv1×1-BN as "downsample" when the shape changes), then ReLU.
/// Basic (ResNet-18): 3×3, 3×3. Bottleneck (ResNet-50): 1×1, 3×3 (strided), 1×1 to 4× width.
class ResidualBlock : public torch::nn::Module {
 public:
  ResidualBlock(bool bottleneck, std::int64_t in, std::int64_t planes, std::int64_t stride) {
    const std::int64_t out = bottleneck ? 4 * planes : planes;
    if (bottleneck) {
      add_stage(conv(in, planes, 1), planes);
      add_stage(conv(planes, planes, 3, stride, 1), planes);
      add_stage(conv(planes, out, 1), out);
    } else {
      add_stage(conv(in, planes, 3, stride, 1), planes);
      add_stage(conv(planes, planes, 3, 1, 1), planes);
    }
    if (stride != 1 || in != out) {
      auto downsample = register_module("downsample", std::make_shared<torch::nn::Module>());
      downsample_conv_ = downsample->register_module("0", conv(in, out, 1, stride));
      downsample_norm_ = downsample->register_module("1", torch::nn::BatchNorm2d(out));
    }
  }

  at::Tensor forward(const at::Tensor& input, LayerOps& ops) {
    auto x = input;
    for (std::size_t i = 0; i < convs_.size(); ++i) {
      x = ops.batch_norm(*norms_[i], ops.conv(*convs_[i], x));
      if (i + 1 < convs_.size()) x = ops.relu(x);
    }
    const auto shortcut =
        downsample_conv_ ? ops.batch_norm(*downsample_norm_, ops.conv(*downsample_conv_, input)) : input;
    return ops.relu(ops.add(x, shortcut));
  }

 private:
  void add_stage(torch::nn::Conv2d convolution, std::int64_t channels) {
    const auto index = std::to_string(convs_.size() + 1);
    convs_.push_back(register_module("conv" + index, std::move(convolution)));
    norms_.push_back(register_module("bn" + index, torch::nn::BatchNorm2d(channels)));
  }

  std::vector<torch::nn::Conv2d> convs_;
  std::vector<torch::nn::BatchNorm2d> norms_;
  torch::nn::Conv2d downsample_conv_{nullptr};
  torch::nn::BatchNorm2d downsample_norm_{nullptr};
};

class ResNet : public BuiltinNetwork {
 public:
  ResNet(const ModelSpec& spec, bool bottleneck, const std::array<std::int64_t, 4>& blocks) : BuiltinNetwork(spec) {
    conv1_ = register_module("conv1", conv(spec.in_channels, 64, 7, 2, 3));
    bn1_ = register_module("bn1", torch::nn::BatchNorm2d(64));
    maxpool_ = register_module("maxpool", torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(3).stride(2).padding(1)));
    std::int64_t channels = 64;
    for (std::size_t layer = 0; layer < blocks.size(); ++layer) {
      const std::int64_t planes = std::int64_t{64} << layer;
      auto container = register_module("layer" + std::to_string(layer + 1), std::make_shared<torch::nn::Module>());
      std::vector<std::shared_ptr<ResidualBlock>> layer_blocks;
      for (std::int64_t b = 0; b < blocks[layer]; ++b) {
        const std::int64_t stride = (layer > 0 && b == 0) ? 2 : 1;
        layer_blocks.push_back(container->register_module(
            std::to_string(b), std::make_shared<ResidualBlock>(bottleneck, channels, planes, stride)));
        channels = bottleneck ? 4 * planes : planes;
      }
      layers_.push_back(std::move(layer_blocks));
    }
    register_head(channels, "fc");
    // torchvision's ResNet.__init__: kaiming_normal_ with fan_out; fc keeps its default.
    initialise_like_torchvision(ConvolutionFan::out, /*zero_linear_bias=*/false);
  }

  std::vector<std::string> stages() const override {
    return {"conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4"};
  }

 protected:
  at::Tensor run_trunk(const at::Tensor& input, LayerOps& ops, StageRecorder& recorder) override {
    auto x = ops.conv(*conv1_, input);
    recorder.record("conv1", x);
    x = ops.batch_norm(*bn1_, x);
    recorder.record("bn1", x);
    x = ops.relu(x);
    recorder.record("relu", x);
    x = ops.max_pool(*maxpool_, x);
    recorder.record("maxpool", x);
    for (std::size_t layer = 0; layer < layers_.size(); ++layer) {
      for (auto& block : layers_[layer]) x = block->forward(x, ops);
      recorder.record(("layer" + std::to_string(layer + 1)).c_str(), x);
    }
    return x;
  }

 private:
  torch::nn::Conv2d conv1_{nullptr};
  torch::nn::BatchNorm2d bn1_{nullptr};
  torch::nn::MaxPool2d maxpool_{nullptr};
  std::vector<std::vector<std::shared_ptr<ResidualBlock>>> layers_;
};

}  // namespace

std::shared_ptr<BuiltinNetwork> make_resnet(const ModelSpec& spec) {
  switch (spec.architecture) {
    case Architecture::resnet18:
      return std::make_shared<ResNet>(spec, /*bottleneck=*/false, std::array<std::int64_t, 4>{2, 2, 2, 2});
    case Architecture::resnet50:
      return std::make_shared<ResNet>(spec, /*bottleneck=*/true, std::array<std::int64_t, 4>{3, 4, 6, 3});
    default:
      throw Error(fmt::format("make_resnet: '{}' is not a ResNet", architecture_name(spec.architecture)));
  }
}

}  // namespace salient::models
