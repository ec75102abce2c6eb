#include "engine/models/small_cnn.h"

#include <torch/torch.h>

#include <array>

namespace salient::models {
namespace {

constexpr std::array<std::int64_t, 4> kWidths{16, 32, 64, 128};

class SmallCnnBlock : public torch::nn::Module {
 public:
  SmallCnnBlock(std::int64_t in, std::int64_t out, bool pool)
      : conv_(register_module(
            "conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1).bias(false)))),
        norm_(register_module("norm", torch::nn::BatchNorm2d(out))) {
    if (pool) pool_ = register_module("pool", torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(2).stride(2)));
  }

  at::Tensor forward(const at::Tensor& x, LayerOps& ops) {
    auto y = ops.relu(ops.batch_norm(*norm_, ops.conv(*conv_, x)));
    return pool_ ? ops.max_pool(*pool_, y) : y;
  }

 private:
  torch::nn::Conv2d conv_;
  torch::nn::BatchNorm2d norm_;
  torch::nn::MaxPool2d pool_{nullptr};
};

class SmallCnn : public BuiltinNetwork {
 public:
  explicit SmallCnn(const ModelSpec& spec) : BuiltinNetwork(spec) {
    std::int64_t channels = spec.in_channels;
    for (std::size_t i = 0; i < kWidths.size(); ++i) {
      blocks_.push_back(register_module("block" + std::to_string(i + 1),
                                        std::make_shared<SmallCnnBlock>(channels, kWidths[i], i + 1 < kWidths.size())));
      channels = kWidths[i];
    }
    register_head(channels, "classifier");
    initialise_like_torchvision(ConvolutionFan::out, /*zero_linear_bias=*/true);
  }

  std::vector<std::string> stages() const override { return {"block1", "block2", "block3", "block4"}; }

 protected:
  at::Tensor run_trunk(const at::Tensor& input, LayerOps& ops, StageRecorder& recorder) override {
    auto x = input;
    for (std::size_t i = 0; i < blocks_.size(); ++i) {
      x = blocks_[i]->forward(x, ops);
      recorder.record(("block" + std::to_string(i + 1)).c_str(), x);
    }
    return x;
  }

 private:
  std::vector<std::shared_ptr<SmallCnnBlock>> blocks_;
};

}  // namespace

std::shared_ptr<BuiltinNetwork> make_small_cnn(const ModelSpec& spec) { return std::make_shared<SmallCnn>(spec); }

}  // namespace salient::models
