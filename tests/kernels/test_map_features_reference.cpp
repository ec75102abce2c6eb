// CPU twins of binning, first-order, shape2D and alignment against independent
// implementations (PyRadiomics 3.0.1, scipy, numpy, scikit-image, PyTorch), on the random
// float32 and float64 maps written by reference/map_features_reference.py.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "map_features_test_support.h"
#include "salient/kernels/alignment.h"
#include "salient/kernels/binning.h"
#include "salient/kernels/first_order.h"
#include "salient/kernels/shape2d.h"

namespace salient::kernels {
namespace {

using testing::kReferenceRelativeTolerance;
using testing::map_features_reference;
using testing::near_relative;

BinSpec bin_spec_of(const nlohmann::json& c) {
  return c["bin_kind"] == "width" ? BinSpec::bin_width(c["bin_value"].get<double>())
                                  : BinSpec::bin_count(static_cast<int>(c["bin_value"].get<double>()));
}

// The cases are written once per pixel type: float32 maps (PyRadiomics' float32 steps) and
// float64 maps (its float64 steps, which the double CPU twins reproduce).
template <typename Pixel>
void expect_binning_equals_pyradiomics(const nlohmann::json& cases) {
  for (const auto& c : cases) {
    const auto map = c["map"].get<std::vector<Pixel>>();
    const auto mask = c["mask"].get<std::vector<std::uint8_t>>();
    std::vector<std::int32_t> levels(map.size());
    std::int32_t gray_levels = -1;
    discretize_maps(BasicMapBatch<Pixel>{map.data(), mask.data(), 1, c["h"], c["w"]}, bin_spec_of(c), levels.data(),
                    &gray_levels, {});
    EXPECT_EQ(levels, c["levels"].get<std::vector<std::int32_t>>()) << c["bin_kind"] << " " << c["bin_value"];
    EXPECT_EQ(gray_levels, c["gray_levels"].get<int>());
  }
}

template <typename Pixel>
void expect_first_order_matches_pyradiomics(const nlohmann::json& cases) {
  for (const auto& c : cases) {
    const auto map = c["map"].get<std::vector<Pixel>>();
    const auto mask = c["mask"].get<std::vector<std::uint8_t>>();
    std::vector<double> row(first_order::kColumns);
    std::vector<FeatureReason> reasons(first_order::kColumns);
    compute_first_order(BasicMapBatch<Pixel>{map.data(), mask.data(), 1, c["h"], c["w"]}, {bin_spec_of(c), 0.0},
                        row.data(), reasons.data(), {});
    for (int k = 0; k < first_order::kColumns; ++k) {
      const std::string name = kFirstOrderFeatures[k].name;
      SCOPED_TRACE(name + " with " + c["bin_kind"].get<std::string>() + " " + c["bin_value"].dump());
      EXPECT_EQ(reasons[k], FeatureReason::ok);
      const double expected =
          name == "ideal_Kurtosis" ? c["scipy_kurtosis"].get<double>() : c["pyradiomics"][name].get<double>();
      EXPECT_TRUE(near_relative(row[k], expected, kReferenceRelativeTolerance)) << row[k] << " vs " << expected;
    }
    const auto& percentiles = c["numpy_percentiles"];
    EXPECT_TRUE(near_relative(row[first_order::k10Percentile], percentiles["10"], kReferenceRelativeTolerance));
    EXPECT_TRUE(near_relative(row[first_order::kMedian], percentiles["50"], kReferenceRelativeTolerance));
    EXPECT_TRUE(near_relative(row[first_order::k90Percentile], percentiles["90"], kReferenceRelativeTolerance));
  }
}

template <typename Pixel>
void expect_shape2d_matches_pyradiomics(const nlohmann::json& cases) {
  for (const auto& c : cases) {
    const auto map = c["map"].get<std::vector<Pixel>>();
    const auto mask = c["mask"].get<std::vector<std::uint8_t>>();
    std::vector<double> row(shape2d::kColumns);
    std::vector<FeatureReason> reasons(shape2d::kColumns);
    compute_shape2d(BasicMapBatch<Pixel>{map.data(), mask.data(), 1, c["h"], c["w"]},
                    Shape2DParams::at_quantile(c["quantile"]), row.data(), reasons.data(), {});
    for (int k = 0; k < shape2d::kColumns; ++k) {
      const std::string name = kShape2DFeatures[k].name;
      SCOPED_TRACE(name + " on a " + c["h"].dump() + "x" + c["w"].dump() + " map");
      const double expected = c["pyradiomics"][name];
      if (std::isnan(expected)) {  // PyRadiomics: sqrt(0/0) for a single pixel
        EXPECT_TRUE(std::isnan(row[k]));
        EXPECT_EQ(reasons[k], FeatureReason::degenerate_shape);
        continue;
      }
      EXPECT_EQ(reasons[k], FeatureReason::ok);
      EXPECT_TRUE(near_relative(row[k], expected, kReferenceRelativeTolerance)) << row[k] << " vs " << expected;
    }
    const auto& skimage = c["skimage"];
    EXPECT_EQ(row[shape2d::kPixelSurface], skimage["area"].get<double>());
    EXPECT_TRUE(near_relative(row[shape2d::kMajorAxisLength], skimage["axis_major_length"], kReferenceRelativeTolerance));
    EXPECT_TRUE(near_relative(row[shape2d::kMinorAxisLength], skimage["axis_minor_length"], kReferenceRelativeTolerance));
  }
}

TEST(MapFeaturesReference, BinningEqualsPyRadiomicsBinImageBitForBit) {
  SALIENT_REQUIRE_PYRADIOMICS(map_features_reference());
  expect_binning_equals_pyradiomics<float>(map_features_reference()["first_order"]);
}

TEST(MapFeaturesReference, BinningOfFloat64MapsEqualsPyRadiomicsBitForBit) {
  SALIENT_REQUIRE_PYRADIOMICS(map_features_reference());
  expect_binning_equals_pyradiomics<double>(map_features_reference()["first_order_float64"]);
}

TEST(MapFeaturesReference, FirstOrderMatchesPyRadiomicsScipyAndNumpy) {
  SALIENT_REQUIRE_PYRADIOMICS(map_features_reference());
  expect_first_order_matches_pyradiomics<float>(map_features_reference()["first_order"]);
}

TEST(MapFeaturesReference, FirstOrderOfFloat64MapsMatchesPyRadiomicsInDouble) {
  SALIENT_REQUIRE_PYRADIOMICS(map_features_reference());
  expect_first_order_matches_pyradiomics<double>(map_features_reference()["first_order_float64"]);
}

TEST(MapFeaturesReference, Shape2DMatchesPyRadiomicsAndScikitImage) {
  SALIENT_REQUIRE_PYRADIOMICS(map_features_reference());
  expect_shape2d_matches_pyradiomics<float>(map_features_reference()["shape2d"]);
}

TEST(MapFeaturesReference, Shape2DOfFloat64MapsMatchesPyRadiomicsAndScikitImage) {
  SALIENT_REQUIRE_PYRADIOMICS(map_features_reference());
  expect_shape2d_matches_pyradiomics<double>(map_features_reference()["shape2d_float64"]);
}

TEST(MapFeaturesReference, AlignmentMatchesTorchUpsamplingAndNumpyMetrics) {
  SALIENT_REQUIRE_REFERENCE(map_features_reference(), "sklearn_missing");
  for (const auto& c : map_features_reference()["alignment"]) {
    SCOPED_TRACE("map " + c["map_h"].dump() + "x" + c["map_w"].dump() + " to " + c["roi_h"].dump() + "x" +
                 c["roi_w"].dump());
    const auto map = c["map"].get<std::vector<float>>();
    const auto roi = c["roi"].get<std::vector<std::uint8_t>>();
    std::vector<double> row(alignment::kColumns);
    std::vector<FeatureReason> reasons(alignment::kColumns);
    compute_alignment({map.data(), roi.data(), 1, c["map_h"], c["map_w"], c["roi_h"], c["roi_w"]}, {c["tau"]},
                      row.data(), reasons.data(), {});
    EXPECT_TRUE(near_relative(row[alignment::kHardDice], c["hard_dice"], kReferenceRelativeTolerance));
    EXPECT_TRUE(near_relative(row[alignment::kSoftDice], c["soft_dice"], kReferenceRelativeTolerance));
    EXPECT_TRUE(near_relative(row[alignment::kAuprc], c["auprc"], kReferenceRelativeTolerance))
        << row[alignment::kAuprc] << " vs " << c["auprc"];
    EXPECT_EQ(row[alignment::kPointingHit], c["pointing_hit"].get<double>());
  }
}

}  // namespace
}  // namespace salient::kernels
