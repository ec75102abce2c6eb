// Saliency maps of a small scripted CNN against Captum 0.9 on the same model and inputs
// (tests/engine/reference/saliency_reference.py). The model is loaded through
// load_torchscript_classifier, so this also checks the TorchScript path end to end.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "engine/models/torchscript_classifier.h"
#include "engine/saliency/integrated_gradients.h"
#include "engine/saliency/saliency.h"
#include "test_saliency_reference.h"

namespace salient {
namespace {

using saliency::Method;
using testing::max_relative_difference;
using testing::reference_tensor;

// max|a − b| ≤ kCaptumTolerance · max|b| (float32 sums in another order).
constexpr double kCaptumTolerance = 1e-5;

class SaliencyCaptum : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    models::ModelSpec hint;
    hint.in_channels = 3;
    hint.input_size = 16;
    model_ = models::load_torchscript_classifier(testing::saliency_reference_path("small_cnn.pt"), hint).release();
  }
  static void TearDownTestSuite() {
    delete model_;
    model_ = nullptr;
  }

  saliency::SaliencyResult run(saliency::SaliencyOptions options) const {
    options.black_value = -0.5;  // BLACK_VALUE of the script
    options.blur_sigma = 1.5;    // BLUR_SIGMA of the script
    return saliency::compute_saliency(*model_, input_, targets_, torch::arange(4), options);
  }

  void expect_matches(Method method, const std::string& reference, int ig_steps = 32,
                      saliency::Baseline baseline = saliency::Baseline::black) const {
    saliency::SaliencyOptions options;
    options.method = method;
    options.ig_steps = ig_steps;
    options.ig_baseline = baseline;
    const auto result = run(options);
    const auto expected = reference_tensor<float>("small_cnn/" + reference);
    ASSERT_EQ(result.maps.sizes(), expected.sizes());
    const auto difference = max_relative_difference(result.maps, expected);
    RecordProperty(reference + "_max_relative_difference", fmt::format("{:.3g}", difference));
    EXPECT_LE(difference, kCaptumTolerance) << reference;
    EXPECT_LE(max_relative_difference(result.logits, logits_), 1e-6) << reference << ": clean logits";
  }

  static models::Classifier* model_;
  const at::Tensor input_ = reference_tensor<float>("small_cnn/input");
  const at::Tensor targets_ = reference_tensor<std::int64_t>("small_cnn/targets");
  const at::Tensor logits_ = reference_tensor<float>("small_cnn/logits");
};

models::Classifier* SaliencyCaptum::model_ = nullptr;

TEST_F(SaliencyCaptum, GradCamMatchesLayerGradCamInterpolatedBilinearly) { expect_matches(Method::gradcam, "gradcam"); }

TEST_F(SaliencyCaptum, GradientMatchesSaliencyAbs) { expect_matches(Method::grad, "grad"); }

TEST_F(SaliencyCaptum, GradientTimesInputMatchesInputXGradient) { expect_matches(Method::gradxinput, "gradxinput"); }

TEST_F(SaliencyCaptum, IntegratedGradientsMatchGaussLegendreWithABlackBaseline) {
  expect_matches(Method::ig, "ig_black_32", 32);
  expect_matches(Method::ig, "ig_black_7", 7);
}

TEST_F(SaliencyCaptum, IntegratedGradientsMatchWithABlurredBaseline) {
  expect_matches(Method::ig, "ig_blurred_32", 32, saliency::Baseline::blurred);
}

TEST(SaliencyReference, BlurredBaselineMatchesTorchvisionGaussianBlur) {
  const auto blurred = saliency::gaussian_blur(reference_tensor<float>("small_cnn/input"), 1.5);
  EXPECT_LE(max_relative_difference(blurred, reference_tensor<float>("small_cnn/blurred")), 1e-6);
}

TEST(SaliencyReference, GaussLegendreRuleMatchesNumpyLeggauss) {
  for (const int n : {5, 32}) {
    const auto rule = saliency::gauss_legendre_unit_interval(n);
    const auto prefix = "gauss_legendre_" + std::to_string(n);
    const auto nodes = reference_tensor<double>(prefix + "/nodes");
    const auto weights = reference_tensor<double>(prefix + "/weights");
    ASSERT_EQ(nodes.numel(), n);
    for (int i = 0; i < n; ++i) {
      EXPECT_NEAR(rule.nodes[static_cast<std::size_t>(i)], nodes[i].item<double>(), 1e-14) << "n " << n << " node " << i;
      EXPECT_NEAR(rule.weights[static_cast<std::size_t>(i)], weights[i].item<double>(), 1e-14) << "n " << n << " weight " << i;
    }
  }
}

}  // namespace
}  // namespace salient
