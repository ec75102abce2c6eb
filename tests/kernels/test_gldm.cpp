// GLDM: every feature of a 2×3 map derived by hand, the reasons of unusable maps, every feature
// against PyRadiomics 3.0.1 on the float32 and float64 maps of reference/texture_reference.py
// (random, smooth, flat, one row or column high), and the CUDA twin against the CPU twin.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "salient/kernels/gldm.h"
#include "texture_test_support.h"

namespace salient::kernels {
namespace {

using namespace gldm;

testing::TextureRow gldm_of(const std::vector<float>& map, const std::vector<std::uint8_t>& mask, std::int64_t h,
                            std::int64_t w, const BinSpec& bins) {
  return testing::texture_row(map, mask, h, w, kColumns, [&](const MapBatch& batch, double* v, FeatureReason* r) {
    compute_gldm(batch, GldmParams{bins}, v, r, {});
  });
}

// Levels {1,1,2}, {1,1,2} (binWidth 1): each level-1 pixel has 3 same-level neighbours
// (dependence 4), each level-2 pixel 1 (dependence 2): P(1,4) = 4, P(2,2) = 2, N_z = 6.
TEST(Gldm, EveryFeatureOfA2x3MapByHand) {
  const std::vector<float> map{0.5f, 0.5f, 1.5f, 0.5f, 0.5f, 1.5f};
  const auto row = gldm_of(map, {}, 2, 3, BinSpec::bin_width(1.0));
  const double expected[kColumns] = {
      (2.0 / 4 + 4.0 / 16) / 6,                // SDE: Σ p_d(j)/j² / N_z, p_d(2) = 2, p_d(4) = 4
      (2.0 * 4 + 4.0 * 16) / 6,                // LDE
      (16.0 + 4.0) / 6,                        // GLN: p_g(1) = 4, p_g(2) = 2
      (4.0 + 16.0) / 6,                        // DN
      20.0 / 36,                               // DNN
      2.0 / 9,                                 // GLV: levels 1 (2/3) and 2 (1/3), mean 4/3
      8.0 / 9,                                 // DV: dependences 4 (2/3) and 2 (1/3), mean 10/3
      std::log2(3.0) - 2.0 / 3,                // DE: p = 2/3, 1/3
      (4.0 + 2.0 / 4) / 6,                     // LGLE
      (4.0 + 2.0 * 4) / 6,                     // HGLE
      (4.0 / 16 + 2.0 / 16) / 6,               // SDLGLE: Σ P/(i² j²)
      (4.0 / 16 + 2.0 * 4 / 4) / 6,            // SDHGLE: Σ P i²/j²
      (4.0 * 16 + 2.0 * 4 / 4) / 6,            // LDLGLE: Σ P j²/i²
      (4.0 * 16 + 2.0 * 4 * 4) / 6,            // LDHGLE: Σ P i² j²
  };
  for (int c = 0; c < kColumns; ++c) {
    EXPECT_EQ(row.reasons[c], FeatureReason::ok) << kGldmFeatures[c].name;
    EXPECT_NEAR(row.values[c], expected[c], 1e-12 * std::max(1.0, std::abs(expected[c]))) << kGldmFeatures[c].name;
  }
}

TEST(Gldm, UnusableMapsGetARowOfNaNWithTheReason) {
  const std::vector<float> map{0.1f, 0.2f, 0.3f, 0.4f};
  const auto expect_row = [](const testing::TextureRow& row, FeatureReason why) {
    for (int c = 0; c < kColumns; ++c) {
      EXPECT_TRUE(std::isnan(row.values[c])) << kGldmFeatures[c].name;
      EXPECT_EQ(row.reasons[c], why) << kGldmFeatures[c].name;
    }
  };
  expect_row(gldm_of(map, {0, 0, 0, 0}, 2, 2, BinSpec::bin_count(8)), FeatureReason::empty_mask);
  auto infinite = map;
  infinite[2] = std::numeric_limits<float>::infinity();
  expect_row(gldm_of(infinite, {}, 2, 2, BinSpec::bin_count(8)), FeatureReason::non_finite_value);
  expect_row(gldm_of(map, {}, 2, 2, BinSpec::bin_width(1e-6)), FeatureReason::too_many_gray_levels);
}

TEST(GldmReference, EveryFeatureMatchesPyRadiomics) {
  testing::expect_texture_matches_pyradiomics(
      kGldmFeatures, [](const auto& batch, const BinSpec& bins, double* values, FeatureReason* reasons) {
        compute_gldm(batch, GldmParams{bins}, values, reasons, {});
      });
}

TEST(GldmCuda, MatchesTheCpuTwinOnRandomSmoothAndConstantMapsOfOddSizes) {
  SALIENT_SKIP_WITHOUT_CUDA();
#ifdef SALIENT_WITH_CUDA
  testing::expect_texture_cuda_twin_equals_cpu(
      kGldmFeatures,
      [](const MapBatch& batch, const BinSpec& bins, double* values, FeatureReason* reasons) {
        cpu_impl::compute_gldm(batch, bins, values, reasons);
      },
      [](const MapBatch& batch, const BinSpec& bins, double* values, FeatureReason* reasons) {
        compute_gldm(batch, GldmParams{bins}, values, reasons, {Backend::cuda, nullptr});
      });
#endif
}

}  // namespace
}  // namespace salient::kernels
