// Model input, MC-dropout samples and ACFT views: checked against hand-derived values and
// direct evaluations of the probe model.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "engine/models/acft_patches.h"
#include "engine/models/builtin_classifier.h"
#include "engine/models/mc_dropout.h"
#include "engine/models/model_factory.h"
#include "engine/models/model_input.h"
#include "engine/saliency/gradcam.h"
#include "support/probe_classifier.h"

namespace salient::models {
namespace {

using testing::ProbeClassifier;

at::Tensor indices(std::vector<std::int64_t> values) { return torch::tensor(values, torch::kInt64); }

TEST(ModelInput, ScalesNormalisesAndRepeatsChannels) {
  const std::vector<std::uint8_t> pixels = {0, 255, 51, 102};  // one 2×2 image
  ModelSpec spec;
  spec.input_size = 2;
  spec.in_channels = 3;
  const auto input = model_input(pixels.data(), io::PixelType::uint8, 1, 2, 2, spec, c10::Device(c10::kCPU));
  ASSERT_EQ(input.sizes(), (std::vector<std::int64_t>{1, 3, 2, 2}));
  const double expected[] = {(0.0 - 0.449) / 0.226, (1.0 - 0.449) / 0.226, (0.2 - 0.449) / 0.226,
                             (0.4 - 0.449) / 0.226};
  for (int c = 0; c < 3; ++c)
    for (int k = 0; k < 4; ++k) EXPECT_NEAR(input[0][c][k / 2][k % 2].item<double>(), expected[k], 1e-6);
}

TEST(ModelInput, Uint16UsesItsFullRangeAndShrinkingIsAntialiased) {
  // v(y, x) = 20000·(2·(y div 2) + x div 2) on 4×4, shrunk to 2×2. The antialiased bilinear
  // filter at scale 2 is a triangle of half-width 2 input pixels: output 0's centre sits at
  // input coordinate 1, so inputs at 0.5, 1.5, 2.5, 3.5 weigh 0.75, 0.75, 0.25, 0 (/1.75),
  // and the mean of (y div 2) under these weights is 1/7 (output 0) or 6/7 (output 1).
  // Plain bilinear would give 0 and 1.
  std::vector<std::uint16_t> pixels(16);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x) pixels[static_cast<std::size_t>(y * 4 + x)] = static_cast<std::uint16_t>((y / 2 * 2 + x / 2) * 20000);
  ModelSpec spec;
  spec.input_size = 2;
  const auto input = model_input(pixels.data(), io::PixelType::uint16, 1, 4, 4, spec, c10::Device(c10::kCPU));
  const double half[] = {1.0 / 7.0, 6.0 / 7.0};
  for (int k = 0; k < 4; ++k) {
    const double expected = 20000.0 * (2 * half[k / 2] + half[k % 2]) / 65535.0;
    EXPECT_NEAR(input[0][0][k / 2][k % 2].item<double>(), InputNormalisation{}.of(expected), 1e-5) << k;
  }
}

TEST(ModelInput, MapsAtTheImageSizeAreReturnedAsTheyAre) {
  const auto maps = torch::rand({2, 8, 8});
  EXPECT_TRUE(resize_maps(maps, 8, 8).equal(maps));
  EXPECT_EQ(resize_maps(maps, 16, 12).sizes(), (std::vector<std::int64_t>{2, 16, 12}));
}

TEST(HeadDropoutMasks, AreZeroOrInverseKeepRateAtTheRequestedRate) {
  const auto masks = head_dropout_masks(torch::arange(200), 10, 64, 0.25, {5, 0, kernels::RandomStream::mc_dropout},
                                        c10::Device(c10::kCPU));
  ASSERT_EQ(masks.sizes(), (std::vector<std::int64_t>{200, 10, 64}));
  const auto dropped = masks.eq(0.0f);
  const auto kept = masks.eq(static_cast<float>(1.0 / 0.75));
  EXPECT_TRUE(dropped.logical_or(kept).all().item<bool>());
  // 128,000 Bernoulli(0.25) draws: sd of the fraction 0.0012.
  EXPECT_NEAR(dropped.to(torch::kFloat64).mean().item<double>(), 0.25, 5 * 0.0012);
}

TEST(McDropout, HeadSamplesAreTheLinearHeadOnMaskedPooledChannels) {
  ProbeClassifier model(6, 3, OutputKind::multi_class, 11);
  const auto input = torch::randn({2, 1, 5, 5});
  const auto ids = indices({40, 41});
  McDropoutOptions options;
  options.samples = 4;
  options.rate = 0.5;
  options.seed = 3;
  const auto probabilities = mc_dropout_probabilities(model, input, ids, options);
  ASSERT_EQ(probabilities.sizes(), (std::vector<std::int64_t>{2, 4, 3}));
  const auto masks = head_dropout_masks(ids, 4, 6, 0.5, {3, 0, kernels::RandomStream::mc_dropout},
                                        c10::Device(c10::kCPU));
  torch::NoGradGuard no_grad;
  const auto pooled = model.conv()->forward(input).mean({2, 3});
  for (int i = 0; i < 2; ++i)
    for (int t = 0; t < 4; ++t) {
      const auto logits = torch::matmul(model.linear()->weight, pooled[i] * masks[i][t]) + model.linear()->bias;
      EXPECT_TRUE(torch::allclose(probabilities[i][t], torch::softmax(logits, 0), 1e-6, 1e-6)) << i << "," << t;
    }
}

// `salient score` hands Grad-CAM's trunk output to head-only MC dropout instead of running
// the trunk again: the samples must be those of a fresh trunk pass.
TEST(McDropout, HeadSamplesOnGradCamsTrunkOutputEqualAFreshTrunkPass) {
  ModelSpec spec;
  spec.architecture = Architecture::small_cnn;
  spec.classes = 4;
  spec.input_size = 32;
  auto model = make_classifier(spec, 5);
  model->train(false);
  const auto input = torch::randn({3, 1, 32, 32});
  const auto ids = indices({7, 8, 9});
  McDropoutOptions options;
  options.samples = 5;
  options.seed = 2;
  const auto result = saliency::gradcam(*model, input, {}, "");
  ASSERT_TRUE(result.trunk_output.defined());
  EXPECT_FALSE(result.trunk_output.requires_grad());
  const auto reused = mc_dropout_probabilities(*model, input, ids, options, result.trunk_output);
  const auto fresh = mc_dropout_probabilities(*model, input, ids, options);
  EXPECT_TRUE(reused.equal(fresh));
}

TEST(McDropout, AnImagesSamplesDoNotDependOnItsBatch) {
  ProbeClassifier model(8, 2, OutputKind::multi_label, 12);
  const auto a = torch::randn({1, 1, 4, 4}), b = torch::randn({1, 1, 4, 4}), c = torch::randn({1, 1, 4, 4});
  McDropoutOptions options;
  options.samples = 5;
  const auto first = mc_dropout_probabilities(model, torch::cat({a, b}), indices({7, 8}), options);
  const auto second = mc_dropout_probabilities(model, torch::cat({c, a}), indices({3, 7}), options);
  EXPECT_TRUE(first[0].equal(second[1]));
  options.round = 1;
  EXPECT_FALSE(mc_dropout_probabilities(model, a, indices({7}), options)[0].equal(first[0]));
}

TEST(McDropout, RateZeroGivesTheDeterministicPredictionEveryTime) {
  ProbeClassifier model(4, 2, OutputKind::multi_label, 13);
  const auto input = torch::randn({3, 1, 4, 4});
  McDropoutOptions options;
  options.rate = 0.0;
  options.samples = 3;
  const auto probabilities = mc_dropout_probabilities(model, input, indices({0, 1, 2}), options);
  torch::NoGradGuard no_grad;
  const auto expected = torch::sigmoid(model.logits(input));
  for (int t = 0; t < 3; ++t) EXPECT_TRUE(torch::allclose(probabilities.select(1, t), expected, 1e-6, 1e-7));
}

TEST(McDropout, ThroughoutNeedsDropoutInsideTheTrunk) {
  ProbeClassifier model(4, 2, OutputKind::multi_label, 14);
  McDropoutOptions options;
  options.placement = DropoutPlacement::throughout;
  EXPECT_THROW(mc_dropout_probabilities(model, torch::randn({1, 1, 4, 4}), indices({0}), options), Error);
}

TEST(McDropout, ThroughoutSamplesDenseNetDropoutWithBatchNormFrozen) {
  ModelSpec spec;
  spec.architecture = Architecture::densenet121;
  spec.classes = 3;
  spec.input_size = 32;
  spec.trunk_dropout = 0.3;
  auto model = make_classifier(spec, 21);
  auto& network = dynamic_cast<BuiltinClassifier&>(*model).network();
  const auto running_means = [&] {
    std::vector<at::Tensor> means;
    for (const auto& buffer : network.named_buffers())
      if (buffer.key().find("running_mean") != std::string::npos) means.push_back(buffer.value().clone());
    return means;
  };
  const auto before = running_means();
  const auto input = torch::randn({2, 1, 32, 32});
  torch::Tensor eval_logits;
  {
    torch::NoGradGuard no_grad;
    eval_logits = model->logits(input);
  }
  McDropoutOptions options;
  options.placement = DropoutPlacement::throughout;
  options.samples = 3;
  options.seed = 8;
  const auto first = mc_dropout_probabilities(*model, input, indices({64, 65}), options);
  const auto again = mc_dropout_probabilities(*model, input, indices({64, 65}), options);
  EXPECT_TRUE(first.equal(again));                        // same seed, round and batch: same masks
  EXPECT_FALSE(torch::allclose(first.select(1, 0), first.select(1, 1)));  // dropout was on
  const auto after = running_means();
  ASSERT_EQ(before.size(), after.size());
  for (std::size_t i = 0; i < before.size(); ++i) EXPECT_TRUE(before[i].equal(after[i])) << "running mean " << i;
  torch::NoGradGuard no_grad;
  EXPECT_TRUE(model->logits(input).equal(eval_logits));  // back in inference mode
  spec.trunk_dropout = 0.0;
  auto without = make_classifier(spec, 21);
  EXPECT_THROW(mc_dropout_probabilities(*without, input, indices({0, 1}), options), Error);
}

at::Tensor one_transform(double rotation, double zoom, double shift_x, double shift_y, bool flip) {
  return torch::tensor({rotation, zoom, shift_x, shift_y, flip ? 1.0 : 0.0}, torch::kFloat64).view({1, 1, 5});
}

TEST(AcftViews, TheIdentityTransformReproducesTheImage) {
  const auto image = torch::rand({1, 1, 6, 6});
  const auto view = transformed_views(image, one_transform(0, 1, 0, 0, false));
  EXPECT_TRUE(torch::allclose(view, image, 0, 1e-6));
}

TEST(AcftViews, FlipAndQuarterTurnMovePixelsWhereTheFormulaSays) {
  // Pixel (row i, column j) of an S×S image sits at x = (2j + 1)/S − 1, y = (2i + 1)/S − 1.
  const std::int64_t s = 5;
  const auto image = torch::rand({1, 1, s, s});
  const auto flipped = transformed_views(image, one_transform(0, 1, 0, 0, true));
  // A flip shows input (−x, y): column S − 1 − j.
  EXPECT_TRUE(torch::allclose(flipped, image.flip({3}), 0, 1e-6));
  const auto turned = transformed_views(image, one_transform(90, 1, 0, 0, false));
  // θ = 90°: output (x, y) shows input (−y, x), i.e. out[i][j] = in[j][S − 1 − i].
  for (std::int64_t i = 0; i < s; ++i)
    for (std::int64_t j = 0; j < s; ++j)
      EXPECT_NEAR(turned[0][0][i][j].item<float>(), image[0][0][j][s - 1 - i].item<float>(), 1e-5) << i << "," << j;
}

TEST(AcftViews, ShiftByOnePixelMovesTheContent) {
  // shift_x = 1/S of the side: output column j shows input column j + 1 (the last repeats).
  const auto image = torch::rand({1, 1, 4, 4});
  const auto view = transformed_views(image, one_transform(0, 1, 0.25, 0, false));
  EXPECT_TRUE(torch::allclose(view.narrow(3, 0, 3), image.narrow(3, 1, 3), 0, 1e-6));
  EXPECT_TRUE(torch::allclose(view.narrow(3, 3, 1), image.narrow(3, 3, 1), 0, 1e-6));
}

TEST(AcftViews, TransformsStayInTheirRangesAndDependOnlyOnTheImage) {
  PatchOptions options;
  options.views = 16;
  options.flip_probability = 0.5;
  const auto all = view_transforms(torch::arange(100), options);
  ASSERT_EQ(all.sizes(), (std::vector<std::int64_t>{100, 16, 5}));
  EXPECT_LE(all.select(2, 0).abs().max().item<double>(), 10.0);
  EXPECT_GE(all.select(2, 1).min().item<double>(), 1.0);
  EXPECT_LE(all.select(2, 1).max().item<double>(), 1.25);
  EXPECT_LE(all.select(2, 2).abs().max().item<double>(), 0.05);
  const double flips = all.select(2, 4).mean().item<double>();
  EXPECT_NEAR(flips, 0.5, 5 * 0.0125);  // 1600 Bernoulli(½): sd 0.0125
  EXPECT_TRUE(view_transforms(indices({57}), options)[0].equal(all[57]));
}

TEST(AcftPatches, ProbabilitiesAreTheModelOnEachView) {
  ProbeClassifier model(4, 3, OutputKind::multi_class, 15);
  const auto input = torch::randn({2, 1, 8, 8});
  PatchOptions options;
  options.views = 3;
  const auto ids = indices({10, 20});
  const auto probabilities = patch_probabilities(model, input, ids, options);
  ASSERT_EQ(probabilities.sizes(), (std::vector<std::int64_t>{2, 3, 3}));
  torch::NoGradGuard no_grad;
  const auto views = transformed_views(input, view_transforms(ids, options));
  const auto expected = torch::softmax(model.logits(views), 1).view({2, 3, 3});
  EXPECT_TRUE(torch::allclose(probabilities, expected, 1e-6, 1e-7));
  EXPECT_FALSE(torch::allclose(probabilities[0][0], probabilities[0][1]));
}

}  // namespace
}  // namespace salient::models
