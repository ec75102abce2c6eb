// discretize_maps: hand-derived edges (Python's float modulo, digitize on an edge, binCount's
// raised last edge), masks, undefined maps, and the CUDA twin against the CPU twin.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "map_features_test_support.h"
#include "salient/kernels/binning.h"
#include "support/cuda_test_support.h"

namespace salient::kernels {
namespace {

std::vector<std::int32_t> levels_of(const std::vector<float>& map, const BinSpec& spec, std::int32_t& gray_levels,
                                    const std::vector<std::uint8_t>& mask = {}) {
  std::vector<std::int32_t> levels(map.size(), -1);
  discretize_maps({map.data(), mask.empty() ? nullptr : mask.data(), 1, 1, static_cast<std::int64_t>(map.size())},
                  spec, levels.data(), &gray_levels, {});
  return levels;
}

TEST(BinningCpu, BinWidthStartsAtTheFloatModuloAndAValueOnAnEdgeGoesUp) {
  // min -0.75: -0.75 mod 0.5 = 0.25 (Python's sign rule), so edges -1, -0.5, 0, 0.5, 1, 1.5.
  std::int32_t gray_levels = 0;
  EXPECT_EQ(levels_of({-0.75f, -0.5f, 0.0f, 0.5f, 1.0f}, BinSpec::bin_width(0.5), gray_levels),
            (std::vector<std::int32_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(gray_levels, 5);
}

TEST(BinningCpu, BinWidthCountsFromZeroNotFromTheMinimum) {
  // Edges 50, 75, 100, ... (PyRadiomics' docstring example: 54..166 with width 25).
  std::int32_t gray_levels = 0;
  EXPECT_EQ(levels_of({54, 74.9f, 75, 166}, BinSpec::bin_width(25), gray_levels),
            (std::vector<std::int32_t>{1, 1, 2, 5}));
  EXPECT_EQ(gray_levels, 5);
}

TEST(BinningCpu, BinCountPutsTheMaximumInTheTopBin) {
  // linspace(1, 4, 3) = 1, 2.5, 4; the last edge becomes 5, so 4 lands in bin 2.
  std::int32_t gray_levels = 0;
  EXPECT_EQ(levels_of({1, 2, 2.5f, 3, 4}, BinSpec::bin_count(2), gray_levels), (std::vector<std::int32_t>{1, 1, 2, 2, 2}));
  EXPECT_EQ(gray_levels, 2);
}

TEST(BinningCpu, FlatRegionUsesNumpysWidenedRange) {
  // binCount: histogram widens [3, 3] to [2.5, 3.5]; 3 sits on the 5th of 9 edges and goes up.
  std::int32_t gray_levels = 0;
  EXPECT_EQ(levels_of({3, 3, 3}, BinSpec::bin_count(8), gray_levels), (std::vector<std::int32_t>{5, 5, 5}));
  EXPECT_EQ(gray_levels, 5);
  // binWidth: edges 0, 25, 50.
  EXPECT_EQ(levels_of({3, 3, 3}, BinSpec::bin_width(25), gray_levels), (std::vector<std::int32_t>{1, 1, 1}));
  EXPECT_EQ(gray_levels, 1);
}

TEST(BinningCpu, OnlyMaskedPixelsSetTheEdgesAndGetALevel) {
  // Masked {10, 30}: edges 10, 20, 30, 40 (width 10); the unmasked -100 stays 0.
  std::int32_t gray_levels = 0;
  EXPECT_EQ(levels_of({-100, 10, 30}, BinSpec::bin_width(10), gray_levels, {0, 1, 1}),
            (std::vector<std::int32_t>{0, 1, 3}));
  EXPECT_EQ(gray_levels, 3);
}

TEST(BinningCpu, EmptyMaskAndNonFiniteValuesGiveLevelZero) {
  std::int32_t gray_levels = -1;
  EXPECT_EQ(levels_of({1, 2}, BinSpec::bin_width(1), gray_levels, {0, 0}), (std::vector<std::int32_t>{0, 0}));
  EXPECT_EQ(gray_levels, 0);
  EXPECT_EQ(levels_of({1, std::numeric_limits<float>::quiet_NaN()}, BinSpec::bin_width(1), gray_levels),
            (std::vector<std::int32_t>{0, 0}));
  EXPECT_EQ(gray_levels, 0);
}

TEST(BinningCpu, RejectsUnusableSpecs) {
  std::int32_t gray_levels = 0;
  EXPECT_THROW(levels_of({1}, BinSpec::bin_width(0), gray_levels), Error);
  EXPECT_THROW(levels_of({1}, BinSpec::bin_width(std::nan("")), gray_levels), Error);
  EXPECT_THROW(levels_of({1}, BinSpec::bin_count(0), gray_levels), Error);
}

TEST(BinningCuda, EqualsTheCpuTwinOnRandomAndSmoothMapsOfOddSizes) {
  SALIENT_SKIP_WITHOUT_CUDA();
#ifdef SALIENT_WITH_CUDA
  const std::int64_t n = 13, h = 37, w = 53;
  for (const bool smooth : {false, true}) {
    for (const BinSpec spec : {BinSpec::bin_width(0.1), BinSpec::bin_count(32)}) {
      const auto maps = testing::random_maps(n, h, w, smooth, 11);
      auto masks = testing::random_masks(maps.size(), 0.7, 12);
      std::fill(masks.begin(), masks.begin() + h * w, 0);  // map 0: empty mask
      std::vector<std::int32_t> expected(maps.size()), expected_gray(n);
      cpu_impl::discretize_maps({maps.data(), masks.data(), n, h, w}, spec, expected.data(), expected_gray.data());
      testing::DeviceBuffer<float> device_maps(maps);
      testing::DeviceBuffer<std::uint8_t> device_masks(masks);
      testing::DeviceBuffer<std::int32_t> levels(maps.size()), gray(n);
      levels.poison();
      gray.poison();
      discretize_maps({device_maps.get(), device_masks.get(), n, h, w}, spec, levels.get(), gray.get(),
                      {Backend::cuda, nullptr});
      EXPECT_EQ(levels.to_host(), expected);
      EXPECT_EQ(gray.to_host(), expected_gray);
    }
  }
#endif
}

}  // namespace
}  // namespace salient::kernels
