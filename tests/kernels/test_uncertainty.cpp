#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/reference_data.h"
#include "salient/kernels/uncertainty.h"
#include "support/cuda_test_support.h"

namespace salient::kernels {
namespace {

std::vector<UncertaintyCriteria> run_cpu(const std::vector<float>& p, const std::vector<float>& variance,
                                         std::int64_t n, std::int64_t samples, std::int64_t classes) {
  std::vector<UncertaintyCriteria> out(n);
  uncertainty_criteria({p.data(), variance.empty() ? nullptr : variance.data(), n, samples, classes}, out.data(), {});
  return out;
}

// Two samples [0.2, 0.8] and [0.6, 0.4]: p̄ = [0.4, 0.6].
//   H(p̄) = −(0.4 ln 0.4 + 0.6 ln 0.6) = 0.6730116670;  margin 0.2;  least confidence 0.4
//   variance: class 0 (0.04 + 0.36)/2 − 0.16 = 0.04, class 1 (0.64 + 0.16)/2 − 0.36 = 0.04
//   BALD = H(p̄) − [H(0.2) + H(0.4)]/2 = 0.6730116670 − (0.5004024235 + 0.6730116670)/2
constexpr double kEntropy = 0.6730116670092565;
constexpr double kBald = kEntropy - (0.5004024235381879 + 0.6730116670092565) / 2;

void expect_hand_values(const UncertaintyCriteria& out, double variance) {
  EXPECT_EQ(out.status, ProbabilityStatus::ok);
  EXPECT_NEAR(out.entropy, kEntropy, 1e-7);
  EXPECT_NEAR(out.margin, 0.2, 1e-7);
  EXPECT_NEAR(out.least_confidence, 0.4, 1e-7);
  EXPECT_NEAR(out.mc_variance, variance, 1e-7);
  EXPECT_NEAR(out.bald, kBald, 1e-7);
}

TEST(UncertaintyCpu, TwoSamplesOfTwoClassesMatchHandValues) {
  expect_hand_values(run_cpu({0.2f, 0.8f, 0.6f, 0.4f}, {}, 1, 2, 2)[0], 0.04);
}

TEST(UncertaintyCpu, ASigmoidOutputGivesIdealEquation3) {
  // p = 0.8, 0.4 are the same two samples; Var = (0.64 + 0.16)/2 − 0.6² = 0.04 (IDEAL eq. 3).
  expect_hand_values(run_cpu({0.8f, 0.4f}, {}, 1, 2, 1)[0], 0.04);
  // With predicted variances σ² = 0.01, 0.03 the term (1/T) Σ σ² = 0.02 is added.
  expect_hand_values(run_cpu({0.8f, 0.4f}, {0.01f, 0.03f}, 1, 2, 1)[0], 0.06);
}

TEST(UncertaintyCpu, PredictedVariancesAreAveragedOverSamplesAndClasses) {
  // σ² = [[0.01, 0.03], [0.05, 0.01]]: mean 0.025 added to 0.04.
  expect_hand_values(run_cpu({0.2f, 0.8f, 0.6f, 0.4f}, {0.01f, 0.03f, 0.05f, 0.01f}, 1, 2, 2)[0], 0.065);
}

TEST(UncertaintyCpu, UniformPredictionsAreMaximallyUncertainAndIdenticalSamplesCarryNoBald) {
  for (const int classes : {2, 3, 14}) {
    const std::vector<float> uniform(5 * classes, 1.0f / static_cast<float>(classes));
    const auto out = run_cpu(uniform, {}, 1, 5, classes)[0];
    EXPECT_NEAR(out.entropy, std::log(classes), 1e-6) << classes;
    EXPECT_NEAR(out.margin, 0.0, 1e-7) << classes;
    EXPECT_NEAR(out.least_confidence, 1.0 - 1.0 / classes, 1e-7) << classes;
    EXPECT_NEAR(out.mc_variance, 0.0, 1e-12) << classes;
    EXPECT_NEAR(out.bald, 0.0, 1e-12) << classes;
  }
}

TEST(UncertaintyCpu, ConfidentAndDisagreeingSamplesHaveTheLargestBald) {
  // Each sample is certain but they disagree: H(p_t) = 0, H(p̄) = ln 2, BALD = ln 2.
  const auto out = run_cpu({1.0f, 0.0f, 0.0f, 1.0f}, {}, 1, 2, 2)[0];
  EXPECT_NEAR(out.bald, std::log(2.0), 1e-7);
  EXPECT_NEAR(out.mc_variance, 0.25, 1e-7);
}

TEST(UncertaintyCpu, InvalidInputsGiveNaNWithTheirReason) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const auto out = run_cpu({0.5f, 0.5f, 0.5f, nan, 0.5f, 0.5f}, {0.1f, 0.1f, 0.1f, 0.1f, -0.1f, 0.0f}, 3, 1, 2);
  EXPECT_EQ(out[0].status, ProbabilityStatus::ok);
  EXPECT_EQ(out[1].status, ProbabilityStatus::invalid_probability);
  EXPECT_EQ(out[2].status, ProbabilityStatus::invalid_variance);
  for (int i : {1, 2}) {
    EXPECT_TRUE(std::isnan(out[i].entropy) && std::isnan(out[i].margin) && std::isnan(out[i].least_confidence) &&
                std::isnan(out[i].mc_variance) && std::isnan(out[i].bald));
  }
}

TEST(UncertaintyCpu, RejectsBadShapes) {
  UncertaintyCriteria out;
  const float p[2] = {0.5f, 0.5f};
  EXPECT_THROW(uncertainty_criteria({p, nullptr, 1, 0, 2}, &out, {}), Error);
  EXPECT_THROW(uncertainty_criteria({p, nullptr, 1, 1, 0}, &out, {}), Error);
}

// Random softmax (14 classes) and sigmoid batches against numpy. BALD and the variance are
// differences of O(1) sums, so their tolerance has an absolute floor.
class UncertaintyReference : public ::testing::TestWithParam<std::string> {};

TEST_P(UncertaintyReference, MatchesNumpy) {
  const auto& data = testing::ReferenceData::get();
  const std::string name = GetParam();
  const auto& shape = data[name + ".shape"];
  const auto n = static_cast<std::int64_t>(shape[0]);
  std::vector<float> variance;
  if (name != "mc_softmax") variance = data.floats(name + ".predicted_variance");
  const auto out = run_cpu(data.floats(name + ".probabilities"), variance, n, static_cast<std::int64_t>(shape[1]),
                           static_cast<std::int64_t>(shape[2]));
  for (std::int64_t i = 0; i < n; ++i) {
    SCOPED_TRACE("candidate " + std::to_string(i));
    for (const auto& [value, column] :
         {std::pair{out[i].entropy, ".entropy"}, std::pair{out[i].margin, ".margin"},
          std::pair{out[i].least_confidence, ".least_confidence"}, std::pair{out[i].mc_variance, ".mc_variance"},
          std::pair{out[i].bald, ".bald"}}) {
      const double expected = data[name + column][i];
      EXPECT_NEAR(value, expected, 2e-6 * std::abs(expected) + 1e-9) << column;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(RandomBatches, UncertaintyReference,
                         ::testing::Values("mc_softmax", "mc_sigmoid", "mc_variance_term"));

TEST(UncertaintyCuda, MatchesTheCpuTwinOnRandomBatches) {
  SALIENT_SKIP_WITHOUT_CUDA();
#ifdef SALIENT_WITH_CUDA
  std::mt19937 rng(11);
  std::normal_distribution<float> logit(0.0f, 2.0f);
  std::uniform_real_distribution<float> sigma2(0.0f, 0.05f);
  struct Case {
    std::int64_t n, samples, classes;
    bool variance;
  };
  // Classes and samples above the warp width exercise the lanes' strides.
  for (const Case c :
       {Case{1001, 20, 1, true}, Case{513, 20, 14, false}, Case{67, 45, 40, true}, Case{5, 1, 2, false}}) {
    SCOPED_TRACE("n=" + std::to_string(c.n) + " T=" + std::to_string(c.samples) + " C=" + std::to_string(c.classes));
    std::vector<float> p(c.n * c.samples * c.classes);
    for (std::size_t row = 0; row < p.size() / c.classes; ++row) {
      float* values = p.data() + row * c.classes;
      if (c.classes == 1) {
        values[0] = 1.0f / (1.0f + std::exp(-logit(rng)));
        continue;
      }
      double total = 0;
      for (int k = 0; k < c.classes; ++k) total += values[k] = std::exp(logit(rng));
      for (int k = 0; k < c.classes; ++k) values[k] = static_cast<float>(values[k] / total);
    }
    std::vector<float> variance;
    if (c.variance) {
      variance.resize(p.size());
      for (auto& v : variance) v = sigma2(rng);
      variance.back() = -1.0f;  // last candidate: invalid variance
    }
    p[0] = 2.0f;  // candidate 0: invalid probability
    const auto expected = run_cpu(p, variance, c.n, c.samples, c.classes);

    testing::DeviceBuffer<float> device_p(p);
    testing::DeviceBuffer<float> device_variance(variance.empty() ? std::vector<float>(1) : variance);
    testing::DeviceBuffer<UncertaintyCriteria> device_out(c.n);
    device_out.poison();
    uncertainty_criteria({device_p.get(), c.variance ? device_variance.get() : nullptr, c.n, c.samples, c.classes},
                         device_out.get(), {Backend::cuda, nullptr});
    const auto actual = device_out.to_host();
    for (std::int64_t i = 0; i < c.n; ++i) {
      SCOPED_TRACE("candidate " + std::to_string(i));
      ASSERT_EQ(actual[i].status, expected[i].status);
      const float got[5] = {actual[i].entropy, actual[i].margin, actual[i].least_confidence, actual[i].mc_variance,
                            actual[i].bald};
      const float want[5] = {expected[i].entropy, expected[i].margin, expected[i].least_confidence,
                             expected[i].mc_variance, expected[i].bald};
      for (int k = 0; k < 5; ++k) {
        if (std::isnan(want[k])) {
          EXPECT_TRUE(std::isnan(got[k])) << "criterion " << k;
        } else {
          // 1e-5 relative; 1e-9 absolute for values that are differences of O(1) sums.
          EXPECT_NEAR(got[k], want[k], 1e-5 * std::abs(want[k]) + 1e-9) << "criterion " << k;
        }
      }
    }
  }
#endif
}

}  // namespace
}  // namespace salient::kernels
