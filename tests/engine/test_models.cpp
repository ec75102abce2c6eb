// Model specs, seeded construction, stages, the linear head's mask and dropout, and the
// WILDCAT head against hand-computed values.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "engine/models/builtin_classifier.h"
#include "engine/models/layer_ops.h"
#include "engine/models/model_factory.h"
#include "engine/models/wildcat_head.h"
#include "salient/check.h"
#include "test_models_reference.h"

namespace salient {
namespace {

using models::Architecture;
using testing::spec_of;

models::BuiltinNetwork& network_of(models::Classifier& classifier) {
  return dynamic_cast<models::BuiltinClassifier&>(classifier).network();
}

TEST(ModelsSpec, JsonRoundTripKeepsEveryField) {
  models::ModelSpec spec = spec_of(Architecture::resnet50, 3, 14, 224);
  spec.output = models::OutputKind::multi_class;
  spec.head_dropout = 0.25;
  spec.trunk_dropout = 0.125;
  spec.wildcat = {true, 8, 3, 2, 0.6};
  const auto back = models::spec_from_json(models::spec_to_json(spec), "test");
  EXPECT_EQ(back.architecture, spec.architecture);
  EXPECT_EQ(back.classes, 14);
  EXPECT_EQ(back.output, models::OutputKind::multi_class);
  EXPECT_EQ(back.in_channels, 3);
  EXPECT_EQ(back.input_size, 224);
  EXPECT_EQ(back.head_dropout, 0.25);
  EXPECT_EQ(back.trunk_dropout, 0.125);
  EXPECT_TRUE(back.wildcat.enabled);
  EXPECT_EQ(back.wildcat.maps_per_class, 8);
  EXPECT_EQ(back.wildcat.k_max, 3);
  EXPECT_EQ(back.wildcat.k_min, 2);
  EXPECT_EQ(back.wildcat.alpha, 0.6);
}

TEST(ModelsSpec, NamesParseAndBadInputNamesWhere) {
  EXPECT_EQ(models::parse_architecture("small-cnn"), Architecture::small_cnn);
  EXPECT_EQ(models::parse_architecture(models::architecture_name(Architecture::densenet121)), Architecture::densenet121);
  EXPECT_EQ(models::parse_output_kind("multi-label"), models::OutputKind::multi_label);
  EXPECT_THROW(models::parse_architecture("vgg16"), Error);
  EXPECT_THROW(models::parse_output_kind("softmax"), Error);
  try {
    models::spec_from_json(R"({"architecture": "resnet18"})", "model.pt");
    FAIL() << "expected salient::Error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("model.pt"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("classes"), std::string::npos);
  }
  EXPECT_THROW(models::spec_from_json("{not json", "model.pt"), Error);
}

TEST(ModelsBuild, SameSeedGivesBitIdenticalWeightsOtherSeedsDiffer) {
  const auto spec = spec_of(Architecture::resnet18, 1, 3, 32);
  auto first = models::make_classifier(spec, 7);
  auto second = models::make_classifier(spec, 7);
  auto other = models::make_classifier(spec, 8);
  const auto a = network_of(*first).named_parameters();
  const auto b = network_of(*second).named_parameters();
  const auto c = network_of(*other).named_parameters();
  ASSERT_EQ(a.size(), b.size());
  for (const auto& item : a) {
    EXPECT_TRUE(torch::equal(item.value(), b[item.key()])) << item.key();
  }
  EXPECT_FALSE(torch::equal(a["conv1.weight"], c["conv1.weight"]));
  EXPECT_FALSE(torch::equal(a["fc.weight"], c["fc.weight"]));
}

// The smallest input side of each architecture is tight: it runs, and one pixel less leaves
// a pooling stage with nothing (LibTorch's own error), which make_classifier refuses first.
TEST(ModelsBuild, SmallestInputSizeIsTheSmallestThatRuns) {
  for (const auto architecture : {Architecture::small_cnn, Architecture::densenet121, Architecture::resnet18}) {
    const auto smallest = models::smallest_input_size(architecture);
    const auto at_smallest = spec_of(architecture, 1, 2, smallest);
    const torch::NoGradGuard no_grad;
    EXPECT_EQ(models::make_classifier(at_smallest, 1)->logits(torch::zeros({1, 1, smallest, smallest})).sizes(),
              (std::vector<std::int64_t>{1, 2}))
        << models::architecture_name(architecture);
    if (smallest == 1) continue;
    const auto below = spec_of(architecture, 1, 2, smallest - 1);
    models::LayerOps ops;
    EXPECT_THROW(models::make_network(below)->trunk(torch::zeros({1, 1, smallest - 1, smallest - 1}), ops), c10::Error)
        << models::architecture_name(architecture);
    EXPECT_THROW(models::make_classifier(below, 1), Error);
  }
}

TEST(ModelsBuild, InitialisationFollowsTorchvision) {
  auto model = models::make_classifier(spec_of(Architecture::densenet121, 1, 2, 32), 3);
  auto parameters = network_of(*model).named_parameters();
  // kaiming_normal_(fan_in, gain √2): std = √(2 / fan_in), fan_in = 1·7·7 for conv0; 3136 draws.
  const double expected_std = std::sqrt(2.0 / 49.0);
  EXPECT_NEAR(parameters["features.conv0.weight"].std().item<double>(), expected_std, 0.05 * expected_std);
  EXPECT_TRUE(torch::equal(parameters["features.norm5.weight"], torch::ones({1024})));
  EXPECT_TRUE(torch::equal(parameters["features.norm5.bias"], torch::zeros({1024})));
  EXPECT_TRUE(torch::equal(parameters["classifier.bias"], torch::zeros({2})));
}

TEST(ModelsBuild, TrunkShapesChannelsAndStageTaps) {
  struct Case {
    Architecture architecture;
    std::int64_t channels;
    std::int64_t stride;
  };
  for (const auto& test : {Case{Architecture::densenet121, 1024, 32}, Case{Architecture::resnet18, 512, 32},
                           Case{Architecture::resnet50, 2048, 32}, Case{Architecture::small_cnn, 128, 8}}) {
    auto model = models::make_classifier(spec_of(test.architecture, 1, 3, 64), 1);
    torch::NoGradGuard no_grad;
    const auto input = torch::randn({2, 1, 64, 64});
    at::Tensor last;
    const auto trunk = model->trunk(input, model->stages().back(), &last);
    const auto name = models::architecture_name(test.architecture);
    EXPECT_EQ(trunk.sizes(), (std::vector<std::int64_t>{2, test.channels, 64 / test.stride, 64 / test.stride}))
        << name;
    EXPECT_EQ(model->trunk_channels(), test.channels) << name;
    EXPECT_TRUE(torch::equal(last, trunk)) << name;
    EXPECT_EQ(model->logits(input).sizes(), (std::vector<std::int64_t>{2, 3})) << name;
    EXPECT_THROW(model->trunk(input, "no-such-stage", &last), Error) << name;
    EXPECT_THROW(model->trunk(torch::randn({2, 3, 64, 64})), Error) << name;
  }
}

TEST(ModelsHead, ChannelMaskEqualsZeroingThoseChannels) {
  auto model = models::make_classifier(spec_of(Architecture::small_cnn, 1, 2, 32), 4);
  torch::NoGradGuard no_grad;
  const auto features = torch::rand({2, 128, 4, 4});
  auto mask = torch::ones({2, 128});
  mask.index_put_({0, torch::indexing::Slice(0, 64)}, 0.0);
  mask.index_put_({1, 5}, 2.0);
  auto masked = features.clone();
  masked.index_put_({0, torch::indexing::Slice(0, 64)}, 0.0);
  masked.index_put_({1, 5}, 2.0 * features.index({1, 5}));
  EXPECT_TRUE(torch::allclose(model->head(features, mask), model->head(masked), 1e-6, 1e-6));
}

TEST(ModelsHead, HeadDropoutActsOnlyInTraining) {
  auto spec = spec_of(Architecture::small_cnn, 1, 2, 32);
  spec.head_dropout = 0.5;
  auto model = models::make_classifier(spec, 5);
  torch::NoGradGuard no_grad;
  const auto features = torch::rand({2, 128, 4, 4});
  EXPECT_TRUE(torch::equal(model->head(features), model->head(features)));
  model->train(true);
  EXPECT_FALSE(torch::equal(model->head(features), model->head(features)));
}

TEST(ModelsWildcat, SpatialPoolingMatchesHandComputedValues) {
  // One class map [[1, 5, 3], [-2, 4, 0]]: the two highest are 5 and 4, the lowest −2.
  const auto maps = torch::tensor({1.0f, 5.0f, 3.0f, -2.0f, 4.0f, 0.0f}).view({1, 1, 2, 3}).requires_grad_(true);
  const auto score = models::wildcat_spatial_pool(maps, 2, 1, 0.7);
  EXPECT_NEAR(score.item<float>(), (5.0 + 4.0) / 2.0 + 0.7 * -2.0, 1e-6);
  // Gradient: 1/k_max at the selected maxima, α/k_min at the minimum, 0 elsewhere.
  score.sum().backward();
  EXPECT_TRUE(torch::allclose(maps.grad().flatten(), torch::tensor({0.0f, 0.5f, 0.0f, 0.7f, 0.5f, 0.0f})));
  // k_min = 0 or α = 0: the maxima only; k beyond h·w: every position.
  EXPECT_NEAR(models::wildcat_spatial_pool(maps, 2, 0, 0.7).item<float>(), 4.5, 1e-6);
  EXPECT_NEAR(models::wildcat_spatial_pool(maps, 2, 3, 0.0).item<float>(), 4.5, 1e-6);
  EXPECT_NEAR(models::wildcat_spatial_pool(maps, 10, 10, 1.0).item<float>(), 2.0 * 11.0 / 6.0, 1e-6);
}

TEST(ModelsWildcat, ClassMapsAverageEachClassesMapsAndScoresPoolThem) {
  auto spec = spec_of(Architecture::small_cnn, 1, 2, 32);
  spec.wildcat = {true, 2, 1, 1, 0.5};
  auto model = models::make_classifier(spec, 6);
  auto parameters = network_of(*model).named_parameters();
  torch::NoGradGuard no_grad;
  // 128 → 4 maps: map m reads channel m with weight m + 1 and bias 0.1·m.
  auto weight = torch::zeros({4, 128, 1, 1});
  for (int m = 0; m < 4; ++m) weight.index_put_({m, m, 0, 0}, m + 1.0);
  parameters["wildcat.conv.weight"].copy_(weight);
  parameters["wildcat.conv.bias"].copy_(torch::tensor({0.0f, 0.1f, 0.2f, 0.3f}));
  const auto features = torch::rand({1, 128, 3, 3});
  const auto maps = model->class_maps(features);
  // Class 0 averages maps 0 and 1, class 1 maps 2 and 3.
  const auto class0 = (1.0 * features[0][0] + 2.0 * features[0][1] + 0.1) / 2.0;
  const auto class1 = (3.0 * features[0][2] + 0.2 + 4.0 * features[0][3] + 0.3) / 2.0;
  EXPECT_TRUE(torch::allclose(maps[0][0], class0, 1e-6, 1e-6));
  EXPECT_TRUE(torch::allclose(maps[0][1], class1, 1e-6, 1e-6));
  const auto scores = model->head(features);
  EXPECT_NEAR(scores[0][0].item<double>(), class0.max().item<double>() + 0.5 * class0.min().item<double>(), 1e-5);
  EXPECT_NEAR(scores[0][1].item<double>(), class1.max().item<double>() + 0.5 * class1.min().item<double>(), 1e-5);
}

TEST(ModelsBuild, TorchScriptIsNotBuiltFromASpec) {
  EXPECT_THROW(models::make_classifier(spec_of(Architecture::torchscript, 1, 2, 32), 1), Error);
}

}  // namespace
}  // namespace salient
