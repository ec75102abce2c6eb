// GLRLM: every feature of a one-row map derived by hand, the angles PyRadiomics uses, the
// reasons of unusable maps, every feature against PyRadiomics 3.0.1 on the float32 and float64
// maps of reference/glrlm_reference.py (random, smooth, flat, one row or column high), and the
// CUDA twin against the CPU twin.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "map_features_test_support.h"
#include "salient/kernels/glrlm.h"
#include "support/cuda_test_support.h"

namespace salient::kernels {
namespace {

using namespace glrlm;
using testing::near_relative;

struct Row {
  std::vector<double> values = std::vector<double>(kColumns);
  std::vector<FeatureReason> reasons = std::vector<FeatureReason>(kColumns);
};

template <typename Pixel>
Row glrlm_of(const std::vector<Pixel>& map, const std::vector<std::uint8_t>& mask, std::int64_t h, std::int64_t w,
             const BinSpec& bins) {
  Row row;
  const BasicMapBatch<Pixel> batch{map.data(), mask.empty() ? nullptr : mask.data(), 1, h, w};
  compute_glrlm(batch, GlrlmParams{bins}, row.values.data(), row.reasons.data(), {});
  return row;
}

// One row 0.5 0.5 1.5 1.5 1.5 2.5 with binWidth 1: levels 1 1 2 2 2 3, only the 0° angle, runs
// (level, length) = (1, 2), (2, 3), (3, 1): N_r = 3 runs of N_p = 6 pixels, p_g = p_r = 1/3 each.
TEST(Glrlm, EveryFeatureOfAOneRowMapByHand) {
  const std::vector<float> map{0.5f, 0.5f, 1.5f, 1.5f, 1.5f, 2.5f};
  const Row row = glrlm_of(map, {}, 1, 6, BinSpec::bin_width(1.0));
  const double expected[kColumns] = {
      (1.0 / 4 + 1.0 / 9 + 1.0) / 3,  // SRE: Σ p_r(j)/j² / N_r
      (4.0 + 9.0 + 1.0) / 3,          // LRE
      3.0 / 3,                        // GLN: Σ p_g² / N_r
      3.0 / 9,                        // GLNN
      3.0 / 3,                        // RLN
      3.0 / 9,                        // RLNN
      3.0 / 6,                        // RP: N_r / N_p
      2.0 / 3,                        // GLV: levels 1, 2, 3 equally often, mean 2
      2.0 / 3,                        // RV: lengths 2, 3, 1 equally often, mean 2
      std::log2(3.0),                 // RE: three runs of probability 1/3
      (1.0 + 1.0 / 4 + 1.0 / 9) / 3,  // LGLRE
      (1.0 + 4.0 + 9.0) / 3,          // HGLRE
      7.0 / 54,                       // SRLGLE: (1/4 + 1/36 + 1/9) / 3
      349.0 / 108,                    // SRHGLE: (1/4 + 4/9 + 9) / 3
      229.0 / 108,                    // LRLGLE: (4 + 9/4 + 1/9) / 3
      49.0 / 3,                       // LRHGLE: (4 + 36 + 9) / 3
  };
  for (int c = 0; c < kColumns; ++c) {
    EXPECT_EQ(row.reasons[c], FeatureReason::ok) << kGlrlmFeatures[c].name;
    EXPECT_NEAR(row.values[c], expected[c], 1e-12 * std::max(1.0, std::abs(expected[c]))) << kGlrlmFeatures[c].name;
  }
}

TEST(Glrlm, AnglesAreThoseAMapCanHold) {
  EXPECT_EQ(glrlm_angles(5, 7).count, 4);
  const GlrlmAngles row = glrlm_angles(1, 7);
  ASSERT_EQ(row.count, 1);
  EXPECT_EQ(row.dy[0], 0);
  EXPECT_EQ(row.dx[0], 1);
  const GlrlmAngles column = glrlm_angles(7, 1);
  ASSERT_EQ(column.count, 1);
  EXPECT_EQ(column.dy[0], 1);
  EXPECT_EQ(column.dx[0], 0);
  EXPECT_EQ(glrlm_angles(1, 1).count, 0);
}

TEST(Glrlm, UnusableMapsGetARowOfNaNWithTheReason) {
  const std::vector<float> map{0.1f, 0.2f, 0.3f, 0.4f};
  const auto expect_row = [](const Row& row, FeatureReason why) {
    for (int c = 0; c < kColumns; ++c) {
      EXPECT_TRUE(std::isnan(row.values[c])) << kGlrlmFeatures[c].name;
      EXPECT_EQ(row.reasons[c], why) << kGlrlmFeatures[c].name;
    }
  };
  expect_row(glrlm_of(map, {0, 0, 0, 0}, 2, 2, BinSpec::bin_count(8)), FeatureReason::empty_mask);
  auto infinite = map;
  infinite[2] = std::numeric_limits<float>::infinity();
  expect_row(glrlm_of(infinite, {}, 2, 2, BinSpec::bin_count(8)), FeatureReason::non_finite_value);
  expect_row(glrlm_of(map, {}, 2, 2, BinSpec::bin_width(1e-6)), FeatureReason::too_many_gray_levels);
  expect_row(glrlm_of(std::vector<float>{0.5f}, {}, 1, 1, BinSpec::bin_count(8)), FeatureReason::degenerate_shape);
}

const nlohmann::json& glrlm_reference() {
  static const nlohmann::json data = [] {
    std::ifstream file(SALIENT_GLRLM_REFERENCE);
    return nlohmann::json::parse(file);
  }();
  return data;
}

TEST(GlrlmReference, EveryFeatureMatchesPyRadiomics) {
  const auto& reference = glrlm_reference();
  SALIENT_REQUIRE_PYRADIOMICS(reference);
  for (const auto& c : reference["cases"]) {
    const auto mask = c["mask"].get<std::vector<std::uint8_t>>();
    const BinSpec bins = c["bin_kind"] == "width" ? BinSpec::bin_width(c["bin_value"].get<double>())
                                                  : BinSpec::bin_count(static_cast<int>(c["bin_value"].get<double>()));
    const std::int64_t h = c["h"], w = c["w"];
    const bool wide = c["float64"];
    const Row row = wide ? glrlm_of(c["map"].get<std::vector<double>>(), mask, h, w, bins)
                         : glrlm_of(c["map"].get<std::vector<float>>(), mask, h, w, bins);
    for (int k = 0; k < kColumns; ++k) {
      const std::string name = kGlrlmFeatures[k].name;
      SCOPED_TRACE(name + " on a " + c["style"].get<std::string>() + (wide ? " float64 " : " float32 ") +
                   std::to_string(h) + "x" + std::to_string(w) + " map, " + c["bin_kind"].get<std::string>() + " " +
                   c["bin_value"].dump());
      EXPECT_EQ(row.reasons[k], FeatureReason::ok);
      const double expected = c["pyradiomics"][name];
      EXPECT_TRUE(near_relative(row.values[k], expected, testing::kReferenceRelativeTolerance))
          << row.values[k] << " vs " << expected;
    }
  }
}

TEST(GlrlmCuda, MatchesTheCpuTwinOnRandomSmoothAndConstantMapsOfOddSizes) {
  SALIENT_SKIP_WITHOUT_CUDA();
#ifdef SALIENT_WITH_CUDA
  const std::int64_t n = 13, h = 37, w = 53;
  for (const int bins : {32, 300}) {
    for (const int style : {0, 1, 2}) {
      SCOPED_TRACE((style == 0 ? "random" : style == 1 ? "smooth" : "constant") + std::string(" maps, binCount ") +
                   std::to_string(bins));
      auto maps = style == 2 ? std::vector<float>(n * h * w, 0.75f) : testing::random_maps(n, h, w, style == 1, 41);
      auto masks = testing::random_masks(maps.size(), 0.85, 42);
      std::fill(masks.begin(), masks.begin() + h * w, 0);  // map 0: empty mask
      std::vector<double> expected(n * kColumns);
      std::vector<FeatureReason> expected_reasons(n * kColumns);
      cpu_impl::compute_glrlm({maps.data(), masks.data(), n, h, w}, BinSpec::bin_count(bins), expected.data(),
                              expected_reasons.data());
      testing::expect_cuda_twin_equals_cpu(
          maps, masks, n, h, w, kGlrlmFeatures.data(), kColumns, expected, expected_reasons,
          [&](const MapBatch& batch, double* values, FeatureReason* reasons) {
            compute_glrlm(batch, GlrlmParams{BinSpec::bin_count(bins)}, values, reasons, {Backend::cuda, nullptr});
          });
    }
  }
#endif
}

}  // namespace
}  // namespace salient::kernels
