// TorchScript models: scripts/export_torchscript.py's resnet18 and a forward-only module,
// saved with their PyTorch outputs by tests/engine/reference/saliency_reference.py.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>

#include "engine/models/torchscript_classifier.h"
#include "engine/saliency/saliency.h"
#include "salient/check.h"
#include "support/expect_error.h"
#include "test_saliency_reference.h"

namespace salient {
namespace {

using testing::max_relative_difference;
using testing::reference_tensor;
using testing::saliency_reference_path;

using testing::expect_error_naming;

class TorchScriptResnet : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    models::ModelSpec hint;  // multi-label, 1 class, 320 px: the module's attributes must win
    model_ = models::load_torchscript_classifier(saliency_reference_path("resnet18_grey.pt"), hint).release();
  }
  static void TearDownTestSuite() {
    delete model_;
    model_ = nullptr;
  }
  static models::Classifier* model_;
  const at::Tensor input_ = reference_tensor<float>("resnet18_grey/input");
  const at::Tensor logits_ = reference_tensor<float>("resnet18_grey/logits");
};

models::Classifier* TorchScriptResnet::model_ = nullptr;

TEST_F(TorchScriptResnet, LogitsMatchPyTorch) {
  torch::NoGradGuard no_grad;
  EXPECT_LE(max_relative_difference(model_->logits(input_), logits_), 1e-6);
  EXPECT_LE(max_relative_difference(model_->head(model_->trunk(input_)), logits_), 1e-6);
}

TEST_F(TorchScriptResnet, SpecComesFromTheModuleAttributes) {
  const auto& spec = model_->spec();
  EXPECT_EQ(spec.architecture, models::Architecture::torchscript);
  EXPECT_EQ(spec.output, models::OutputKind::multi_class);
  EXPECT_EQ(spec.classes, 3);
  EXPECT_EQ(spec.in_channels, 1);
  EXPECT_EQ(spec.input_size, 64);
  EXPECT_EQ(model_->trunk_channels(), 512);
  EXPECT_EQ(model_->stages(), std::vector<std::string>{"trunk"});
}

TEST_F(TorchScriptResnet, TrunkTapAndChannelMask) {
  torch::NoGradGuard no_grad;
  at::Tensor tapped;
  const auto features = model_->trunk(input_, "trunk", &tapped);
  const auto expected_shape = reference_tensor<std::int64_t>("resnet18_grey/trunk_shape");
  EXPECT_EQ(features.sizes(), c10::IntArrayRef(expected_shape.data_ptr<std::int64_t>(), 4));
  EXPECT_TRUE(tapped.is_same(features));
  // Global average pooling then a linear layer: a mask of 2 doubles every pooled channel,
  // so head(f, 2) = head(2f); a mask of 0 leaves the bias.
  const auto twos = torch::full({2, 512}, 2.0);
  EXPECT_TRUE(torch::allclose(model_->head(features, twos), model_->head(2 * features), 1e-5, 1e-5));
  const auto zeros = torch::zeros({2, 512});
  EXPECT_TRUE(torch::allclose(model_->head(features, zeros), model_->head(torch::zeros_like(features)), 1e-6, 1e-6));
  expect_error_naming([&] { model_->trunk(input_, "layer3", &tapped); }, {"resnet18_grey.pt", "layer3"});
  expect_error_naming([&] { model_->head(features, torch::ones({2, 3})); }, {"resnet18_grey.pt", "channel mask"});
}

TEST(TorchScript, ForwardOnlyModuleGivesLogitsAndGradientsButNoGradCam) {
  const auto path = saliency_reference_path("forward_only.pt");
  models::ModelSpec hint;
  hint.classes = 2;
  hint.input_size = 8;
  auto model = models::load_torchscript_classifier(path, hint);
  const auto input = reference_tensor<float>("forward_only/input");
  {
    torch::NoGradGuard no_grad;
    EXPECT_LE(max_relative_difference(model->logits(input), reference_tensor<float>("forward_only/logits")), 1e-6);
  }
  EXPECT_EQ(model->spec().classes, 2) << "no attributes: the hint stays";
  const auto targets = torch::tensor({0, 1, 1}, torch::kInt64);
  saliency::SaliencyOptions options;
  options.method = saliency::Method::grad;
  EXPECT_EQ(saliency::compute_saliency(*model, input, targets, {}, options).maps.sizes(),
            (std::vector<std::int64_t>{3, 8, 8}));
  options.method = saliency::Method::gradcam;
  expect_error_naming([&] { saliency::compute_saliency(*model, input, targets, {}, options); },
                      {path, "'trunk'", "docs/models.md"});
  expect_error_naming([&] { model->head(input); }, {path, "'head'"});
}

TEST(TorchScript, MissingOrInvalidFilesAreNamed) {
  const std::string missing = "/nonexistent/salient/model.pt";
  expect_error_naming([&] { models::load_torchscript_classifier(missing, {}); }, {missing});
  const auto not_torchscript = saliency_reference_path("saliency_reference.h5");
  expect_error_naming([&] { models::load_torchscript_classifier(not_torchscript, {}); },
                      {not_torchscript, "TorchScript"});
}

}  // namespace
}  // namespace salient
