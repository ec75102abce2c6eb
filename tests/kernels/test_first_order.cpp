// compute_first_order: every feature by hand on tiny maps, the intensity shift, undefined
// values with their reasons, invariance to the order of the pixels, and the CUDA twin.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "map_features_test_support.h"
#include "salient/kernels/first_order.h"
#include "support/cuda_test_support.h"

namespace salient::kernels {
namespace {

using namespace first_order;

struct Row {
  std::vector<double> values = std::vector<double>(kColumns);
  std::vector<FeatureReason> reasons = std::vector<FeatureReason>(kColumns);
};

Row first_order_of(const std::vector<float>& map, const FirstOrderParams& params,
                   const std::vector<std::uint8_t>& mask = {}) {
  Row row;
  compute_first_order({map.data(), mask.empty() ? nullptr : mask.data(), 1, 1, static_cast<std::int64_t>(map.size())},
                      params, row.values.data(), row.reasons.data(), {});
  return row;
}

TEST(FirstOrderCpu, EveryFeatureMatchesHandValuesOnOneTwoThreeFour) {
  // X = {1, 2, 3, 4}: mean 2.5, d = ±0.5, ±1.5, m2 = 1.25, m3 = 0, m4 = 2.5625.
  // binWidth 1: edges 1..5, one value per bin, p = 1/4 each.
  const Row r = first_order_of({4, 1, 3, 2}, {BinSpec::bin_width(1), 0.0});
  for (const auto reason : r.reasons) EXPECT_EQ(reason, FeatureReason::ok);
  const double eps = 1e-12;
  EXPECT_NEAR(r.values[kEnergy], 30, eps);
  EXPECT_NEAR(r.values[kTotalEnergy], 30, eps);
  EXPECT_NEAR(r.values[kEntropy], -4 * 0.25 * std::log2(0.25 + 2.220446049250313e-16), eps);
  EXPECT_NEAR(r.values[kMinimum], 1, eps);
  EXPECT_NEAR(r.values[k10Percentile], 1.3, eps);  // index 0.3
  EXPECT_NEAR(r.values[k90Percentile], 3.7, eps);  // index 2.7
  EXPECT_NEAR(r.values[kMaximum], 4, eps);
  EXPECT_NEAR(r.values[kMean], 2.5, eps);
  EXPECT_NEAR(r.values[kMedian], 2.5, eps);
  EXPECT_NEAR(r.values[kInterquartileRange], 3.25 - 1.75, eps);
  EXPECT_NEAR(r.values[kRange], 3, eps);
  EXPECT_NEAR(r.values[kMeanAbsoluteDeviation], 1, eps);
  EXPECT_NEAR(r.values[kRobustMeanAbsoluteDeviation], 0.5, eps);  // {2, 3} lie in [1.3, 3.7]
  EXPECT_NEAR(r.values[kRootMeanSquared], std::sqrt(7.5), eps);
  EXPECT_NEAR(r.values[kStandardDeviation], std::sqrt(1.25), eps);
  EXPECT_NEAR(r.values[kSkewness], 0, eps);
  EXPECT_NEAR(r.values[kKurtosis], 2.5625 / 1.5625, eps);
  EXPECT_NEAR(r.values[kVariance], 1.25, eps);
  EXPECT_NEAR(r.values[kUniformity], 0.25, eps);
  EXPECT_NEAR(r.values[kIdealKurtosis], 2.5625 / 1.5625, eps);
}

TEST(FirstOrderCpu, BinCountAndShiftChangeOnlyTheirFeatures) {
  // binCount 2: edges 1, 2.5, 5 -> two bins of two values. Shift c = 1: Σ (x + 1)² = 54.
  const Row r = first_order_of({1, 2, 3, 4}, {BinSpec::bin_count(2), 1.0});
  EXPECT_NEAR(r.values[kEntropy], -2 * 0.5 * std::log2(0.5 + 2.220446049250313e-16), 1e-12);
  EXPECT_NEAR(r.values[kUniformity], 0.5, 1e-12);
  EXPECT_NEAR(r.values[kEnergy], 54, 1e-12);
  EXPECT_NEAR(r.values[kRootMeanSquared], std::sqrt(54.0 / 4), 1e-12);
  EXPECT_NEAR(r.values[kVariance], 1.25, 1e-12);
}

TEST(FirstOrderCpu, SkewedValuesGiveTheMomentRatios) {
  // X = {0, 0, 0, 4}: mean 1, d = -1, -1, -1, 3; m2 = 3, m3 = 6, m4 = 21.
  const Row r = first_order_of({0, 0, 0, 4}, {});
  EXPECT_NEAR(r.values[kSkewness], 6 / std::pow(3.0, 1.5), 1e-12);
  EXPECT_NEAR(r.values[kKurtosis], 21.0 / 9, 1e-12);
  EXPECT_NEAR(r.values[kMedian], 0, 1e-12);
  EXPECT_NEAR(r.values[kMeanAbsoluteDeviation], 1.5, 1e-12);
}

TEST(FirstOrderCpu, ConstantMaskedValuesVoidOnlyTheMomentRatios) {
  const Row r = first_order_of({9, 5, 5, -1, 5}, {}, {0, 1, 1, 0, 1});
  for (const int c : {kSkewness, kKurtosis, kIdealKurtosis}) {
    EXPECT_TRUE(std::isnan(r.values[c]));
    EXPECT_EQ(r.reasons[c], FeatureReason::constant_map);
  }
  EXPECT_EQ(r.reasons[kVariance], FeatureReason::ok);
  EXPECT_EQ(r.values[kVariance], 0);
  EXPECT_EQ(r.values[kMean], 5);
  EXPECT_NEAR(r.values[kEntropy], 0, 1e-15);  // one bin: -log2(1 + ε)
  EXPECT_EQ(r.values[kUniformity], 1);
}

TEST(FirstOrderCpu, EmptyMaskAndNonFiniteValuesVoidTheRow) {
  const Row empty = first_order_of({1, 2}, {}, {0, 0});
  const Row infinite = first_order_of({1, std::numeric_limits<float>::infinity()}, {});
  for (int c = 0; c < kColumns; ++c) {
    EXPECT_TRUE(std::isnan(empty.values[c]));
    EXPECT_EQ(empty.reasons[c], FeatureReason::empty_mask);
    EXPECT_TRUE(std::isnan(infinite.values[c]));
    EXPECT_EQ(infinite.reasons[c], FeatureReason::non_finite_value);
  }
}

TEST(FirstOrderCpu, TwoDistinctValuesLeaveNoRobustSubset) {
  // X = {1, 2}: P10 = 1.1, P90 = 1.9, so no value lies in [P10, P90] (PyRadiomics: NaN).
  const Row r = first_order_of({1, 2}, {BinSpec::bin_width(1), 0.0});
  EXPECT_TRUE(std::isnan(r.values[kRobustMeanAbsoluteDeviation]));
  EXPECT_EQ(r.reasons[kRobustMeanAbsoluteDeviation], FeatureReason::empty_mask);
  EXPECT_EQ(r.reasons[kMeanAbsoluteDeviation], FeatureReason::ok);
  EXPECT_NEAR(r.values[kMeanAbsoluteDeviation], 0.5, 1e-12);
}

TEST(FirstOrderCpu, MoreBinsThanValuesCountOnlyTheBinsPresent) {
  // binWidth 1 over [0, 10^6] and over [0, 10^7] (beyond the tabulated edges): two bins of one
  // value each, p = 1/2, and one of 500 equal values with a single outlier.
  const double half_entropy = -2 * 0.5 * std::log2(0.5 + 2.220446049250313e-16);
  for (const float top : {1e6f, 1e7f}) {
    const Row r = first_order_of({0, top}, {BinSpec::bin_width(1), 0.0});
    EXPECT_NEAR(r.values[kEntropy], half_entropy, 1e-12) << top;
    EXPECT_NEAR(r.values[kUniformity], 0.5, 1e-12) << top;
  }
  std::vector<float> crowd(500, 2.0f);
  crowd.push_back(1e7f);
  const Row r = first_order_of(crowd, {BinSpec::bin_width(1), 0.0});
  const double p = 500.0 / 501, q = 1.0 / 501;
  EXPECT_NEAR(r.values[kUniformity], p * p + q * q, 1e-12);
  EXPECT_EQ(r.values[kMedian], 2);
  EXPECT_EQ(r.values[k90Percentile], 2);
}

TEST(FirstOrderCpu, Float64MapsKeepTheirPrecision) {
  // X = 1 + k·u, k = 0..4, u = 2^-40: one float32 value, but exact in double. Deviations
  // -2u..2u: m2 = 2u², m4 = 6.8u⁴, Kurtosis 6.8 / 4.
  const double u = std::ldexp(1.0, -40);
  std::vector<double> map;
  for (int k = 0; k < 5; ++k) map.push_back(1.0 + k * u);
  Row r;
  compute_first_order(DoubleMapBatch{map.data(), nullptr, 1, 1, 5}, {BinSpec::bin_width(1), 0.0}, r.values.data(),
                      r.reasons.data(), {});
  EXPECT_EQ(r.values[kRange], 4 * u);
  EXPECT_EQ(r.values[kMedian], 1 + 2 * u);
  EXPECT_NEAR(r.values[kVariance], 2 * u * u, 1e-12 * u * u);
  EXPECT_NEAR(r.values[kKurtosis], 6.8 / 4.0, 1e-9);
  EXPECT_EQ(r.reasons[kKurtosis], FeatureReason::ok);
}

TEST(FirstOrderCpu, Float64MapsHaveNoCudaTwin) {
  const std::vector<double> map{1, 2, 3};
  Row r;
  EXPECT_THROW(compute_first_order(DoubleMapBatch{map.data(), nullptr, 1, 1, 3}, {}, r.values.data(),
                                   r.reasons.data(), {Backend::cuda, nullptr}),
               Error);
}

TEST(FirstOrderCpu, PermutingThePixelsChangesNoFeature) {
  auto map = testing::random_maps(1, 17, 23, false, 5);
  const Row before = first_order_of(map, {BinSpec::bin_width(0.25), 0.0});
  std::shuffle(map.begin(), map.end(), std::mt19937(6));
  const Row after = first_order_of(map, {BinSpec::bin_width(0.25), 0.0});
  for (int c = 0; c < kColumns; ++c) {
    EXPECT_TRUE(testing::near_relative(after.values[c], before.values[c], 1e-12)) << kFirstOrderFeatures[c].name;
  }
}

TEST(FirstOrderCuda, MatchesTheCpuTwinOnRandomAndSmoothMapsOfOddSizes) {
  SALIENT_SKIP_WITHOUT_CUDA();
#ifdef SALIENT_WITH_CUDA
  const std::int64_t n = 19, h = 41, w = 67;
  for (const bool smooth : {false, true}) {
    const auto maps = testing::random_maps(n, h, w, smooth, 21);
    auto masks = testing::random_masks(maps.size(), 0.8, 22);
    std::fill(masks.begin(), masks.begin() + h * w, 0);  // map 0: empty mask
    const FirstOrderParams params{BinSpec::bin_width(0.05), 0.5};
    std::vector<double> expected(n * kColumns);
    std::vector<FeatureReason> expected_reasons(n * kColumns);
    cpu_impl::compute_first_order({maps.data(), masks.data(), n, h, w}, params, expected.data(),
                                  expected_reasons.data());
    testing::expect_cuda_twin_equals_cpu(
        maps, masks, n, h, w, kFirstOrderFeatures.data(), kColumns, expected, expected_reasons,
        [&](const MapBatch& batch, double* values, FeatureReason* reasons) {
          compute_first_order(batch, params, values, reasons, {Backend::cuda, nullptr});
        });
  }
#endif
}

}  // namespace
}  // namespace salient::kernels
