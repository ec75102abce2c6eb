#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "salient/kernels/map_summary.h"
#include "support/cuda_test_support.h"

namespace salient::kernels {
namespace {

TEST(MapSummaryCpu, WholeMapAndMaskedMapMatchHandValues) {
  // Map 0: 1..6 on 2×3 (sum 21). Map 1: {4,-3,2.5,7,0,1}, masked to {-3, 7, 1}.
  const std::vector<float> maps{1, 2, 3, 4, 5, 6, 4, -3, 2.5f, 7, 0, 1};
  const std::vector<std::uint8_t> masks{1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1};
  std::vector<MapSummary> out(2);
  summarize_maps({maps.data(), masks.data(), 2, 2, 3}, out.data(), {});
  EXPECT_EQ(out[0].count, 6);
  EXPECT_EQ(out[0].min, 1.0);
  EXPECT_EQ(out[0].max, 6.0);
  EXPECT_EQ(out[0].sum, 21.0);
  EXPECT_EQ(out[1].count, 3);
  EXPECT_EQ(out[1].min, -3.0);
  EXPECT_EQ(out[1].max, 7.0);
  EXPECT_EQ(out[1].sum, 5.0);
}

TEST(MapSummaryCpu, EmptyMaskGivesNaNRangeAndZeroCount) {
  const std::vector<float> maps{1, 2, 3, 4};
  const std::vector<std::uint8_t> masks(4, 0);
  MapSummary out;
  summarize_maps({maps.data(), masks.data(), 1, 2, 2}, &out, {});
  EXPECT_EQ(out.count, 0);
  EXPECT_TRUE(std::isnan(out.min));
  EXPECT_TRUE(std::isnan(out.max));
  EXPECT_EQ(out.sum, 0.0);
}

TEST(MapSummaryCpu, RejectsANonPositiveShape) {
  MapSummary out;
  EXPECT_THROW(summarize_maps({nullptr, nullptr, 1, 0, 3}, &out, {}), Error);
}

TEST(MapSummaryCuda, MatchesTheCpuTwinOnRandomMapsOfOddSizes) {
  SALIENT_SKIP_WITHOUT_CUDA();
#ifdef SALIENT_WITH_CUDA
  std::mt19937 rng(20261122);
  std::normal_distribution<float> value(0.3f, 2.0f);
  std::bernoulli_distribution inside(0.7);
  const std::int64_t n = 37, h = 61, w = 83;  // not multiples of the block size
  std::vector<float> maps(n * h * w);
  std::vector<std::uint8_t> masks(maps.size());
  for (auto& v : maps) v = value(rng);
  for (auto& m : masks) m = inside(rng);
  std::fill(masks.begin(), masks.begin() + h * w, 0);  // map 0: empty mask

  std::vector<MapSummary> expected(n);
  cpu_impl::summarize_maps({maps.data(), masks.data(), n, h, w}, expected.data());

  testing::DeviceBuffer<float> device_maps(maps);
  testing::DeviceBuffer<std::uint8_t> device_masks(masks);
  testing::DeviceBuffer<MapSummary> device_out(n);
  device_out.poison();
  summarize_maps({device_maps.get(), device_masks.get(), n, h, w}, device_out.get(), {Backend::cuda, nullptr});
  const auto actual = device_out.to_host();
  for (std::int64_t i = 0; i < n; ++i) {
    SCOPED_TRACE("map " + std::to_string(i));
    EXPECT_EQ(actual[i].count, expected[i].count);
    if (expected[i].count == 0) {
      EXPECT_TRUE(std::isnan(actual[i].min) && std::isnan(actual[i].max));
      continue;
    }
    EXPECT_EQ(actual[i].min, expected[i].min);
    EXPECT_EQ(actual[i].max, expected[i].max);
    // Sums of ~3500 doubles in another order: relative difference at rounding level.
    EXPECT_NEAR(actual[i].sum, expected[i].sum, 1e-12 * (1 + std::abs(expected[i].sum)) * h * w);
  }
#endif
}

}  // namespace
}  // namespace salient::kernels
