// NGTDM: every feature of a one-row map derived by hand, the reasons of unusable maps and of
// PyRadiomics' arbitrary values, every feature against PyRadiomics 3.0.1 on the float32 and
// float64 maps of reference/texture_reference.py, and the CUDA twin against the CPU twin.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "salient/kernels/ngtdm.h"
#include "texture_test_support.h"

namespace salient::kernels {
namespace {

using namespace ngtdm;

testing::TextureRow ngtdm_of(const std::vector<float>& map, const std::vector<std::uint8_t>& mask, std::int64_t h,
                             std::int64_t w, const BinSpec& bins) {
  return testing::texture_row(map, mask, h, w, kColumns, [&](const MapBatch& batch, double* v, FeatureReason* r) {
    compute_ngtdm(batch, NgtdmParams{bins}, v, r, {});
  });
}

// Levels 1 2 2 (binWidth 1): Ā = 2, 1.5, 2, so n = (1, 2), s = (1, 0.5), N_vp = 3,
// p = (1/3, 2/3), N_gp = 2, Σ p_i s_i = 2/3, Σ s_i = 3/2.
TEST(Ngtdm, EveryFeatureOfAOneRowMapByHand) {
  const auto row = ngtdm_of({0.5f, 1.5f, 1.5f}, {}, 1, 3, BinSpec::bin_width(1.0));
  const double expected[kColumns] = {
      3.0 / 2,  // Coarseness: 1 / (2/3)
      1.0 / 9,  // Contrast: 2 (1/3)(2/3)(1)² · (3/2)/3 / (2·1)
      1.0 / 3,  // Busyness: (2/3) / (2 |1/3 − 4/3|)
      4.0 / 9,  // Complexity: 2 · 1 · (1/3 + 1/3)/(1/3 + 2/3) / 3
      4.0 / 3,  // Strength: 2 (1/3 + 2/3)(1)² / (3/2)
  };
  for (int c = 0; c < kColumns; ++c) {
    EXPECT_EQ(row.reasons[c], FeatureReason::ok) << kNgtdmFeatures[c].name;
    EXPECT_NEAR(row.values[c], expected[c], 1e-12 * std::max(1.0, std::abs(expected[c]))) << kNgtdmFeatures[c].name;
  }
}

TEST(Ngtdm, UnusableMapsAndArbitraryValuesAreNaNWithTheReason) {
  const std::vector<float> map{0.1f, 0.2f, 0.3f, 0.4f};
  const auto expect_row = [](const testing::TextureRow& row, FeatureReason why) {
    for (int c = 0; c < kColumns; ++c) {
      EXPECT_TRUE(std::isnan(row.values[c])) << kNgtdmFeatures[c].name;
      EXPECT_EQ(row.reasons[c], why) << kNgtdmFeatures[c].name;
    }
  };
  expect_row(ngtdm_of(map, {0, 0, 0, 0}, 2, 2, BinSpec::bin_count(8)), FeatureReason::empty_mask);
  auto infinite = map;
  infinite[2] = std::numeric_limits<float>::infinity();
  expect_row(ngtdm_of(infinite, {}, 2, 2, BinSpec::bin_count(8)), FeatureReason::non_finite_value);
  expect_row(ngtdm_of(map, {}, 2, 2, BinSpec::bin_width(1e-6)), FeatureReason::too_many_gray_levels);
  // Two masked pixels that do not touch: n = (1, 1) at levels 1 and 8, s = (0, 0). Coarseness
  // (1/0) and Strength (0/0) are undefined; Contrast, Busyness (0 / 14) and Complexity are 0.
  const auto apart = ngtdm_of({0.1f, 0.2f, 0.3f}, {1, 0, 1}, 1, 3, BinSpec::bin_count(8));
  for (const int c : {kCoarseness, kStrength}) {
    EXPECT_TRUE(std::isnan(apart.values[c])) << kNgtdmFeatures[c].name;
    EXPECT_EQ(apart.reasons[c], FeatureReason::constant_map) << kNgtdmFeatures[c].name;
  }
  for (const int c : {kContrast, kBusyness, kComplexity}) {
    EXPECT_EQ(apart.values[c], 0.0) << kNgtdmFeatures[c].name;
    EXPECT_EQ(apart.reasons[c], FeatureReason::ok) << kNgtdmFeatures[c].name;
  }
  // A flat map: Σ s_i = 0 and N_gp = 1 make all but Complexity 0/0 or 1/0.
  const auto flat = ngtdm_of(std::vector<float>(6, 0.75f), {}, 2, 3, BinSpec::bin_count(8));
  for (const int c : {kCoarseness, kContrast, kBusyness, kStrength}) {
    EXPECT_TRUE(std::isnan(flat.values[c])) << kNgtdmFeatures[c].name;
    EXPECT_EQ(flat.reasons[c], FeatureReason::constant_map) << kNgtdmFeatures[c].name;
  }
  EXPECT_EQ(flat.values[kComplexity], 0.0);
  EXPECT_EQ(flat.reasons[kComplexity], FeatureReason::ok);
}

TEST(NgtdmReference, EveryFeatureMatchesPyRadiomics) {
  testing::expect_texture_matches_pyradiomics(
      kNgtdmFeatures,
      [](const auto& batch, const BinSpec& bins, double* values, FeatureReason* reasons) {
        compute_ngtdm(batch, NgtdmParams{bins}, values, reasons, {});
      },
      // PyRadiomics' arbitrary values: Coarseness 1e6 for Σ p_i s_i = 0, Contrast, Busyness
      // and Strength 0 for their 0/0.
      std::array<double, kColumns>{1e6, 0.0, 0.0, std::numeric_limits<double>::quiet_NaN(), 0.0});
}

TEST(NgtdmCuda, MatchesTheCpuTwinOnRandomSmoothAndConstantMapsOfOddSizes) {
  SALIENT_SKIP_WITHOUT_CUDA();
#ifdef SALIENT_WITH_CUDA
  testing::expect_texture_cuda_twin_equals_cpu(
      kNgtdmFeatures,
      [](const MapBatch& batch, const BinSpec& bins, double* values, FeatureReason* reasons) {
        cpu_impl::compute_ngtdm(batch, bins, values, reasons);
      },
      [](const MapBatch& batch, const BinSpec& bins, double* values, FeatureReason* reasons) {
        compute_ngtdm(batch, NgtdmParams{bins}, values, reasons, {Backend::cuda, nullptr});
      });
#endif
}

}  // namespace
}  // namespace salient::kernels
