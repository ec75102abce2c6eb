// Saliency maps of models whose answers follow by hand: a linear model, a model that sees
// one region, a smooth CNN (IG completeness), y = ½Σx² (SmoothGrad's noise) and class maps.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "engine/saliency/integrated_gradients.h"
#include "engine/saliency/saliency.h"
#include "engine/saliency/smoothgrad.h"
#include "salient/check.h"
#include "test_saliency_models.h"

namespace salient {
namespace {

using saliency::Method;
using saliency::SaliencyOptions;

constexpr std::int64_t kSize = 8;

SaliencyOptions options_for(Method method) {
  SaliencyOptions options;
  options.method = method;
  return options;
}

at::Tensor indices(std::initializer_list<std::int64_t> values) {
  return torch::tensor(std::vector<std::int64_t>(values), torch::kInt64);
}

struct LinearCase {
  at::Tensor weights = torch::randn({3, 2, kSize, kSize});  // C×ch×S×S
  at::Tensor bias = torch::randn({3});
  at::Tensor input = torch::randn({4, 2, kSize, kSize});
  at::Tensor targets = indices({0, 2, 1, 2});
  at::Tensor target_weights = weights.index_select(0, targets);  // W_{t_n}, N×ch×S×S
};

TEST(SaliencyLinear, GradientIsTheAbsoluteWeightsSummedOverChannels) {
  torch::manual_seed(1);
  LinearCase c;
  auto model = testing::linear_classifier(c.weights, c.bias);
  const auto result = saliency::compute_saliency(model, c.input, c.targets, {}, options_for(Method::grad));
  EXPECT_TRUE(torch::allclose(result.maps, c.target_weights.abs().sum(1), 1e-6, 1e-6));
  EXPECT_TRUE(torch::allclose(result.logits, c.input.flatten(1).matmul(c.weights.view({3, -1}).t()) + c.bias));
  EXPECT_FALSE(model.training()) << "compute_saliency puts the model in eval mode";
}

TEST(SaliencyLinear, GradientTimesInputIsWeightsTimesInput) {
  torch::manual_seed(2);
  LinearCase c;
  auto model = testing::linear_classifier(c.weights, c.bias);
  const auto result = saliency::compute_saliency(model, c.input, c.targets, {}, options_for(Method::gradxinput));
  EXPECT_TRUE(torch::allclose(result.maps, (c.input * c.target_weights).sum(1), 1e-6, 1e-6));
}

TEST(SaliencyLinear, WithoutTargetsEachImageExplainsItsMostProbableClass) {
  torch::manual_seed(7);
  LinearCase c;
  auto model = testing::linear_classifier(c.weights, c.bias);
  const auto logits = c.input.flatten(1).matmul(c.weights.view({3, -1}).t()) + c.bias;
  const auto argmax_weights = c.weights.index_select(0, logits.argmax(1));
  const auto result = saliency::compute_saliency(model, c.input, {}, {}, options_for(Method::gradxinput));
  EXPECT_TRUE(torch::allclose(result.maps, (c.input * argmax_weights).sum(1), 1e-6, 1e-6));
}

TEST(SaliencyLinear, IntegratedGradientsAreInputMinusBaselineTimesWeights) {
  torch::manual_seed(3);
  LinearCase c;
  auto model = testing::linear_classifier(c.weights, c.bias);
  auto options = options_for(Method::ig);
  options.ig_steps = 5;
  options.black_value = -0.75;
  const auto result = saliency::compute_saliency(model, c.input, c.targets, {}, options);
  // The weights of any Gauss–Legendre rule sum to 1, so IG = (x − x')·W_c up to rounding.
  EXPECT_TRUE(torch::allclose(result.maps, ((c.input + 0.75) * c.target_weights).sum(1), 1e-5, 1e-5));
}

TEST(SaliencyLinear, GradCamOnTheInputIsReluOfChannelMeansOfWeightsTimesInput) {
  torch::manual_seed(4);
  LinearCase c;
  auto model = testing::linear_classifier(c.weights, c.bias);
  const auto result = saliency::compute_saliency(model, c.input, c.targets, {}, options_for(Method::gradcam));
  // A = x, ∂y_c/∂A = W_c: α_k = mean_ij W_c,k,ij; map = ReLU(Σ_k α_k x_k); A is already S×S.
  const auto alpha = c.target_weights.mean({2, 3}, true);
  EXPECT_TRUE(torch::allclose(result.maps, torch::relu((alpha * c.input).sum(1)), 1e-6, 1e-6));
}

TEST(SaliencyLinear, SmoothGradOfAConstantGradientIsThatGradient) {
  torch::manual_seed(5);
  LinearCase c;
  auto model = testing::linear_classifier(c.weights, c.bias);
  auto options = options_for(Method::smoothgrad);
  options.smoothgrad_samples = 3;
  const auto result = saliency::compute_saliency(model, c.input, c.targets, indices({0, 1, 2, 3}), options);
  EXPECT_TRUE(torch::allclose(result.maps, c.target_weights.abs().sum(1), 1e-6, 1e-6));
}

class SaliencyRegion : public ::testing::TestWithParam<Method> {};

TEST_P(SaliencyRegion, PeaksInsideTheOnlyRegionTheModelSees) {
  constexpr std::int64_t size = 32;
  auto region = torch::zeros({size, size});
  region.slice(0, 8, 20).slice(1, 12, 24).fill_(1.0);
  auto model = testing::region_classifier(region);
  torch::manual_seed(6);
  const auto input = torch::rand({2, 1, size, size}) + 0.1;
  auto options = options_for(GetParam());
  options.black_value = 0.0;
  const auto maps = saliency::compute_saliency(model, input, indices({0, 0}), indices({0, 1}), options).maps;
  for (std::int64_t n = 0; n < 2; ++n) {
    const auto peak = maps[n].argmax().item<std::int64_t>();
    EXPECT_EQ(region.flatten()[peak].item<float>(), 1.0f) << "image " << n << ": peak at pixel " << peak;
    const auto inside = (maps[n] * region).sum().item<double>();
    // Grad-CAM's map lives at S/2: bilinear upsampling spreads ¼ of a border cell one pixel
    // out (a ring of 52 pixels around the 144 of the region).
    EXPECT_GT(inside, 0.8 * maps[n].sum().item<double>()) << "image " << n;
  }
}

INSTANTIATE_TEST_SUITE_P(SaliencyMethods, SaliencyRegion,
                         ::testing::Values(Method::gradcam, Method::grad, Method::gradxinput, Method::ig,
                                           Method::smoothgrad),
                         [](const ::testing::TestParamInfo<Method>& method) { return saliency::method_name(method.param); });

TEST(SaliencyIntegratedGradients, AreCompleteOnASmoothCnn) {
  auto model = testing::smooth_cnn(7);
  torch::manual_seed(8);
  const auto input = torch::randn({3, 1, 16, 16});
  const auto targets = indices({0, 1, 1});
  for (const auto baseline : {saliency::Baseline::black, saliency::Baseline::blurred}) {
    auto options = options_for(Method::ig);
    options.ig_baseline = baseline;
    options.black_value = -1.0;
    options.blur_sigma = 2.0;
    const auto result = saliency::compute_saliency(model, input, targets, {}, options);
    const auto baseline_input = baseline == saliency::Baseline::black ? torch::full_like(input, -1.0)
                                                                       : saliency::gaussian_blur(input, 2.0);
    torch::NoGradGuard no_grad;
    const auto gain = saliency::target_logits(model.logits(input), targets) -
                      saliency::target_logits(model.logits(baseline_input), targets);
    // Σ IG = y_c(x) − y_c(x'): the 32-point rule is exact to far below float rounding for an
    // analytic integrand; 256 float32 terms add ~1e-6 relative.
    const auto total = result.maps.sum({1, 2});
    EXPECT_LE((total - gain).abs().max().item<double>(), 1e-4 * gain.abs().max().item<double>() + 1e-6)
        << "sums " << total << " gains " << gain;
  }
}

TEST(SaliencyIntegratedGradients, GaussLegendreTwoAndThreePointRules) {
  // On [−1, 1]: n = 2: ±1/√3, weights 1; n = 3: 0, ±√(3/5), weights 8/9, 5/9. Halved to [0, 1].
  const auto two = saliency::gauss_legendre_unit_interval(2);
  EXPECT_NEAR(two.nodes[0], 0.5 - 0.5 / std::sqrt(3.0), 1e-14);
  EXPECT_NEAR(two.nodes[1], 0.5 + 0.5 / std::sqrt(3.0), 1e-14);
  EXPECT_NEAR(two.weights[0], 0.5, 1e-14);
  EXPECT_NEAR(two.weights[1], 0.5, 1e-14);
  const auto three = saliency::gauss_legendre_unit_interval(3);
  EXPECT_NEAR(three.nodes[0], 0.5 - 0.5 * std::sqrt(0.6), 1e-14);
  EXPECT_NEAR(three.nodes[1], 0.5, 1e-14);
  EXPECT_NEAR(three.weights[0], 5.0 / 18.0, 1e-14);
  EXPECT_NEAR(three.weights[1], 4.0 / 9.0, 1e-14);
  const auto one = saliency::gauss_legendre_unit_interval(1);
  EXPECT_NEAR(one.nodes[0], 0.5, 1e-14);
  EXPECT_NEAR(one.weights[0], 1.0, 1e-14);
  EXPECT_THROW(saliency::gauss_legendre_unit_interval(0), Error);
}

TEST(SaliencySmoothGrad, NoiseHasTheStatedScale) {
  // y = ½Σx², ∂y/∂x = x: at a pixel where x = 0 the map is mean_s |σ ε_s|, whose expectation
  // is σ √(2/π). One pixel of 1 sets max − min = 1, so σ = noise.
  constexpr std::int64_t size = 32;
  auto model = testing::square_classifier();
  auto input = torch::zeros({1, 1, size, size});
  input[0][0][0][0] = 1.0;
  auto options = options_for(Method::smoothgrad);
  options.smoothgrad_noise = 0.2;
  options.seed = 11;
  const auto maps = saliency::compute_saliency(model, input, indices({0}), indices({42}), options).maps;
  const double expected = 0.2 * std::sqrt(2.0 / M_PI);
  const double observed = maps.flatten().slice(0, 1).mean().item<double>();
  // 1023 pixels × 16 samples of |ε| (sd √(1 − 2/π) ≈ 0.60): standard error 0.5 %; allow 5 of them.
  EXPECT_NEAR(observed / expected, 1.0, 0.025);
}

TEST(SaliencySmoothGrad, NoiseIsStandardNormal) {
  const auto noise = saliency::smoothgrad_noise(indices({3, 9, 27, 81}), 8, 2049, 5, 1, c10::Device(c10::kCPU));
  ASSERT_EQ(noise.sizes(), (std::vector<std::int64_t>{4, 8, 2049}));
  // 65 568 draws: the mean's standard error is 0.004, the variance's 0.0055; allow 5 of them.
  EXPECT_NEAR(noise.mean().item<double>(), 0.0, 0.02);
  EXPECT_NEAR(noise.var().item<double>(), 1.0, 0.03);
  EXPECT_NEAR((noise.abs() > 1.96).to(torch::kFloat64).mean().item<double>(), 0.05, 0.005);
}

TEST(SaliencySmoothGrad, AnImagesMapDependsOnlyOnSeedAndGlobalIndex) {
  auto model = testing::smooth_cnn(12);
  torch::manual_seed(13);
  const auto images = torch::randn({4, 1, 16, 16});
  auto options = options_for(Method::smoothgrad);
  options.smoothgrad_samples = 4;
  options.seed = 99;
  // Image 0 has global index 7 in both batches, beside different neighbours at different rows.
  const auto first = saliency::compute_saliency(model, images.slice(0, 0, 2), indices({0, 1}), indices({7, 3}),
                                                options).maps;
  const auto batch = torch::cat({images.slice(0, 2, 4), images.slice(0, 0, 1)});
  const auto second =
      saliency::compute_saliency(model, batch, indices({1, 1, 0}), indices({12, 5, 7}), options).maps;
  EXPECT_TRUE(torch::allclose(first[0], second[2], 1e-6, 1e-7));
  const auto again = saliency::compute_saliency(model, images.slice(0, 0, 2), indices({0, 1}), indices({7, 3}),
                                                options).maps;
  EXPECT_TRUE(torch::equal(first, again)) << "the same seed and indices give the same bits";
  options.seed = 100;
  const auto reseeded = saliency::compute_saliency(model, images.slice(0, 0, 2), indices({0, 1}), indices({7, 3}),
                                                   options).maps;
  EXPECT_FALSE(torch::allclose(first, reseeded)) << "another seed draws other noise";
  const auto reindexed = saliency::compute_saliency(model, images.slice(0, 0, 2), indices({0, 1}), indices({8, 3}),
                                                    options).maps;
  EXPECT_FALSE(torch::allclose(first[0], reindexed[0])) << "another global index draws other noise";
}

TEST(SaliencyWildcat, MapIsTheTargetClassMap) {
  auto model = testing::channel_map_classifier(3);
  torch::manual_seed(14);
  const auto input = torch::randn({2, 3, kSize, kSize});
  const auto targets = indices({2, 0});
  const auto result = saliency::compute_saliency(model, input, targets, {}, options_for(Method::wildcat));
  EXPECT_TRUE(torch::equal(result.maps[0], input[0][2]));
  EXPECT_TRUE(torch::equal(result.maps[1], input[1][0]));
  EXPECT_TRUE(torch::equal(result.logits, input.amax({2, 3})));
}

TEST(SaliencyWildcat, NeedsAWildcatHead) {
  auto model = testing::square_classifier();
  const auto input = torch::zeros({1, 1, kSize, kSize});
  try {
    saliency::compute_saliency(model, input, indices({0}), {}, options_for(Method::wildcat));
    FAIL() << "expected salient::Error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("WILDCAT"), std::string::npos) << error.what();
  }
}

TEST(SaliencyErrors, BadTargetsLayersAndNamesAreReported) {
  auto model = testing::square_classifier();
  const auto input = torch::zeros({2, 1, kSize, kSize});
  EXPECT_THROW(saliency::compute_saliency(model, input, indices({0, 1}), {}, options_for(Method::grad)), Error);
  EXPECT_THROW(saliency::compute_saliency(model, input, indices({0}), {}, options_for(Method::grad)), Error);
  auto options = options_for(Method::gradcam);
  options.layer = "layer9";
  try {
    saliency::compute_saliency(model, input, indices({0, 0}), {}, options);
    FAIL() << "expected salient::Error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("'layer9'"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("trunk"), std::string::npos) << error.what();
  }
  EXPECT_THROW(saliency::compute_saliency(model, input, indices({0, 0}), {}, options_for(Method::smoothgrad)), Error);
  EXPECT_THROW(saliency::parse_method("saliency"), Error);
  for (const auto method : {Method::gradcam, Method::grad, Method::gradxinput, Method::ig, Method::smoothgrad,
                            Method::lrp, Method::wildcat})
    EXPECT_EQ(saliency::parse_method(saliency::method_name(method)), method);
}

}  // namespace
}  // namespace salient
