// DeepLIFT (Rescale rule) against the PyTorch reference of tests/engine/reference/
// deeplift_reference.py (the rules on torchvision's DenseNet and the Python small CNN, itself
// checked against Captum's DeepLift where Captum 0.9 is right; the script says why not
// everywhere), and DeepLIFT's defining property, summation to delta: the attributions add up to
// y_c(x) − y_c(x') on every built-in architecture, max pooling and residual sums included.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "engine/saliency/deeplift.h"
#include "engine/saliency/saliency.h"
#include "salient/check.h"
#include "test_models_reference.h"

namespace salient {
namespace {

using models::Architecture;
using testing::models_reference_tensor;

constexpr const char* kFile = "deeplift_reference.h5";

struct Case {
  const char* name;
  Architecture architecture;
  std::int64_t classes;
};

std::unique_ptr<models::BuiltinClassifier> reference_model(const Case& test, const at::Tensor& input) {
  return testing::classifier_from_state_dict(
      testing::spec_of(test.architecture, input.size(1), test.classes, input.size(2)),
      std::string("deeplift_") + test.name + "_state_dict.pt");
}

/// Σ attributions per image against y_c(x) − y_c(x'), in double.
void expect_summation_to_delta(models::Classifier& model, const at::Tensor& input, const at::Tensor& baseline,
                               const at::Tensor& targets, const at::Tensor& attributions, const std::string& what) {
  torch::NoGradGuard no_grad;
  const auto rows = torch::arange(input.size(0));
  const auto delta = (model.logits(input).index({rows, targets}) - model.logits(baseline).index({rows, targets}))
                         .to(torch::kFloat64);
  const auto totals = attributions.to(torch::kFloat64).flatten(1).sum(1);
  for (std::int64_t n = 0; n < input.size(0); ++n)
    EXPECT_NEAR(totals[n].item<double>(), delta[n].item<double>(), 1e-4 * std::max(1.0, std::abs(delta[n].item<double>())))
        << what << " image " << n;
}

void expect_matches_reference(const Case& test) {
  const std::string name = test.name;
  const auto input = models_reference_tensor<float>(kFile, name + "/input");
  const auto baseline = models_reference_tensor<float>(kFile, name + "/baseline");
  const auto targets = models_reference_tensor<std::int64_t>(kFile, name + "/targets");
  const auto reference = models_reference_tensor<float>(kFile, name + "/attributions");
  auto model = reference_model(test, input);
  const auto attributions = saliency::deeplift_attributions(*model, input, baseline, targets);
  ASSERT_EQ(attributions.sizes(), input.sizes());
  EXPECT_LT(testing::scaled_max_difference(attributions, reference), 1e-5) << name;
  expect_summation_to_delta(*model, input, baseline, targets, attributions, name);
  const auto result = saliency::deeplift_rescale(*model, input, baseline, targets);
  EXPECT_TRUE(torch::allclose(result.maps, attributions.sum(1)));
  EXPECT_TRUE(torch::allclose(result.logits, models_reference_tensor<float>(kFile, name + "/logits"), 1e-5, 1e-5));
}

TEST(DeepLift, SmallCnnMatchesTheReference) { expect_matches_reference({"small_cnn", Architecture::small_cnn, 3}); }

TEST(DeepLift, DenseNet121MatchesTheReference) {
  expect_matches_reference({"densenet121", Architecture::densenet121, 2});
}

TEST(DeepLift, SumsToTheLogitsDifferenceOnResNet18) {
  // ResNet reuses one ReLU module, which hook-based DeepLift (Captum) refuses; summation to
  // delta still pins the attributions down in total, residual sums included.
  torch::manual_seed(5);
  auto model = std::make_unique<models::BuiltinClassifier>(
      models::make_network(testing::spec_of(Architecture::resnet18, 1, 2, 32)));
  model->train(false);
  const auto input = torch::randn({2, 1, 32, 32});
  const auto baseline = torch::full_like(input, -1.987);
  const auto targets = torch::tensor({1, 0}, torch::kLong);
  const auto attributions = saliency::deeplift_attributions(*model, input, baseline, targets);
  expect_summation_to_delta(*model, input, baseline, targets, attributions, "resnet18");
}

TEST(DeepLift, GivesZeroWhereTheReferenceIsTheInput) {
  // With the reference equal to the input every Δ is 0: the attributions are 0 and the
  // rules fall back to the gradient.
  torch::manual_seed(2);
  auto model = std::make_unique<models::BuiltinClassifier>(
      models::make_network(testing::spec_of(Architecture::small_cnn, 1, 2, 16)));
  const auto input = torch::randn({2, 1, 16, 16});
  const auto attributions = saliency::deeplift_attributions(*model, input, input, torch::tensor({0, 1}, torch::kLong));
  EXPECT_EQ(attributions.abs().max().item<float>(), 0.0f);
}

TEST(DeepLift, IsAMethodOfComputeSaliencyWithTheIntegratedGradientsBaselines) {
  torch::manual_seed(3);
  auto model = std::make_unique<models::BuiltinClassifier>(
      models::make_network(testing::spec_of(Architecture::small_cnn, 1, 2, 16)));
  const auto input = torch::randn({2, 1, 16, 16});
  saliency::SaliencyOptions options;
  options.method = saliency::parse_method("deeplift");
  options.black_value = -0.5;
  const auto result = saliency::compute_saliency(*model, input, {}, {}, options);
  const auto expected = saliency::deeplift_rescale(*model, input, torch::full_like(input, -0.5),
                                                   result.logits.argmax(1));
  EXPECT_TRUE(torch::equal(result.maps, expected.maps));
  EXPECT_EQ(saliency::method_name(saliency::Method::deeplift), "deeplift");
}

TEST(DeepLift, RefusesAWildcatHeadAndAMisshapenBaseline) {
  auto spec = testing::spec_of(Architecture::small_cnn, 1, 2, 16);
  auto model = std::make_unique<models::BuiltinClassifier>(models::make_network(spec));
  const auto input = torch::randn({2, 1, 16, 16});
  EXPECT_THROW(saliency::deeplift_attributions(*model, input, torch::zeros({1, 1, 16, 16}), {}), Error);
  spec.wildcat.enabled = true;
  auto wildcat = std::make_unique<models::BuiltinClassifier>(models::make_network(spec));
  EXPECT_THROW(saliency::deeplift_attributions(*wildcat, input, torch::zeros_like(input), {}), Error);
}

}  // namespace
}  // namespace salient
