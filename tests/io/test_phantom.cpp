#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "salient/check.h"
#include "salient/io/phantom.h"
#include "salient/io/pool_inspect.h"
#include "salient/io/synth_pool.h"
#include "support/temp_dir.h"

namespace salient::io {
namespace {

PhantomOptions options_with(std::uint64_t seed, std::int64_t size = 64) {
  PhantomOptions options;
  options.seed = seed;
  options.size = size;
  return options;
}

TEST(Phantom, AnImageDependsOnlyOnSeedAndIndex) {
  const auto options = options_with(11);
  const PhantomImage late = draw_phantom(options, 37);
  draw_phantom(options, 3);  // drawing others in between changes nothing
  EXPECT_EQ(draw_phantom(options, 37).pixels, late.pixels);
  EXPECT_NE(draw_phantom(options_with(12), 37).pixels, late.pixels);
  EXPECT_NE(draw_phantom(options, 38).pixels, late.pixels);
}

TEST(Phantom, IntensitiesStayInTheUnitRangeAndLungsAreDarkerThanTheMediastinum) {
  PhantomOptions options = options_with(3, 128);
  options.noise_only_rate = 0.0;
  options.near_duplicate_rate = 0.0;
  const PhantomImage image = draw_phantom(options, 0);
  for (const float v : image.pixels) ASSERT_TRUE(v >= 0.0f && v <= 1.0f) << v;
  // Mean over a patch at mid-height: right lung (image left) vs. the midline.
  const auto patch_mean = [&](std::int64_t row, std::int64_t col) {
    double sum = 0.0;
    for (std::int64_t r = row - 3; r <= row + 3; ++r)
      for (std::int64_t c = col - 3; c <= col + 3; ++c) sum += image.pixels[static_cast<std::size_t>(r * 128 + c)];
    return sum / 49.0;
  };
  EXPECT_LT(patch_mean(55, 38), patch_mean(55, 64) - 0.15);
}

TEST(Phantom, RegionsOfInterestExistExactlyWhereFindingsWereDrawn) {
  PhantomOptions options = options_with(5);
  options.near_duplicate_rate = 0.0;
  int with_findings = 0;
  for (std::int64_t i = 0; i < 200; ++i) {
    const PhantomImage image = draw_phantom(options, i);
    const bool any_finding = std::any_of(image.truth.begin(), image.truth.end(), [](std::int8_t t) { return t == 1; });
    const auto roi_pixels = std::count(image.roi.begin(), image.roi.end(), std::uint8_t{1});
    EXPECT_EQ(roi_pixels > 0, any_finding) << "image " << i;
    EXPECT_EQ(image.labels, image.truth) << "no label noise was asked for";
    if (image.noise_only) {
      EXPECT_FALSE(any_finding);
    }
    with_findings += any_finding;
  }
  // P(at least one of four findings) = 1 − 0.85·0.88·0.88·0.90 ≈ 0.41.
  EXPECT_NEAR(with_findings / 200.0, 0.41, 0.08);
}

TEST(Phantom, NearDuplicatesRepeatAnEarlierImageWithFreshNoise) {
  PhantomOptions options = options_with(9);
  options.near_duplicate_rate = 0.5;
  int duplicates = 0;
  for (std::int64_t i = 1; i < 40; ++i) {
    const PhantomImage image = draw_phantom(options, i);
    if (image.duplicate_of < 0) continue;
    ++duplicates;
    const PhantomImage original = draw_phantom(options, image.duplicate_of);
    ASSERT_LT(image.duplicate_of, i);
    EXPECT_EQ(image.truth, original.truth);
    EXPECT_EQ(image.roi, original.roi);
    EXPECT_EQ(image.patient_id, original.patient_id);
    EXPECT_NE(image.pixels, original.pixels);
    double difference = 0.0;
    for (std::size_t p = 0; p < image.pixels.size(); ++p) difference += std::abs(image.pixels[p] - original.pixels[p]);
    EXPECT_LT(difference / static_cast<double>(image.pixels.size()), 0.05) << "only the noise differs";
  }
  EXPECT_GT(duplicates, 5);
}

TEST(Phantom, LabelNoiseFlipsLabelsAtTheRequestedRate) {
  PhantomOptions options = options_with(2);
  options.label_noise = 0.2;
  int flipped = 0, total = 0;
  for (std::int64_t i = 0; i < 150; ++i) {
    const PhantomImage image = draw_phantom(options, i);
    for (std::size_t f = 0; f < 4; ++f, ++total) flipped += image.labels[f] != image.truth[f];
  }
  EXPECT_NEAR(static_cast<double>(flipped) / total, 0.2, 0.05);
}

TEST(Phantom, RejectsSizesOutsideTheSupportedRange) {
  EXPECT_THROW(draw_phantom(options_with(1, 32), 0), salient::Error);
  EXPECT_THROW(draw_phantom(options_with(1, 2048), 0), salient::Error);
}

TEST(SynthPool, IsIdenticalWhateverTheNumberOfThreadsAndPassesVerification) {
  salient::testing::TempDir dir;
  SynthOptions options;
  options.phantom = options_with(21);
  options.count = 40;
  options.shard_size = 16;
  options.threads = 1;
  const auto one = synthesize_pool(dir / "one", options).manifest;
  options.threads = 3;
  const auto three = synthesize_pool(dir / "three", options).manifest;
  ASSERT_EQ(one.shards.size(), 3u);
  for (std::size_t s = 0; s < 3; ++s) EXPECT_EQ(one.shards[s].crc32, three.shards[s].crc32);
  const PoolReport report = inspect_pool(Pool::open(dir / "one"), true);
  EXPECT_TRUE(report.problems.empty()) << report.problems.front();
  EXPECT_EQ(report.images, 40);
  EXPECT_EQ(report.labels.size(), 4u);
  EXPECT_EQ(report.patients, 20);
}

TEST(SynthPool, StoresEachPixelTypeWithItsDocumentedScale) {
  EXPECT_EQ(stored_value(PixelType::uint8, 0.5f), 128.0);
  EXPECT_EQ(stored_value(PixelType::uint16, 1.0f), 4095.0);
  EXPECT_EQ(stored_value(PixelType::float32, 0.25f), 0.25);
}

}  // namespace
}  // namespace salient::io
