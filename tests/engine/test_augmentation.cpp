// IDEAL's training augmentation: draws within the paper's ranges, the same for an image in
// any batch, new each epoch, and the identity when every range is zero.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "engine/training/augmentation.h"
#include "support/expect_error.h"

namespace salient::training {
namespace {

at::Tensor indices(std::vector<std::int64_t> values) { return torch::tensor(values, torch::kInt64); }

TEST(Augmentation, DrawsSpanIdealsRangesWithoutFlips) {
  AugmentationOptions options;
  options.seed = 5;
  const auto t = augmentation_transforms(torch::arange(4000, torch::kInt64), 320, 3, options).squeeze(1);
  const auto rotation = t.select(1, 0), zoom = t.select(1, 1), shift = t.slice(1, 2, 4), flip = t.select(1, 4);
  // ±25°, [0.95, 1.05], ±10 px of 320 = ±1/32 of the side; 4000 draws come within 1 % of each end.
  EXPECT_LE(rotation.abs().max().item<double>(), 25.0);
  EXPECT_GT(rotation.max().item<double>(), 24.75);
  EXPECT_LT(rotation.min().item<double>(), -24.75);
  EXPECT_GE(zoom.min().item<double>(), 0.95);
  EXPECT_LE(zoom.max().item<double>(), 1.05);
  EXPECT_LE(shift.abs().max().item<double>(), 10.0 / 320.0);
  EXPECT_GT(shift.abs().max().item<double>(), 0.99 * 10.0 / 320.0);
  EXPECT_EQ(flip.abs().sum().item<double>(), 0.0);
}

TEST(Augmentation, AnImageIsAugmentedAlikeInAnyBatchAndAnewEachEpoch) {
  torch::manual_seed(2);
  const auto a = torch::rand({1, 1, 16, 16}), b = torch::rand({1, 1, 16, 16}), c = torch::rand({1, 1, 16, 16});
  AugmentationOptions options;
  options.seed = 9;
  const auto first = augment(torch::cat({a, b}), indices({7, 8}), 1, options);
  const auto second = augment(torch::cat({c, a}), indices({3, 7}), 1, options);
  EXPECT_TRUE(first[0].equal(second[1]));
  EXPECT_FALSE(augment(a, indices({7}), 2, options)[0].equal(first[0]));
  EXPECT_FALSE(first[0].equal(a[0]));
}

TEST(Augmentation, ZeroRangesLeaveTheImage) {
  torch::manual_seed(4);
  const auto images = torch::rand({3, 2, 12, 12});
  AugmentationOptions none;
  none.max_rotation_degrees = 0.0;
  none.max_shift_pixels = 0.0;
  none.min_scale = none.max_scale = 1.0;
  EXPECT_TRUE(torch::allclose(augment(images, indices({0, 1, 2}), 0, none), images, 1e-5, 1e-6));
  testing::expect_error_naming([&] { augment(images, indices({0, 1}), 0, none); }, {"2 global indices for 3 images"});
  testing::expect_error_naming([&] { augment(images, indices({0, 1, 2}), -1, none); }, {"epoch"});
}

}  // namespace
}  // namespace salient::training
