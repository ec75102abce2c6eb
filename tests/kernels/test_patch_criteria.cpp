#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/reference_data.h"
#include "salient/kernels/patch_criteria.h"
#include "support/cuda_test_support.h"

namespace salient::kernels {
namespace {

std::vector<PatchCriteria> run_cpu(const std::vector<float>& probabilities, std::int64_t n, std::int64_t patches,
                                   std::int64_t classes, const PatchCriteriaConfig& config) {
  std::vector<PatchCriteria> out(n);
  patch_criteria({probabilities.data(), n, patches, classes}, config, out.data(), {});
  return out;
}

TEST(PatchCriteriaCpu, MajorityCountIsTheCeilingOfAlphaTimesM) {
  EXPECT_EQ(majority_patch_count(0.25, 11), 3);  // ACFT Table 1: 3 of 11 patches
  EXPECT_EQ(majority_patch_count(0.25, 8), 2);
  EXPECT_EQ(majority_patch_count(0.3, 10), 3);  // 0.3·10 = 3.0000000000000004 in binary
  EXPECT_EQ(majority_patch_count(1.0, 7), 7);
  EXPECT_EQ(majority_patch_count(0.01, 5), 1);
  EXPECT_THROW(majority_patch_count(0.0, 5), Error);
  EXPECT_THROW(majority_patch_count(1.5, 5), Error);
}

TEST(PatchCriteriaCpu, TwoOpposedPatchesMatchHandValues) {
  // P1 = [1/4, 3/4], P2 = [3/4, 1/4]: class means tie at 1/2, so ŷ = 0.
  // e = −(1/2)·2·(¼ ln ¼ + ¾ ln ¾) = 0.5623351446;  d = 2·(½ ln 3) = ln 3.
  const auto out = run_cpu({0.25f, 0.75f, 0.75f, 0.25f}, 1, 2, 2, {1.0, 2.0, 3.0});
  EXPECT_NEAR(out[0].entropy, 0.5623351446188083, 1e-7);
  EXPECT_NEAR(out[0].diversity, std::log(3.0), 1e-7);
  EXPECT_NEAR(out[0].score, 2.0 * 0.5623351446188083 + 3.0 * std::log(3.0), 1e-6);
  EXPECT_EQ(out[0].dominant_class, 0);
  EXPECT_EQ(out[0].status, ProbabilityStatus::ok);
}

TEST(PatchCriteriaCpu, MajorityKeepsThePatchesMostConfidentInTheDominantClass) {
  // Four patches of three classes; class 2 dominates (means 0.2, 0.25, 0.55). With α = 1/2
  // the two patches with the largest P(class 2) are kept: [0.1, 0.1, 0.8] and [0.2, 0.1, 0.7].
  const std::vector<float> p{0.2f, 0.1f, 0.7f, 0.4f, 0.3f, 0.3f, 0.1f, 0.1f, 0.8f, 0.1f, 0.5f, 0.4f};
  const auto out = run_cpu(p, 1, 4, 3, {0.5, 1.0, 1.0});
  const double h1 = -(0.1 * std::log(0.1) * 2 + 0.8 * std::log(0.8));
  const double h2 = -(0.2 * std::log(0.2) + 0.1 * std::log(0.1) + 0.7 * std::log(0.7));
  const double d = (0.1 - 0.2) * std::log(0.1 / 0.2) + 0.0 + (0.8 - 0.7) * std::log(0.8 / 0.7);
  EXPECT_EQ(out[0].dominant_class, 2);
  EXPECT_NEAR(out[0].entropy, (h1 + h2) / 2, 1e-6);
  EXPECT_NEAR(out[0].diversity, d, 1e-6);
}

TEST(PatchCriteriaCpu, UniformPatchesHaveTheMaximalEntropyLnC) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> logit(-3.0f, 3.0f);
  for (const int classes : {2, 5, 14}) {
    const int m = 8;
    std::vector<float> uniform(m * classes, 1.0f / static_cast<float>(classes));
    std::vector<float> random(m * classes);
    for (int j = 0; j < m; ++j) {
      double total = 0;
      for (int k = 0; k < classes; ++k) total += random[j * classes + k] = std::exp(logit(rng));
      for (int k = 0; k < classes; ++k) random[j * classes + k] = static_cast<float>(random[j * classes + k] / total);
    }
    const auto top = run_cpu(uniform, 1, m, classes, {1.0, 1.0, 1.0});
    const auto other = run_cpu(random, 1, m, classes, {1.0, 1.0, 1.0});
    EXPECT_NEAR(top[0].entropy, std::log(classes), 1e-6) << classes << " classes";
    EXPECT_LT(other[0].entropy, top[0].entropy) << classes << " classes";
  }
}

TEST(PatchCriteriaCpu, DiversityIsZeroWhenAllPatchesAgree) {
  const std::vector<float> row{0.05f, 0.6f, 0.0f, 0.35f};
  std::vector<float> p;
  for (int j = 0; j < 9; ++j) p.insert(p.end(), row.begin(), row.end());
  const auto out = run_cpu(p, 1, 9, 4, {1.0, 1.0, 1.0});
  EXPECT_EQ(out[0].diversity, 0.0f);
  EXPECT_GT(out[0].entropy, 0.0f);
}

TEST(PatchCriteriaCpu, ASigmoidOutputIsTheTwoClassesOneMinusPAndP) {
  const std::vector<float> sigmoid{0.1f, 0.7f, 0.95f, 0.3f, 0.0f, 1.0f, 0.5f};
  std::vector<float> two_class;
  for (const float p : sigmoid) two_class.insert(two_class.end(), {1.0f - p, p});
  const auto a = run_cpu(sigmoid, 1, 7, 1, {0.5, 1.0, 1.0});
  const auto b = run_cpu(two_class, 1, 7, 2, {0.5, 1.0, 1.0});
  EXPECT_EQ(a[0].dominant_class, b[0].dominant_class);
  EXPECT_NEAR(a[0].entropy, b[0].entropy, 1e-6);
  EXPECT_NEAR(a[0].diversity, b[0].diversity, 1e-5 * b[0].diversity);
}

TEST(PatchCriteriaCpu, AnInvalidProbabilityGivesNaNWithItsReason) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> p{0.5f, 0.5f, 0.2f, 0.8f,   // fine
                             0.5f, 0.5f, 1.2f, -0.2f,  // outside [0, 1]
                             0.5f, 0.5f, nan,  0.5f};  // NaN
  const auto out = run_cpu(p, 3, 2, 2, {});
  EXPECT_EQ(out[0].status, ProbabilityStatus::ok);
  for (int i : {1, 2}) {
    EXPECT_EQ(out[i].status, ProbabilityStatus::invalid_probability);
    EXPECT_TRUE(std::isnan(out[i].entropy) && std::isnan(out[i].diversity) && std::isnan(out[i].score));
    EXPECT_EQ(out[i].dominant_class, -1);
  }
}

TEST(PatchCriteriaCpu, RejectsBadShapesAndParameters) {
  PatchCriteria out;
  const float p[2] = {0.5f, 0.5f};
  EXPECT_THROW(patch_criteria({p, 1, 0, 2}, {}, &out, {}), Error);
  EXPECT_THROW(patch_criteria({p, 1, 1, 0}, {}, &out, {}), Error);
  EXPECT_THROW(patch_criteria({p, 1, 1, 2}, {0.0, 1.0, 1.0}, &out, {}), Error);
  EXPECT_THROW(patch_criteria({p, 1, 1, 2}, {0.25, std::nan(""), 1.0}, &out, {}), Error);
}

// ACFT Table 1: seven prediction patterns of 11 patches of a binary classifier. The
// table prints Σ_j H (= m'·e) and the diversity summed over ordered pairs (= 2·d, eq. 1
// summing l ≥ j counts each pair once), so both are compared after that scaling.
// The printed patch lists are garbled in places; each list below is the unique multiset
// of 11 values in {0, 0.1, …, 1} (up to mirroring p ↔ 1 − p) that reproduces all four
// printed numbers of its column (exhaustive search, docs/formulas.md):
//   A prints one 0.6 where a 0.5 is needed; F prints a third 0.0 where a 0.1 is needed;
//   G prints a third 1.0 where a 0.9 is needed (F and G are mirror images, as their
//   identical printed numbers imply). B, C, D, E are as printed.
struct Table1Pattern {
  const char* name;
  std::vector<float> p;                                       // P(class 1) of the 11 patches
  double entropy, entropy_alpha, diversity, diversity_alpha;  // as printed
};

const std::vector<Table1Pattern> kTable1 = {
    {"A", {0.4f, 0.4f, 0.4f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.6f, 0.6f}, 7.52, 2.02, 4.38, 0.00},
    {"B", {0.0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.4f, 0.6f, 0.7f, 0.8f, 1.0f, 1.0f}, 4.57, 0.83, 1237.21, 20.79},
    {"C", {0.0f, 0.0f, 0.0f, 0.1f, 0.1f, 0.9f, 0.9f, 1.0f, 1.0f, 1.0f, 1.0f}, 1.30, 0.00, 2816.66, 0.00},
    {"D", {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.1f, 0.1f, 0.1f, 0.1f}, 1.30, 0.00, 189.54, 0.00},
    {"E", {0.9f, 0.9f, 0.9f, 0.9f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f}, 1.30, 0.00, 189.54, 0.00},
    {"F", {0.0f, 0.0f, 0.1f, 0.1f, 0.1f, 0.1f, 0.2f, 0.2f, 0.3f, 0.9f, 1.0f}, 3.24, 0.33, 1076.87, 13.54},
    {"G", {0.0f, 0.1f, 0.7f, 0.8f, 0.8f, 0.9f, 0.9f, 0.9f, 0.9f, 1.0f, 1.0f}, 3.24, 0.33, 1076.87, 13.54},
};

TEST(PatchCriteriaCpu, ReproducesAcftTable1) {
  std::vector<float> sigmoid;
  for (const auto& pattern : kTable1) sigmoid.insert(sigmoid.end(), pattern.p.begin(), pattern.p.end());
  const auto n = static_cast<std::int64_t>(kTable1.size());
  const auto all = run_cpu(sigmoid, n, 11, 1, {1.0, 1.0, 1.0});
  const auto majority = run_cpu(sigmoid, n, 11, 1, {0.25, 1.0, 1.0});
  std::printf("ACFT Table 1, salient (paper): m'·e and 2·d, natural log, eps = 2.22e-16\n");
  std::printf("pattern  entropy        entropy^a    diversity            diversity^a\n");
  for (std::int64_t i = 0; i < n; ++i) {
    const auto& pattern = kTable1[i];
    SCOPED_TRACE(std::string("pattern ") + pattern.name);
    const double values[4] = {11.0 * all[i].entropy, 3.0 * majority[i].entropy, 2.0 * all[i].diversity,
                              2.0 * majority[i].diversity};
    const double printed[4] = {pattern.entropy, pattern.entropy_alpha, pattern.diversity, pattern.diversity_alpha};
    std::printf("%-7s  %5.2f (%5.2f)  %4.2f (%4.2f)  %8.2f (%8.2f)  %5.2f (%5.2f)\n", pattern.name, values[0],
                printed[0], values[1], printed[1], values[2], printed[2], values[3], printed[3]);
    for (int c = 0; c < 4; ++c) EXPECT_NEAR(values[c], printed[c], 0.005) << "column " << c;
  }
  // Pattern B's class means tie (5.5/11 each): the tie goes to class 0, whose top three
  // patches (p = 0, 0.1, 0.2) give the printed 0.83; class 1 would give 0.50.
  EXPECT_EQ(majority[1].dominant_class, 0);
}

TEST(PatchCriteriaCpu, Table1AsTwoClassRowsGivesTheSameValues) {
  std::vector<float> sigmoid, two_class;
  for (const auto& pattern : kTable1) {
    for (const float p : pattern.p) {
      sigmoid.push_back(p);
      two_class.insert(two_class.end(), {1.0f - p, p});
    }
  }
  const auto n = static_cast<std::int64_t>(kTable1.size());
  const auto a = run_cpu(sigmoid, n, 11, 1, {0.25, 1.0, 1.0});
  const auto b = run_cpu(two_class, n, 11, 2, {0.25, 1.0, 1.0});
  for (std::int64_t i = 0; i < n; ++i) {
    EXPECT_EQ(a[i].dominant_class, b[i].dominant_class) << kTable1[i].name;
    EXPECT_NEAR(a[i].entropy, b[i].entropy, 1e-6) << kTable1[i].name;
    EXPECT_NEAR(a[i].diversity, b[i].diversity, 1e-5 * (1 + b[i].diversity)) << kTable1[i].name;
  }
}

// Random softmax and sigmoid batches (some patches one-hot), against numpy
// (reference_prediction_criteria.py). Float outputs of double sums: 2e-6 relative.
class PatchCriteriaReference : public ::testing::TestWithParam<std::string> {};

TEST_P(PatchCriteriaReference, MatchesNumpy) {
  const auto& data = testing::ReferenceData::get();
  const std::string name = GetParam();
  const auto& shape = data[name + ".shape"];
  const auto& config = data[name + ".config"];
  const auto n = static_cast<std::int64_t>(shape[0]);
  const auto out = run_cpu(data.floats(name + ".probabilities"), n, static_cast<std::int64_t>(shape[1]),
                           static_cast<std::int64_t>(shape[2]), {config[0], config[1], config[2]});
  for (std::int64_t i = 0; i < n; ++i) {
    SCOPED_TRACE("candidate " + std::to_string(i));
    EXPECT_EQ(out[i].dominant_class, static_cast<int>(data[name + ".dominant_class"][i]));
    for (const auto& [value, column] : {std::pair{out[i].entropy, ".entropy"},
                                        std::pair{out[i].diversity, ".diversity"}, std::pair{out[i].score, ".score"}}) {
      const double expected = data[name + column][i];
      EXPECT_NEAR(value, expected, 2e-6 * std::abs(expected) + 1e-12) << column;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(RandomBatches, PatchCriteriaReference,
                         ::testing::Values("patch_softmax", "patch_sigmoid", "patch_all_patches"));

#ifdef SALIENT_WITH_CUDA
void expect_cuda_matches_cpu(const std::vector<float>& p, std::int64_t n, std::int64_t m, std::int64_t classes,
                             const PatchCriteriaConfig& config) {
  const auto expected = run_cpu(p, n, m, classes, config);
  testing::DeviceBuffer<float> device_p(p);
  testing::DeviceBuffer<PatchCriteria> device_out(n);
  device_out.poison();
  patch_criteria({device_p.get(), n, m, classes}, config, device_out.get(), {Backend::cuda, nullptr});
  const auto actual = device_out.to_host();
  for (std::int64_t i = 0; i < n; ++i) {
    SCOPED_TRACE("candidate " + std::to_string(i));
    ASSERT_EQ(actual[i].status, expected[i].status);
    ASSERT_EQ(actual[i].dominant_class, expected[i].dominant_class);
    if (expected[i].status != ProbabilityStatus::ok) {
      EXPECT_TRUE(std::isnan(actual[i].entropy) && std::isnan(actual[i].diversity) && std::isnan(actual[i].score));
      continue;
    }
    // Same terms summed in another order: 1e-5 relative (the tests' float tolerance).
    EXPECT_NEAR(actual[i].entropy, expected[i].entropy, 1e-5 * std::abs(expected[i].entropy) + 1e-12);
    EXPECT_NEAR(actual[i].diversity, expected[i].diversity, 1e-5 * std::abs(expected[i].diversity) + 1e-12);
    EXPECT_NEAR(actual[i].score, expected[i].score, 1e-5 * std::abs(expected[i].score) + 1e-12);
  }
}
#endif

TEST(PatchCriteriaCuda, MatchesTheCpuTwinOnRandomBatches) {
  SALIENT_SKIP_WITHOUT_CUDA();
#ifdef SALIENT_WITH_CUDA
  std::mt19937 rng(20261122);
  std::normal_distribution<float> logit(0.0f, 2.5f);
  std::bernoulli_distribution one_hot(0.1);
  struct Case {
    std::int64_t n, m, classes;
    double alpha;
  };
  // Sigmoid and softmax; α = 1/4 and 1; the last case needs > 48 KiB of shared memory.
  for (const Case c : {Case{301, 11, 1, 0.25}, Case{257, 8, 2, 0.25}, Case{129, 64, 14, 0.25}, Case{97, 33, 5, 1.0},
                       Case{17, 256, 14, 1.0}}) {
    SCOPED_TRACE("n=" + std::to_string(c.n) + " m=" + std::to_string(c.m) + " C=" + std::to_string(c.classes));
    std::vector<float> p(c.n * c.m * c.classes);
    for (std::size_t row = 0; row < p.size() / c.classes; ++row) {
      float* values = p.data() + row * c.classes;
      if (c.classes == 1) {
        values[0] = one_hot(rng) ? static_cast<float>(row % 2) : 1.0f / (1.0f + std::exp(-logit(rng)));
        continue;
      }
      double total = 0;
      for (int k = 0; k < c.classes; ++k) total += values[k] = std::exp(logit(rng));
      for (int k = 0; k < c.classes; ++k) values[k] = static_cast<float>(values[k] / total);
      if (one_hot(rng)) {
        for (int k = 0; k < c.classes; ++k) values[k] = k == static_cast<int>(row % c.classes) ? 1.0f : 0.0f;
      }
    }
    p[3] = -0.5f;  // candidate 0 invalid
    expect_cuda_matches_cpu(p, c.n, c.m, c.classes, {c.alpha, 1.0, 0.25});
  }
#endif
}

}  // namespace
}  // namespace salient::kernels
