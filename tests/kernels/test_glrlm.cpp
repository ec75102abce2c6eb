// GLRLM: every feature of a one-row map derived by hand, the angles PyRadiomics uses, the
// reasons of unusable maps, every feature against PyRadiomics 3.0.1 on the float32 and float64
// maps of reference/glrlm_reference.py (random, smooth, flat, one row or column high), and the
// CUDA twin against the CPU twin.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "salient/kernels/glrlm.h"
#include "texture_test_support.h"

namespace salient::kernels {
namespace {

using namespace glrlm;

testing::TextureRow glrlm_of(const std::vector<float>& map, const std::vector<std::uint8_t>& mask, std::int64_t h,
                             std::int64_t w, const BinSpec& bins) {
  return testing::texture_row(map, mask, h, w, kColumns, [&](const MapBatch& batch, double* v, FeatureReason* r) {
    compute_glrlm(batch, GlrlmParams{bins}, v, r, {});
  });
}

// One row 0.5 0.5 1.5 1.5 1.5 2.5 with binWidth 1: levels 1 1 2 2 2 3, only the 0° angle, runs
// (level, length) = (1, 2), (2, 3), (3, 1): N_r = 3 runs of N_p = 6 pixels, p_g = p_r = 1/3 each.
TEST(Glrlm, EveryFeatureOfAOneRowMapByHand) {
  const std::vector<float> map{0.5f, 0.5f, 1.5f, 1.5f, 1.5f, 2.5f};
  const auto row = glrlm_of(map, {}, 1, 6, BinSpec::bin_width(1.0));
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
  const auto expect_row = [](const testing::TextureRow& row, FeatureReason why) {
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

TEST(GlrlmReference, EveryFeatureMatchesPyRadiomics) {
  testing::expect_texture_matches_pyradiomics(
      kGlrlmFeatures, [](const auto& batch, const BinSpec& bins, double* values, FeatureReason* reasons) {
        compute_glrlm(batch, GlrlmParams{bins}, values, reasons, {});
      });
}

TEST(GlrlmCuda, MatchesTheCpuTwinOnRandomSmoothAndConstantMapsOfOddSizes) {
  SALIENT_SKIP_WITHOUT_CUDA();
#ifdef SALIENT_WITH_CUDA
  testing::expect_texture_cuda_twin_equals_cpu(
      kGlrlmFeatures,
      [](const MapBatch& batch, const BinSpec& bins, double* values, FeatureReason* reasons) {
        cpu_impl::compute_glrlm(batch, bins, values, reasons);
      },
      [](const MapBatch& batch, const BinSpec& bins, double* values, FeatureReason* reasons) {
        compute_glrlm(batch, GlrlmParams{bins}, values, reasons, {Backend::cuda, nullptr});
      });
#endif
}

}  // namespace
}  // namespace salient::kernels
