// LRP z+ against zennit 0.5.1 with the same rules and weights
// (tests/engine/reference/lrp_reference.py), and its conservation of the target logit.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "engine/saliency/lrp.h"
#include "salient/check.h"
#include "test_models_reference.h"

namespace salient {
namespace {

using models::Architecture;
using testing::models_reference_tensor;

// Relevance maps are compared as max|R − R_zennit| / max|R_zennit|; float32 on both sides,
// the same kernels, but the rules' products and divisions are evaluated in a different
// order (zennit: hooks on modules; salient: surrogate gradients).
constexpr double kZennitTolerance = 1e-5;
// Σ R versus y_c: relevance lost only through the stabiliser ε = 1e-6 in the denominators
// and at units whose denominator is 0 (zennit's own maps conserve to the same degree).
constexpr double kConservationTolerance = 1e-4;

struct LrpCase {
  const char* name;
  Architecture architecture;
  std::int64_t classes;
};

void expect_matches_zennit(const LrpCase& test) {
  const std::string name = test.name;
  const std::string file = "lrp_reference.h5";
  const auto input = models_reference_tensor<float>(file, name + "/input");
  const auto targets = models_reference_tensor<std::int64_t>(file, name + "/targets");
  const auto reference = models_reference_tensor<float>(file, name + "/relevance");
  const auto bounds = models_reference_tensor<double>(file, "bounds");
  auto model = testing::classifier_from_state_dict(
      testing::spec_of(test.architecture, input.size(1), test.classes, input.size(2)),
      "lrp_" + name + "_state_dict.pt");
  saliency::LrpOptions options;
  options.low = bounds[0].item<double>();
  options.high = bounds[1].item<double>();

  const auto relevance = saliency::lrp_relevance(*model, input, targets, options);
  ASSERT_EQ(relevance.sizes(), input.sizes());
  const double scale = reference.abs().max().item<double>();
  const double difference = (relevance.to(torch::kFloat64) - reference.to(torch::kFloat64)).abs().max().item<double>();
  ::testing::Test::RecordProperty("max_relative_difference_to_zennit", fmt::format("{:.3g}", difference / scale));
  EXPECT_LT(difference / scale, kZennitTolerance) << name << ": max |diff| " << difference << ", max |R| " << scale;

  const auto result = saliency::lrp_zplus(*model, input, targets, options);
  EXPECT_TRUE(torch::allclose(result.maps, relevance.sum(1)));
  const auto logits = models_reference_tensor<float>(file, name + "/logits");
  EXPECT_TRUE(torch::allclose(result.logits, logits, 1e-5, 1e-5));
  const auto target_logits = logits.gather(1, targets.view({-1, 1})).squeeze(1).to(torch::kFloat64);
  const auto totals = relevance.to(torch::kFloat64).sum({1, 2, 3});
  ::testing::Test::RecordProperty(
      "max_relative_conservation_error",
      fmt::format("{:.3g}", ((totals - target_logits).abs() / target_logits.abs()).max().item<double>()));
  for (std::int64_t n = 0; n < input.size(0); ++n) {
    EXPECT_NEAR(totals[n].item<double>(), target_logits[n].item<double>(),
                kConservationTolerance * std::abs(target_logits[n].item<double>()))
        << name << " image " << n;
  }
}

TEST(Lrp, SmallCnnMatchesZennitAndConservesTheLogit) {
  expect_matches_zennit({"small_cnn", Architecture::small_cnn, 3});
}

TEST(Lrp, DenseNet121MatchesZennitAndConservesTheLogit) {
  expect_matches_zennit({"densenet121", Architecture::densenet121, 2});
}

TEST(Lrp, ResNet18MatchesZennitAndConservesTheLogit) {
  expect_matches_zennit({"resnet18", Architecture::resnet18, 2});
}

TEST(Lrp, ResNet50MatchesZennitAndConservesTheLogit) {
  expect_matches_zennit({"resnet50", Architecture::resnet50, 2});
}

TEST(Lrp, WildcatHeadAndBadBoundsAreRejected) {
  auto spec = testing::spec_of(Architecture::small_cnn, 1, 2, 32);
  const auto input = torch::rand({1, 1, 32, 32});
  const auto targets = torch::zeros({1}, torch::kInt64);
  auto plain = models::make_classifier(spec, 1);
  saliency::LrpOptions inverted;
  inverted.low = 1.0;
  inverted.high = 0.0;
  EXPECT_THROW(saliency::lrp_relevance(*plain, input, targets, inverted), Error);
  EXPECT_THROW(saliency::lrp_relevance(*plain, input, torch::full({1}, 2, torch::kInt64)), Error);
  spec.wildcat.enabled = true;
  auto wildcat = models::make_classifier(spec, 1);
  EXPECT_THROW(saliency::lrp_relevance(*wildcat, input, targets), Error);
}

}  // namespace
}  // namespace salient
