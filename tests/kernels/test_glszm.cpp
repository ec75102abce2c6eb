// GLSZM: every feature of a 3×3 map whose zones join through diagonals derived by hand, the
// reasons of unusable maps, every feature against PyRadiomics 3.0.1 on the float32 and float64
// maps of reference/texture_reference.py, and the CUDA twin against the CPU twin.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "salient/kernels/glszm.h"
#include "texture_test_support.h"

namespace salient::kernels {
namespace {

using namespace glszm;

testing::TextureRow glszm_of(const std::vector<float>& map, const std::vector<std::uint8_t>& mask, std::int64_t h,
                             std::int64_t w, const BinSpec& bins) {
  return testing::texture_row(map, mask, h, w, kColumns, [&](const MapBatch& batch, double* v, FeatureReason* r) {
    compute_glszm(batch, GlszmParams{bins}, v, r, {});
  });
}

// Levels {1,2,2}, {2,1,3}, {3,3,3} (binWidth 1): 8-connected zones (1, 2 pixels), (2, 3) and
// (3, 4), each joined through a diagonal (4-connectivity would split levels 1 and 2):
// N_z = 3 zones of N_p = 9 pixels.
TEST(Glszm, EveryFeatureOfA3x3MapByHand) {
  const std::vector<float> map{0.5f, 1.5f, 1.5f, 1.5f, 0.5f, 2.5f, 2.5f, 2.5f, 2.5f};
  const auto row = glszm_of(map, {}, 3, 3, BinSpec::bin_width(1.0));
  const double expected[kColumns] = {
      61.0 / 432,          // SAE: (1/4 + 1/9 + 1/16) / 3
      29.0 / 3,            // LAE: (4 + 9 + 16) / 3
      1.0, 1.0 / 3,        // GLN, GLNN: one zone per level
      1.0, 1.0 / 3,        // SZN, SZNN: one zone per size
      1.0 / 3,             // ZP: 3 / 9
      2.0 / 3, 2.0 / 3,    // GLV (levels 1, 2, 3), ZV (sizes 2, 3, 4)
      std::log2(3.0),      // ZE
      49.0 / 108,          // LGLZE: (1 + 1/4 + 1/9) / 3
      14.0 / 3,            // HGLZE
      41.0 / 432,          // SALGLE: (1/4 + 1/36 + 1/144) / 3
      181.0 / 432,         // SAHGLE: (1/4 + 4/9 + 9/16) / 3
      289.0 / 108,         // LALGLE: (4 + 9/4 + 16/9) / 3
      184.0 / 3,           // LAHGLE: (4 + 36 + 144) / 3
  };
  for (int c = 0; c < kColumns; ++c) {
    EXPECT_EQ(row.reasons[c], FeatureReason::ok) << kGlszmFeatures[c].name;
    EXPECT_NEAR(row.values[c], expected[c], 1e-12 * std::max(1.0, std::abs(expected[c]))) << kGlszmFeatures[c].name;
  }
}

TEST(Glszm, UnusableMapsGetARowOfNaNWithTheReason) {
  const std::vector<float> map{0.1f, 0.2f, 0.3f, 0.4f};
  const auto expect_row = [](const testing::TextureRow& row, FeatureReason why) {
    for (int c = 0; c < kColumns; ++c) {
      EXPECT_TRUE(std::isnan(row.values[c])) << kGlszmFeatures[c].name;
      EXPECT_EQ(row.reasons[c], why) << kGlszmFeatures[c].name;
    }
  };
  expect_row(glszm_of(map, {0, 0, 0, 0}, 2, 2, BinSpec::bin_count(8)), FeatureReason::empty_mask);
  auto infinite = map;
  infinite[2] = std::numeric_limits<float>::infinity();
  expect_row(glszm_of(infinite, {}, 2, 2, BinSpec::bin_count(8)), FeatureReason::non_finite_value);
  expect_row(glszm_of(map, {}, 2, 2, BinSpec::bin_width(1e-6)), FeatureReason::too_many_gray_levels);
}

TEST(GlszmReference, EveryFeatureMatchesPyRadiomics) {
  testing::expect_texture_matches_pyradiomics(
      kGlszmFeatures, [](const auto& batch, const BinSpec& bins, double* values, FeatureReason* reasons) {
        compute_glszm(batch, GlszmParams{bins}, values, reasons, {});
      });
}

TEST(GlszmCuda, MatchesTheCpuTwinOnRandomSmoothAndConstantMapsOfOddSizes) {
  SALIENT_SKIP_WITHOUT_CUDA();
#ifdef SALIENT_WITH_CUDA
  testing::expect_texture_cuda_twin_equals_cpu(
      kGlszmFeatures,
      [](const MapBatch& batch, const BinSpec& bins, double* values, FeatureReason* reasons) {
        cpu_impl::compute_glszm(batch, bins, values, reasons);
      },
      [](const MapBatch& batch, const BinSpec& bins, double* values, FeatureReason* reasons) {
        compute_glszm(batch, GlszmParams{bins}, values, reasons, {Backend::cuda, nullptr});
      });
#endif
}

}  // namespace
}  // namespace salient::kernels
