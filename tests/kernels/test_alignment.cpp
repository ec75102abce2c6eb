// compute_alignment and rasterize_boxes: hand-derived Dice, AUPRC and pointing values
// (including the bilinear upsampling), undefined values with their reasons, and the CUDA twins.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "map_features_test_support.h"
#include "salient/kernels/alignment.h"
#include "support/cuda_test_support.h"

namespace salient::kernels {
namespace {

using namespace alignment;

struct Row {
  std::vector<double> values = std::vector<double>(kColumns);
  std::vector<FeatureReason> reasons = std::vector<FeatureReason>(kColumns);
};

Row align(const std::vector<float>& map, std::int64_t map_h, std::int64_t map_w, const std::vector<std::uint8_t>& roi,
          std::int64_t roi_h, std::int64_t roi_w) {
  Row row;
  compute_alignment({map.data(), roi.data(), 1, map_h, map_w, roi_h, roi_w}, {}, row.values.data(), row.reasons.data(),
                    {});
  return row;
}

TEST(AlignmentCpu, RoiOnTheSalientPixelsAlignsPerfectly) {
  // Same size, so U = map; G = {0, 1/3, 2/3, 1}; B = {2/3, 1} = R.
  const Row r = align({0, 1, 2, 3}, 2, 2, {0, 0, 1, 1}, 2, 2);
  EXPECT_DOUBLE_EQ(r.values[kHardDice], 1);
  EXPECT_DOUBLE_EQ(r.values[kSoftDice], 2 * (2.0 / 3 + 1) / (2 + 2));
  EXPECT_DOUBLE_EQ(r.values[kAuprc], 1);
  EXPECT_EQ(r.values[kPointingHit], 1);
}

TEST(AlignmentCpu, RoiOnTheLeastSalientPixelMisses) {
  // R = the 0 pixel: no overlap; its precision is 1/4 (every pixel scores >= 0).
  const Row r = align({0, 1, 2, 3}, 2, 2, {1, 0, 0, 0}, 2, 2);
  EXPECT_EQ(r.values[kHardDice], 0);
  EXPECT_EQ(r.values[kSoftDice], 0);
  EXPECT_DOUBLE_EQ(r.values[kAuprc], 0.25);
  EXPECT_EQ(r.values[kPointingHit], 0);
}

TEST(AlignmentCpu, UpsamplesBilinearlyLikePyTorch) {
  // [0, 1] to 4 columns, align_corners = False: U = 0, 0.25, 0.75, 1 (the ends clamp).
  // R = the last two: B = R; Σ G R = 1.75, Σ G = 2.
  const Row r = align({0, 1}, 1, 2, {0, 0, 1, 1}, 1, 4);
  EXPECT_DOUBLE_EQ(r.values[kHardDice], 1);
  EXPECT_DOUBLE_EQ(r.values[kSoftDice], 2 * 1.75 / (2 + 2));
  EXPECT_DOUBLE_EQ(r.values[kAuprc], 1);
}

TEST(AlignmentCpu, TiedScoresShareOnePrecision) {
  // Scores {1, 1, 0}, R = {first, last}: the tie gives precision 1/2 to the first positive,
  // and the last positive sees all 3 pixels: AP = (1/2)(1/2) + (1/2)(2/3).
  const Row r = align({1, 1, 0}, 1, 3, {1, 0, 1}, 1, 3);
  EXPECT_DOUBLE_EQ(r.values[kAuprc], 0.5 * 0.5 + 0.5 * 2.0 / 3);
  EXPECT_EQ(r.values[kPointingHit], 1);  // one of the tied maxima lies in R
}

TEST(AlignmentCpu, ConstantMapVoidsTheScaledFeaturesButNotAuprc) {
  const Row r = align({2, 2, 2, 2}, 2, 2, {1, 0, 0, 0}, 2, 2);
  for (const int c : {kHardDice, kSoftDice, kPointingHit}) {
    EXPECT_TRUE(std::isnan(r.values[c]));
    EXPECT_EQ(r.reasons[c], FeatureReason::constant_map);
  }
  EXPECT_DOUBLE_EQ(r.values[kAuprc], 0.25);
  EXPECT_EQ(r.reasons[kAuprc], FeatureReason::ok);
}

TEST(AlignmentCpu, MissingRoiAndNonFiniteMapsVoidTheRow) {
  const Row missing = align({0, 1, 2, 3}, 2, 2, {0, 0, 0, 0}, 2, 2);
  const Row not_finite = align({0, NAN, 2, 3}, 2, 2, {1, 0, 0, 0}, 2, 2);
  for (int c = 0; c < kColumns; ++c) {
    EXPECT_TRUE(std::isnan(missing.values[c]) && std::isnan(not_finite.values[c]));
    EXPECT_EQ(missing.reasons[c], FeatureReason::roi_missing);
    EXPECT_EQ(not_finite.reasons[c], FeatureReason::non_finite_value);
  }
}

TEST(AlignmentCpu, BoxesCoverThePixelsWhoseCentresTheyContain) {
  // Box x in [0.5, 2.5), y in [0, 1.2) on 3×4: centres x + 0.5 in it for x = 0, 1; y = 0.
  const std::vector<RoiBox> boxes{{1, 0.5f, 0.0f, 2.5f, 1.2f}, {1, 3.4f, 2.4f, 9.0f, 9.0f}};
  std::vector<std::uint8_t> rois(2 * 3 * 4, 7);
  rasterize_boxes(boxes.data(), 2, 2, 3, 4, rois.data(), {});
  const std::vector<std::uint8_t> expected{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   // map 0: no box
                                           1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};  // map 1
  EXPECT_EQ(rois, expected);
  const RoiBox stray{5, 0, 0, 1, 1};
  EXPECT_THROW(rasterize_boxes(&stray, 1, 2, 3, 4, rois.data(), {}), Error);
}

TEST(AlignmentCuda, MatchesTheCpuTwinOnRandomAndSmoothMapsOfOddSizes) {
  SALIENT_SKIP_WITHOUT_CUDA();
#ifdef SALIENT_WITH_CUDA
  const std::int64_t n = 15, map_h = 7, map_w = 11, roi_h = 45, roi_w = 39;
  for (const bool smooth : {false, true}) {
    const auto maps = testing::random_maps(n, map_h, map_w, smooth, 41);
    std::vector<RoiBox> boxes;
    for (std::int64_t i = 1; i < n; ++i) {  // map 0: no box, so roi_missing
      boxes.push_back({i, static_cast<float>(i), 2.5f, static_cast<float>(i + 17), 30.0f});
    }
    std::vector<std::uint8_t> rois(n * roi_h * roi_w);
    rasterize_boxes(boxes.data(), static_cast<std::int64_t>(boxes.size()), n, roi_h, roi_w, rois.data(), {});
    std::vector<double> expected(n * kColumns);
    std::vector<FeatureReason> expected_reasons(n * kColumns);
    const AlignmentBatch host{maps.data(), rois.data(), n, map_h, map_w, roi_h, roi_w};
    cpu_impl::compute_alignment(host, {}, expected.data(), expected_reasons.data());

    testing::DeviceBuffer<float> device_maps(maps);
    testing::DeviceBuffer<std::uint8_t> device_rois(rois.size());
    device_rois.poison();
    rasterize_boxes(boxes.data(), static_cast<std::int64_t>(boxes.size()), n, roi_h, roi_w, device_rois.get(),
                    {Backend::cuda, nullptr});
    EXPECT_EQ(device_rois.to_host(), rois);
    testing::DeviceBuffer<double> features(n * kColumns);
    testing::DeviceBuffer<FeatureReason> reasons(n * kColumns);
    features.poison();
    reasons.poison();
    compute_alignment({device_maps.get(), device_rois.get(), n, map_h, map_w, roi_h, roi_w}, {}, features.get(),
                      reasons.get(), {Backend::cuda, nullptr});
    const auto actual = features.to_host();
    const auto actual_reasons = reasons.to_host();
    for (std::int64_t k = 0; k < n * kColumns; ++k) {
      SCOPED_TRACE(std::string(kAlignmentFeatures[k % kColumns].name) + " of map " + std::to_string(k / kColumns));
      EXPECT_EQ(actual_reasons[k], expected_reasons[k]);
      if (std::isnan(expected[k])) {
        EXPECT_TRUE(std::isnan(actual[k]));
      } else {
        EXPECT_TRUE(testing::near_relative(actual[k], expected[k], testing::kTwinRelativeTolerance))
            << actual[k] << " vs " << expected[k];
      }
    }
  }
#endif
}

}  // namespace
}  // namespace salient::kernels
