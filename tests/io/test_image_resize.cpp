// The resampler against weights worked out by hand; Pillow itself is the reference in
// the command-line test (pack_cli_test.py).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "salient/check.h"
#include "salient/io/image_resize.h"

namespace salient::io {
namespace {

std::vector<float> row_resize(const std::vector<float>& row, std::int64_t out, ResizeFilter filter) {
  return resize_plane(row, 1, static_cast<std::int64_t>(row.size()), 1, out, filter);
}

TEST(ImageResize, BoxFilterAveragesWholeBlocks) {
  // 4x4 -> 2x2: each output is the mean of one 2x2 block.
  const std::vector<float> plane = {1, 3, 10, 20,  //
                                    5, 7, 30, 40,  //
                                    0, 0, 8,  8,   //
                                    4, 0, 8,  0};
  const auto out = resize_plane(plane, 4, 4, 2, 2, ResizeFilter::box);
  EXPECT_EQ(out, (std::vector<float>{4, 25, 1, 6}));
}

TEST(ImageResize, TriangleFilterStretchesWithTheScale) {
  // Halving: scale 2, so the triangle reaches 2 source pixels each way. Output 0 is
  // centred on source coordinate 1; pixels 0, 1, 2 have centres 0.5, 1.5, 2.5, at
  // distances 0.25, 0.25, 0.75 in stretched units: weights 0.75, 0.75, 0.25 → 3/7, 3/7, 1/7.
  const auto out = row_resize({7, 14, 70, 700}, 2, ResizeFilter::triangle);
  EXPECT_FLOAT_EQ(out[0], (3 * 7 + 3 * 14 + 70) / 7.0f);
  EXPECT_FLOAT_EQ(out[1], (14 + 3 * 70 + 3 * 700) / 7.0f);
}

TEST(ImageResize, TriangleFilterInterpolatesWhenEnlarging) {
  // Doubling: output centres at source coordinates 0.25, 0.75, 1.25, 1.75; the kernel is
  // not stretched, so outputs 1 and 2 mix the two pixels 3:1 and 1:3, and the border
  // outputs see only their own pixel (weights renormalised).
  const auto out = row_resize({8, 24}, 4, ResizeFilter::triangle);
  EXPECT_EQ(out, (std::vector<float>{8, 12, 20, 24}));
}

TEST(ImageResize, EveryFilterKeepsAConstantImageAndTheSameSize) {
  std::vector<float> ramp(9 * 7);
  for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<float>(i * i % 17);
  for (const auto filter : {ResizeFilter::box, ResizeFilter::triangle, ResizeFilter::lanczos3}) {
    SCOPED_TRACE(resize_filter_name(filter));
    for (const float v : resize_plane(std::vector<float>(50 * 30, 42.0f), 50, 30, 13, 11, filter)) {
      ASSERT_NEAR(v, 42.0f, 1e-4);
    }
    EXPECT_EQ(resize_plane(ramp, 9, 7, 9, 7, filter), ramp);
    EXPECT_EQ(parse_resize_filter(resize_filter_name(filter)), filter);
  }
  EXPECT_THROW(parse_resize_filter("bicubic"), Error);
}

TEST(ImageResize, LanczosIsSymmetricAndOvershootsAtAStep) {
  // A step 0 | 100 shrunk 3x: the mirrored input gives the mirrored output, and the
  // negative lobes ring below 0 and above 100 next to the edge.
  std::vector<float> step(30, 0.0f);
  std::fill(step.begin() + 15, step.end(), 100.0f);
  std::vector<float> mirrored(step.rbegin(), step.rend());
  const auto out = row_resize(step, 10, ResizeFilter::lanczos3);
  const auto out_mirrored = row_resize(mirrored, 10, ResizeFilter::lanczos3);
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_NEAR(out[i], out_mirrored[out.size() - 1 - i], 1e-4);
  EXPECT_LT(*std::min_element(out.begin(), out.end()), -0.5f);
  EXPECT_GT(*std::max_element(out.begin(), out.end()), 100.5f);
}

TEST(ImageResize, GrayImagesAreScaledToThePoolsRangeRoundedAndClamped) {
  GrayImage image8;
  image8.height = image8.width = 2;
  image8.gray8 = {0, 255, 3, 4};
  // 8 → 16 bits multiplies by 257: 2x2 → 1x1 box mean (0 + 255 + 3 + 4)/4 = 65.5 → 65.5·257.
  std::vector<std::uint8_t> bytes = resize_gray_image(image8, 1, PixelType::uint16, ResizeFilter::box);
  std::uint16_t sample = 0;
  std::memcpy(&sample, bytes.data(), 2);
  EXPECT_EQ(sample, 16834);  // 65.5 · 257 = 16833.5, rounded half away from zero
  EXPECT_EQ(resize_gray_image(image8, 1, PixelType::uint8, ResizeFilter::box), std::vector<std::uint8_t>{66});

  GrayImage image16;
  image16.height = image16.width = 1;
  image16.bit_depth = 16;
  image16.gray16 = {65535};
  EXPECT_EQ(resize_gray_image(image16, 2, PixelType::uint8, ResizeFilter::triangle),
            (std::vector<std::uint8_t>{255, 255, 255, 255}));
  image16.gray16 = {257 * 100 + 128};  // 100.498 in 8 bits
  EXPECT_EQ(resize_gray_image(image16, 1, PixelType::uint8, ResizeFilter::box), std::vector<std::uint8_t>{100});

  // Lanczos ringing past 0 and 255 is clamped.
  GrayImage step;  // 30x30, columns 0-14 black, 15-29 white
  step.height = step.width = 30;
  for (int p = 0; p < 30 * 30; ++p) step.gray8.push_back(p % 30 < 15 ? 0 : 255);
  const auto clamped = resize_gray_image(step, 10, PixelType::uint8, ResizeFilter::lanczos3);
  EXPECT_EQ(*std::min_element(clamped.begin(), clamped.end()), 0);
  EXPECT_EQ(*std::max_element(clamped.begin(), clamped.end()), 255);
  EXPECT_THROW(resize_gray_image(image8, 1, PixelType::float32, ResizeFilter::box), Error);
}

}  // namespace
}  // namespace salient::io
