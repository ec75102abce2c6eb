// compute_glcm: the classic 4×4 example by hand, the offsets of each distance, the undefined
// values with their reasons, the symmetric eigen-solver on matrices of known spectrum, and the
// CUDA twin against the CPU twin.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "detail/symmetric_eigen.h"
#include "map_features_test_support.h"
#include "salient/kernels/glcm.h"
#include "support/cuda_test_support.h"

namespace salient::kernels {
namespace {

using namespace glcm;

struct Row {
  std::vector<double> values = std::vector<double>(kColumns);
  std::vector<FeatureReason> reasons = std::vector<FeatureReason>(kColumns);
};

Row glcm_of(const std::vector<float>& map, std::int64_t h, std::int64_t w, const GlcmParams& params,
            const std::vector<std::uint8_t>& mask = {}) {
  Row row;
  compute_glcm({map.data(), mask.empty() ? nullptr : mask.data(), 1, h, w}, params, row.values.data(),
               row.reasons.data(), {});
  return row;
}

double entropy(const std::vector<double>& p) {
  double h = 0;
  for (const double v : p) h -= v * std::log2(v);
  return h;
}

TEST(GlcmCpu, ClassicFourByFourExampleMatchesHandValues) {
  // Haralick et al. (1973), Fig. 2: rows {0,0,1,1}, {0,0,1,1}, {0,2,2,2}, {2,2,3,3}; binWidth 1
  // gives levels 1..4. The rows are laid end to end in one 1×19 map, separated by pixels
  // outside the mask, so only the 0° offset has pairs: P + Pᵀ = [[4,2,1,0],[2,4,0,0],
  // [1,0,6,1],[0,0,1,2]] over 24 pairs, p_x = (7, 6, 8, 3)/24, μ = 55/24,
  // p_{x-y} = (16, 6, 2, 0)/24, p_{x+y}(2..8) = (4, 4, 6, 0, 6, 2, 2)/24.
  const float x = 100;
  const std::vector<float> map{0, 0, 1, 1, x, 0, 0, 1, 1, x, 0, 2, 2, 2, x, 2, 2, 3, 3};
  std::vector<std::uint8_t> mask(map.size(), 1);
  for (const int gap : {4, 9, 14}) mask[gap] = 0;
  GlcmParams params;
  params.bins = BinSpec::bin_width(1);
  const Row r = glcm_of(map, 1, 19, params, mask);
  for (const auto reason : r.reasons) EXPECT_EQ(reason, FeatureReason::ok);
  const double hxy = entropy({4 / 24., 2 / 24., 1 / 24., 2 / 24., 4 / 24., 1 / 24., 6 / 24., 1 / 24., 1 / 24., 2 / 24.});
  const double hx = entropy({7 / 24., 6 / 24., 8 / 24., 3 / 24.});  // HXY1 = HXY2 = 2 HX (p_x = p_y)
  const double eps = 1e-12;
  EXPECT_NEAR(r.values[kAutocorrelation], 6, eps);
  EXPECT_NEAR(r.values[kJointAverage], 55 / 24., eps);
  EXPECT_NEAR(r.values[kClusterProminence], 163847 / 6912., eps);
  EXPECT_NEAR(r.values[kClusterShade], 1405 / 864., eps);
  EXPECT_NEAR(r.values[kClusterTendency], 515 / 144., eps);
  EXPECT_NEAR(r.values[kContrast], 7 / 12., eps);                     // 1²·6/24 + 2²·2/24
  EXPECT_NEAR(r.values[kCorrelation], (599 / 576. - 7 / 24.) / (599 / 576.), eps);  // (σ² - C/2) / σ²
  EXPECT_NEAR(r.values[kDifferenceAverage], 5 / 12., eps);
  EXPECT_NEAR(r.values[kDifferenceEntropy], entropy({16 / 24., 6 / 24., 2 / 24.}), eps);
  EXPECT_NEAR(r.values[kDifferenceVariance], 59 / 144., eps);
  EXPECT_NEAR(r.values[kJointEnergy], 7 / 48., eps);                  // (2·16 + 3·4 + 36 + 4·1) / 576
  EXPECT_NEAR(r.values[kJointEntropy], hxy, eps);
  EXPECT_NEAR(r.values[kImc1], (hxy - 2 * hx) / hx, eps);
  EXPECT_NEAR(r.values[kImc2], std::sqrt(1 - std::exp(-2 * (2 * hx - hxy))), eps);
  EXPECT_NEAR(r.values[kIdm], 97 / 120., eps);                        // 16/24 + 6/48 + 2/120
  // numpy.linalg.eigvals(Q), Q = D⁻¹ P D⁻¹ Pᵀ: eigenvalues 1, 0.74795, 0.26238, 0.07711.
  EXPECT_NEAR(r.values[kMcc], 0.8648417850586649, eps);
  EXPECT_NEAR(r.values[kIdmn], 247 / 255., eps);                      // 16/24 + (6/24)/(17/16) + (2/24)/(20/16)
  EXPECT_NEAR(r.values[kId], 59 / 72., eps);
  EXPECT_NEAR(r.values[kIdn], 83 / 90., eps);
  EXPECT_NEAR(r.values[kInverseVariance], 13 / 48., eps);             // 6/24 + (2/24)/4
  EXPECT_NEAR(r.values[kMaximumProbability], 6 / 24., eps);
  EXPECT_NEAR(r.values[kSumAverage], 55 / 12., eps);
  EXPECT_NEAR(r.values[kSumEntropy], entropy({4 / 24., 4 / 24., 6 / 24., 6 / 24., 2 / 24., 2 / 24.}), eps);
  EXPECT_NEAR(r.values[kSumSquares], 599 / 576., eps);
}

TEST(GlcmCpu, Float64MapsOfIntegerValuesGiveTheFloat32Row) {
  // Integers on binWidth 1 fall in the same bins in float32 and float64.
  const auto noise = testing::random_maps(1, 9, 11, false, 41);
  std::vector<float> map(noise.size());
  std::vector<double> wide(noise.size());
  for (std::size_t p = 0; p < noise.size(); ++p) wide[p] = map[p] = std::round(4 * noise[p]);
  GlcmParams params;
  params.bins = BinSpec::bin_width(1);
  const Row narrow = glcm_of(map, 9, 11, params);
  Row row;
  compute_glcm(DoubleMapBatch{wide.data(), nullptr, 1, 9, 11}, params, row.values.data(), row.reasons.data(), {});
  EXPECT_EQ(row.reasons, narrow.reasons);
  for (int c = 0; c < kColumns; ++c) EXPECT_DOUBLE_EQ(row.values[c], narrow.values[c]) << kGlcmFeatures[c].name;
}

TEST(GlcmCpu, OffsetsFollowPyRadiomicsGenerateAngles) {
  const auto one = glcm_offsets({1});
  ASSERT_EQ(one.size(), 4u);  // 0°, 45°, 90°, 135°
  EXPECT_EQ(glcm_offsets({2}).size(), 8u);
  EXPECT_EQ(glcm_offsets({2, 1, 2}).size(), 12u);
  for (const auto& o : glcm_offsets({1, 3})) {
    const int norm = std::max(std::abs(o.dy), std::abs(o.dx));
    EXPECT_TRUE(norm == 1 || norm == 3);
    EXPECT_TRUE(o.dy > 0 || (o.dy == 0 && o.dx > 0));
  }
  EXPECT_THROW(glcm_offsets({0}), Error);
  EXPECT_THROW(glcm_offsets({1, 2, 3, 4, 5, 6}), Error);
}

TEST(GlcmCpu, FlatMapVoidsOnlyCorrelationImc1AndMcc) {
  const Row r = glcm_of(std::vector<float>(5 * 7, 2.0f), 5, 7, {});
  for (const int c : {kCorrelation, kImc1, kMcc}) {
    EXPECT_TRUE(std::isnan(r.values[c]));
    EXPECT_EQ(r.reasons[c], FeatureReason::constant_map);
  }
  EXPECT_EQ(r.reasons[kJointEnergy], FeatureReason::ok);
  EXPECT_EQ(r.values[kJointEnergy], 1);  // p = [[1]] in every angle
  EXPECT_EQ(r.values[kJointAverage], 1);
  EXPECT_EQ(r.values[kContrast], 0);
  EXPECT_EQ(r.values[kIdm], 1);
  EXPECT_EQ(r.values[kImc2], 0);         // HXY2 = HXY
}

TEST(GlcmCpu, UnusableMapsVoidTheRowWithTheirReason) {
  const auto expect_row = [](const Row& r, FeatureReason why) {
    for (int c = 0; c < kColumns; ++c) {
      EXPECT_TRUE(std::isnan(r.values[c]));
      EXPECT_EQ(r.reasons[c], why) << kGlcmFeatures[c].name;
    }
  };
  expect_row(glcm_of({1, 2, 3}, 1, 3, {}, {0, 0, 0}), FeatureReason::empty_mask);
  expect_row(glcm_of({1, std::numeric_limits<float>::quiet_NaN(), 3}, 1, 3, {}), FeatureReason::non_finite_value);
  expect_row(glcm_of({1, 2, 3}, 1, 3, {}, {1, 0, 1}), FeatureReason::no_neighbor_pairs);
  std::vector<float> ramp(kGlcmMaxGrayLevels + 1);
  std::iota(ramp.begin(), ramp.end(), 0.0f);
  GlcmParams fine;
  fine.bins = BinSpec::bin_count(kGlcmMaxGrayLevels + 1);
  expect_row(glcm_of(ramp, 1, static_cast<std::int64_t>(ramp.size()), fine), FeatureReason::too_many_gray_levels);
}

std::vector<double> eigenvalues_of(std::vector<double> a, int n) {
  std::vector<double> diagonal(n), off(n);
  detail::householder_tridiagonalize(a.data(), n, diagonal.data(), off.data());
  EXPECT_TRUE(detail::tridiagonal_eigenvalues(diagonal.data(), off.data(), n));
  std::sort(diagonal.begin(), diagonal.end());
  return diagonal;
}

TEST(SymmetricEigen, MatricesOfKnownSpectrum) {
  // Tridiagonal Toeplitz (2, -1): λ_k = 2 - 2 cos(kπ / (n + 1)).
  const int n = 7;
  std::vector<double> toeplitz(n * n, 0.0);
  for (int i = 0; i < n; ++i) {
    toeplitz[i * n + i] = 2;
    if (i > 0) toeplitz[i * n + i - 1] = toeplitz[(i - 1) * n + i] = -1;
  }
  const auto lambda = eigenvalues_of(toeplitz, n);
  for (int k = 1; k <= n; ++k) EXPECT_NEAR(lambda[k - 1], 2 - 2 * std::cos(k * M_PI / (n + 1)), 1e-13);
  // Dense I + u uᵀ, u = (1, 2, 3, 4): eigenvalues 1, 1, 1 and 1 + |u|² = 31.
  const std::vector<double> u{1, 2, 3, 4};
  std::vector<double> rank_one(16);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) rank_one[i * 4 + j] = (i == j) + u[i] * u[j];
  const auto mu = eigenvalues_of(rank_one, 4);
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(mu[k], 1, 1e-13);
  EXPECT_NEAR(mu[3], 31, 1e-13);
  EXPECT_EQ(eigenvalues_of({5}, 1), std::vector<double>{5});
}

TEST(GlcmCuda, MatchesTheCpuTwinOnRandomSmoothAndConstantMapsOfOddSizes) {
  SALIENT_SKIP_WITHOUT_CUDA();
#ifdef SALIENT_WITH_CUDA
  const std::int64_t n = 13, h = 37, w = 53;
  for (const int bins : {32, 300}) {  // 300 levels: the global-memory counting path
    for (const int style : {0, 1, 2}) {
      SCOPED_TRACE((style == 0 ? "random" : style == 1 ? "smooth" : "constant") + std::string(" maps, binCount ") +
                   std::to_string(bins));
      auto maps = style == 2 ? std::vector<float>(n * h * w, 0.75f) : testing::random_maps(n, h, w, style == 1, 31);
      auto masks = testing::random_masks(maps.size(), 0.85, 32);
      std::fill(masks.begin(), masks.begin() + h * w, 0);  // map 0: empty mask
      GlcmParams params;
      params.bins = BinSpec::bin_count(bins);
      params.distances = {1, 2};
      const auto offsets = glcm_offsets(params.distances);
      std::vector<double> expected(n * kColumns);
      std::vector<FeatureReason> expected_reasons(n * kColumns);
      cpu_impl::compute_glcm({maps.data(), masks.data(), n, h, w}, params.bins, offsets, expected.data(),
                             expected_reasons.data());
      testing::expect_cuda_twin_equals_cpu(
          maps, masks, n, h, w, kGlcmFeatures.data(), kColumns, expected, expected_reasons,
          [&](const MapBatch& batch, double* values, FeatureReason* reasons) {
            compute_glcm(batch, params, values, reasons, {Backend::cuda, nullptr});
          });
    }
  }
#endif
}

}  // namespace
}  // namespace salient::kernels
