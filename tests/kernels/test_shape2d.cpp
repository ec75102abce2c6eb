// compute_shape2d: hand-derived shapes (a pixel, a 2×2 block, a line), thresholds, undefined
// values with their reasons, invariance to translation and 90° rotation, and the CUDA twin.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "map_features_test_support.h"
#include "salient/kernels/shape2d.h"
#include "support/cuda_test_support.h"

namespace salient::kernels {
namespace {

using namespace shape2d;

struct Row {
  std::vector<double> values = std::vector<double>(kColumns);
  std::vector<FeatureReason> reasons = std::vector<FeatureReason>(kColumns);
};

Row shape_of(const std::vector<float>& map, std::int64_t h, std::int64_t w, const Shape2DParams& params,
             const std::vector<std::uint8_t>& mask = {}) {
  Row row;
  compute_shape2d({map.data(), mask.empty() ? nullptr : mask.data(), 1, h, w}, params, row.values.data(),
                  row.reasons.data(), {});
  return row;
}

TEST(Shape2DCpu, SinglePixelIsADiamondWithNoAxes) {
  // Marching squares cuts each corner: a diamond through the 4 edge midpoints.
  const Row r = shape_of({0, 0, 0, 0, 1, 0, 0, 0, 0}, 3, 3, Shape2DParams::at_level(0.5));
  EXPECT_DOUBLE_EQ(r.values[kMeshSurface], 0.5);
  EXPECT_DOUBLE_EQ(r.values[kPixelSurface], 1);
  EXPECT_DOUBLE_EQ(r.values[kPerimeter], 4 * std::sqrt(0.5));
  EXPECT_DOUBLE_EQ(r.values[kPerimeterSurfaceRatio], 8 * std::sqrt(0.5));
  EXPECT_DOUBLE_EQ(r.values[kSphericity], 2 * std::sqrt(M_PI * 0.5) / (4 * std::sqrt(0.5)));
  EXPECT_DOUBLE_EQ(r.values[kSphericalDisproportion], 4 * std::sqrt(0.5) / (2 * std::sqrt(M_PI * 0.5)));
  EXPECT_DOUBLE_EQ(r.values[kMaximumDiameter], 1);
  EXPECT_EQ(r.values[kMajorAxisLength], 0);
  EXPECT_EQ(r.values[kMinorAxisLength], 0);
  EXPECT_TRUE(std::isnan(r.values[kElongation]));
  EXPECT_EQ(r.reasons[kElongation], FeatureReason::degenerate_shape);
  EXPECT_EQ(r.reasons[kMeshSurface], FeatureReason::ok);
}

TEST(Shape2DCpu, TwoByTwoBlockIsAnOctagon) {
  // Area 4 - 4 corners of 1/8; perimeter 4 straight + 4 diagonal lines; the farthest edge
  // midpoints are (-0.5, 0) and (1.5, 1): sqrt(5). Coordinates have variance 1/4 each way.
  const std::vector<float> map{0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0};
  const Row r = shape_of(map, 4, 4, Shape2DParams::at_level(1));
  EXPECT_DOUBLE_EQ(r.values[kMeshSurface], 3.5);
  EXPECT_DOUBLE_EQ(r.values[kPixelSurface], 4);
  EXPECT_DOUBLE_EQ(r.values[kPerimeter], 4 + 4 * std::sqrt(0.5));
  EXPECT_DOUBLE_EQ(r.values[kMaximumDiameter], std::sqrt(5.0));
  EXPECT_DOUBLE_EQ(r.values[kMajorAxisLength], 2);
  EXPECT_DOUBLE_EQ(r.values[kMinorAxisLength], 2);
  EXPECT_DOUBLE_EQ(r.values[kElongation], 1);
}

TEST(Shape2DCpu, ALineHasNoMinorAxis) {
  // Three pixels in a row: var_x = 2/3, var_y = 0.
  const Row r = shape_of({5, 5, 5, 0, 0, 0}, 2, 3, Shape2DParams::at_level(1));
  EXPECT_DOUBLE_EQ(r.values[kMajorAxisLength], 4 * std::sqrt(2.0 / 3));
  EXPECT_EQ(r.values[kMinorAxisLength], 0);
  EXPECT_EQ(r.values[kElongation], 0);
  EXPECT_DOUBLE_EQ(r.values[kMaximumDiameter], 3);  // (0, -0.5) to (0, 2.5)
}

TEST(Shape2DCpu, QuantileThresholdKeepsTheTopValues) {
  // Values 0..8 on 3×3: the 0.7 quantile is 5.6, so {6, 7, 8} (the bottom row) form the shape.
  const Row r = shape_of({0, 1, 2, 3, 4, 5, 6, 7, 8}, 3, 3, Shape2DParams::at_quantile(0.7));
  EXPECT_DOUBLE_EQ(r.values[kPixelSurface], 3);
  EXPECT_DOUBLE_EQ(r.values[kElongation], 0);
}

TEST(Shape2DCpu, EmptyShapesAndNonFiniteValuesVoidTheRow) {
  const Row above_everything = shape_of({1, 2, 3, 4}, 2, 2, Shape2DParams::at_level(10));
  const Row empty_mask = shape_of({1, 2, 3, 4}, 2, 2, {}, {0, 0, 0, 0});
  const Row not_finite = shape_of({1, 2, NAN, 4}, 2, 2, {});
  for (int c = 0; c < kColumns; ++c) {
    EXPECT_EQ(above_everything.reasons[c], FeatureReason::empty_mask);
    EXPECT_EQ(empty_mask.reasons[c], FeatureReason::empty_mask);
    EXPECT_EQ(not_finite.reasons[c], FeatureReason::non_finite_value);
    EXPECT_TRUE(std::isnan(above_everything.values[c]) && std::isnan(not_finite.values[c]));
  }
}

TEST(Shape2DCpu, TranslationAndQuarterTurnsChangeNoFeature) {
  const std::int64_t h = 29, w = 23;
  const auto map = testing::random_maps(1, h, w, true, 8);
  const Row reference = shape_of(map, h, w, {});
  std::vector<float> shifted(static_cast<std::size_t>((h + 6) * (w + 9)), -1.0f);  // below every value
  for (std::int64_t y = 0; y < h; ++y)
    for (std::int64_t x = 0; x < w; ++x) shifted[(y + 4) * (w + 9) + x + 7] = map[y * w + x];
  std::vector<std::uint8_t> shifted_mask(shifted.size(), 0);
  for (std::size_t p = 0; p < shifted.size(); ++p) shifted_mask[p] = shifted[p] > -1.0f;
  std::vector<float> rotated(map.size());
  for (std::int64_t y = 0; y < h; ++y)
    for (std::int64_t x = 0; x < w; ++x) rotated[(w - 1 - x) * h + y] = map[y * w + x];
  const Row translated = shape_of(shifted, h + 6, w + 9, {}, shifted_mask);
  const Row turned = shape_of(rotated, w, h, {});
  for (int c = 0; c < kColumns; ++c) {
    EXPECT_TRUE(testing::near_relative(translated.values[c], reference.values[c], 1e-12)) << kShape2DFeatures[c].name;
    EXPECT_TRUE(testing::near_relative(turned.values[c], reference.values[c], 1e-12)) << kShape2DFeatures[c].name;
  }
}

TEST(Shape2DCpu, Float64MapsOfFloat32ValuesGiveTheSameShape) {
  // The threshold is a double either way; the same values binarise to the same shape.
  const std::int64_t h = 37, w = 41;
  const auto map = testing::random_maps(1, h, w, true, 9);
  const auto mask = testing::random_masks(map.size(), 0.9, 10);
  const std::vector<double> wide(map.begin(), map.end());
  for (const double q : {0.0, 0.3, 0.7, 1.0}) {
    const Row narrow = shape_of(map, h, w, Shape2DParams::at_quantile(q), mask);
    Row exact;
    compute_shape2d(DoubleMapBatch{wide.data(), mask.data(), 1, h, w}, Shape2DParams::at_quantile(q),
                    exact.values.data(), exact.reasons.data(), {});
    for (int c = 0; c < kColumns; ++c) {
      EXPECT_EQ(exact.reasons[c], narrow.reasons[c]);
      if (!std::isnan(narrow.values[c])) {
        EXPECT_EQ(exact.values[c], narrow.values[c]) << kShape2DFeatures[c].name;
      }
    }
  }
  Row unused;
  EXPECT_THROW(compute_shape2d(DoubleMapBatch{wide.data(), nullptr, 1, h, w}, {}, unused.values.data(),
                               unused.reasons.data(), {Backend::cuda, nullptr}),
               Error);
}

TEST(Shape2DCuda, MatchesTheCpuTwinOnRandomAndSmoothMapsOfOddSizes) {
  SALIENT_SKIP_WITHOUT_CUDA();
#ifdef SALIENT_WITH_CUDA
  const std::int64_t n = 17, h = 43, w = 61;
  for (const bool smooth : {false, true}) {
    for (const Shape2DParams params : {Shape2DParams::at_quantile(0.7), Shape2DParams::at_level(0.8)}) {
      const auto maps = testing::random_maps(n, h, w, smooth, 31);
      auto masks = testing::random_masks(maps.size(), 0.9, 32);
      std::fill(masks.begin(), masks.begin() + h * w, 0);  // map 0: empty mask
      std::vector<double> expected(n * kColumns);
      std::vector<FeatureReason> expected_reasons(n * kColumns);
      cpu_impl::compute_shape2d({maps.data(), masks.data(), n, h, w}, params, expected.data(), expected_reasons.data());
      testing::expect_cuda_twin_equals_cpu(
          maps, masks, n, h, w, kShape2DFeatures.data(), kColumns, expected, expected_reasons,
          [&](const MapBatch& batch, double* values, FeatureReason* reasons) {
            compute_shape2d(batch, params, values, reasons, {Backend::cuda, nullptr});
          });
    }
  }
#endif
}

}  // namespace
}  // namespace salient::kernels
