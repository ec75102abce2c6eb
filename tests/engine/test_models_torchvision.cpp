// salient's DenseNet-121, ResNet-18/50 and small CNN against torchvision (and the PyTorch
// small CNN) with the same weights: tests/engine/reference/models_reference.py.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "salient/check.h"
#include "test_models_reference.h"

namespace salient {
namespace {

using models::Architecture;
using testing::models_reference_path;
using testing::models_reference_tensor;

// float32 throughout; the same LibTorch kernels on both sides, so differences come only
// from the RGB kernel summed in a different order and are far below this bound.
constexpr double kTolerance = 1e-5;

struct TorchvisionCase {
  const char* name;
  Architecture architecture;
  std::int64_t in_channels;
  std::int64_t classes;
  std::vector<std::string> stages;
};

void expect_matches_reference(const TorchvisionCase& test) {
  const std::string name = test.name;
  const auto input = models_reference_tensor<float>("models_reference.h5", name + "/input");
  auto model = testing::classifier_from_state_dict(
      testing::spec_of(test.architecture, test.in_channels, test.classes, input.size(2)), name + "_state_dict.pt");
  torch::NoGradGuard no_grad;
  const auto trunk = model->trunk(input);
  const double logits_difference = testing::scaled_max_difference(
      model->head(trunk), models_reference_tensor<float>("models_reference.h5", name + "/logits"));
  ::testing::Test::RecordProperty("logits_scaled_max_difference", fmt::format("{:.3g}", logits_difference));
  EXPECT_LT(logits_difference, kTolerance);
  EXPECT_LT(testing::scaled_max_difference(trunk, models_reference_tensor<float>("models_reference.h5", name + "/trunk")),
            kTolerance);
  for (const auto& stage : test.stages) {
    at::Tensor tapped;
    model->trunk(input, stage, &tapped);
    EXPECT_LT(testing::scaled_max_difference(
                  tapped, models_reference_tensor<float>("models_reference.h5", name + "/stage/" + stage)),
              kTolerance)
        << stage;
  }
}

TEST(ModelsTorchvision, DenseNet121OnGreyMatchesTorchvisionOnRepeatedRgb) {
  expect_matches_reference({"densenet121", Architecture::densenet121, 1, 3, {"denseblock1", "transition2", "norm5"}});
}

TEST(ModelsTorchvision, ResNet18MatchesTorchvision) {
  expect_matches_reference({"resnet18", Architecture::resnet18, 3, 2, {"layer1", "layer2", "layer3"}});
}

TEST(ModelsTorchvision, ResNet50WithOneChannelMatchesTorchvision) {
  expect_matches_reference({"resnet50", Architecture::resnet50, 1, 2, {"layer1", "layer3"}});
}

TEST(ModelsTorchvision, SmallCnnMatchesThePyTorchDefinition) {
  expect_matches_reference({"small_cnn", Architecture::small_cnn, 1, 2, {"block1", "block3"}});
}

TEST(ModelsTorchvision, MissingKeyNamesTheFileAndTheKey) {
  auto network = models::make_network(testing::spec_of(Architecture::densenet121, 1, 2, 64));
  const auto path = models_reference_path("resnet18_state_dict.pt");
  try {
    models::load_state_dict_file(*network, path);
    FAIL() << "expected salient::Error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("features.conv0.weight"), std::string::npos) << error.what();
  }
}

TEST(ModelsTorchvision, HeadOfOtherClassesIsRejectedOrKept) {
  // The small CNN's file has 2 classes; a 5-class model needs its own head.
  auto network = models::make_network(testing::spec_of(Architecture::small_cnn, 1, 5, 32));
  const auto path = models_reference_path("small_cnn_state_dict.pt");
  try {
    models::load_state_dict_file(*network, path);
    FAIL() << "expected salient::Error";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("classifier.weight"), std::string::npos) << message;
    EXPECT_NE(message.find("[2, 128]"), std::string::npos) << message;
    EXPECT_NE(message.find("[5, 128]"), std::string::npos) << message;
  }
  const auto own_head = network->named_parameters()["classifier.weight"].clone();
  models::load_state_dict_file(*network, path, models::HeadWeights::keep);
  EXPECT_TRUE(torch::equal(network->named_parameters()["classifier.weight"], own_head));
}

TEST(ModelsTorchvision, NotAStateDictNamesTheFile) {
  auto network = models::make_network(testing::spec_of(Architecture::small_cnn, 1, 2, 32));
  const auto path = models_reference_path("models_reference.h5");
  try {
    models::load_state_dict_file(*network, path);
    FAIL() << "expected salient::Error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace salient
