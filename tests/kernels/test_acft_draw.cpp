#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "salient/kernels/acft_draw.h"
#include "support/cuda_test_support.h"

namespace salient::kernels {
namespace {

std::vector<std::int64_t> draw(const std::vector<float>& scores, const AcftDrawConfig& config,
                               const std::vector<std::uint8_t>& labeled = {},
                               const std::vector<std::int64_t>& global_index = {}) {
  std::vector<std::int64_t> selected(config.batch_size, -1);
  const PoolView pool{static_cast<std::int64_t>(scores.size()), labeled.empty() ? nullptr : labeled.data(),
                      global_index.empty() ? nullptr : global_index.data()};
  selected.resize(acft_randomized_draw(scores.data(), pool, config, selected.data(), {}));
  return selected;
}

TEST(AcftDrawCpu, OmegaOneDrawsTheTopBInOrderWhateverTheSeed) {
  // ω·b = b kept: the b-th gets weight 0 (eq. 4), so with b = 2 the top one is drawn
  // first and the second (weight 0) fills the batch.
  const std::vector<float> scores{0.2f, 0.9f, 0.4f, 0.7f, 0.1f};
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    EXPECT_EQ(draw(scores, {2, 1, seed, 0}), (std::vector<std::int64_t>{1, 3})) << "seed " << seed;
  }
}

TEST(AcftDrawCpu, TheSameSeedAndRoundGiveTheSameDrawAndOthersDiffer) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> score(0.0f, 1.0f);
  std::vector<float> scores(5000);
  for (auto& s : scores) s = score(rng);
  const auto first = draw(scores, {50, 5, 123, 4});
  EXPECT_EQ(first.size(), 50u);
  EXPECT_EQ(std::set<std::int64_t>(first.begin(), first.end()).size(), 50u);  // without replacement
  EXPECT_EQ(draw(scores, {50, 5, 123, 4}), first);
  EXPECT_NE(draw(scores, {50, 5, 124, 4}), first);
  EXPECT_NE(draw(scores, {50, 5, 123, 5}), first);
}

TEST(AcftDrawCpu, DependsOnGlobalIndicesNotOnHowThePoolIsLaidOut) {
  // The same candidates given whole with a labeled mask, or compacted with their global
  // indices (as after another split over ranks), select the same images.
  std::mt19937 rng(2);
  std::uniform_real_distribution<float> score(0.0f, 10.0f);
  std::bernoulli_distribution label(0.3);
  const std::int64_t n = 3000;
  std::vector<float> scores(n), compact_scores;
  std::vector<std::uint8_t> labeled(n);
  std::vector<std::int64_t> compact_index;
  for (std::int64_t i = 0; i < n; ++i) {
    scores[i] = score(rng);
    labeled[i] = label(rng);
    if (!labeled[i]) {
      compact_scores.push_back(scores[i]);
      compact_index.push_back(i);
    }
  }
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const auto whole = draw(scores, {40, 5, seed, 7}, labeled);
    auto compact = draw(compact_scores, {40, 5, seed, 7}, {}, compact_index);
    for (auto& position : compact) position = compact_index[position];
    EXPECT_EQ(whole, compact) << "seed " << seed;
    for (const auto image : whole) EXPECT_FALSE(labeled[image]);
  }
}

TEST(AcftDrawCpu, MarginalFrequenciesOverManySeedsMatchSuccessiveWeightedDraws) {
  // Scores 10, 7, 4, 1 are the top ω·b = 4 (ω = 2, b = 2) of eight candidates; eq. 4
  // gives weights w = (1, 2/3, 1/3, 0). Successive weighted draws without replacement
  // select i with P(i ∈ S) = w_i/W + Σ_{j≠i} (w_j/W)·w_i/(W − w_j), W = Σ w.
  const std::vector<float> scores{4, 0.5f, 10, -2, 1, 7, 0, -1};
  const std::vector<int> kept{2, 5, 0, 4};
  const double w[4] = {1.0, 2.0 / 3.0, 1.0 / 3.0, 0.0};
  const double total = 2.0;
  double first_probability[4], inclusion[4];
  for (int i = 0; i < 4; ++i) {
    first_probability[i] = w[i] / total;
    inclusion[i] = w[i] / total;
    for (int j = 0; j < 4; ++j) {
      if (j != i) inclusion[i] += w[j] / total * w[i] / (total - w[j]);
    }
  }
  const int trials = 20000;
  std::vector<int> first_count(8), included_count(8);
  for (int seed = 0; seed < trials; ++seed) {
    const auto selected = draw(scores, {2, 2, static_cast<std::uint64_t>(seed), 1});
    ASSERT_EQ(selected.size(), 2u);
    ++first_count[selected[0]];
    for (const auto s : selected) ++included_count[s];
  }
  for (int i = 0; i < 4; ++i) {
    SCOPED_TRACE("score " + std::to_string(scores[kept[i]]));
    // Binomial frequencies within 5 standard deviations.
    for (const auto& [count, p] :
         {std::pair{first_count[kept[i]], first_probability[i]}, std::pair{included_count[kept[i]], inclusion[i]}}) {
      const double sd = std::sqrt(p * (1 - p) / trials);
      EXPECT_NEAR(static_cast<double>(count) / trials, p, 5 * sd + 1e-12);
    }
  }
  EXPECT_EQ(included_count[1] + included_count[3] + included_count[6] + included_count[7], 0);  // outside ω·b
}

TEST(AcftDrawCpu, EqualScoresAreDrawnUniformly) {
  const std::vector<float> scores(6, 0.5f);
  std::vector<int> count(6);
  const int trials = 12000;
  for (int seed = 0; seed < trials; ++seed) ++count[draw(scores, {1, 6, static_cast<std::uint64_t>(seed), 0})[0]];
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(count[i] / double(trials), 1.0 / 6, 5 * std::sqrt(5.0 / 36 / trials));
}

TEST(AcftDrawCpu, NaNAndZeroWeightCandidatesComeAfterThePositiveOnesInRankingOrder) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    EXPECT_EQ(draw({nan, 4.0f, nan, 5.0f}, {3, 1, seed, 0}), (std::vector<std::int64_t>{3, 1, 0}));
  }
}

TEST(AcftDrawCpu, DrawsFewerWhenFewerAreUnlabeledAndRejectsBadInput) {
  EXPECT_EQ(draw({1, 2, 3}, {5, 5, 0, 0}, {0, 1, 0}).size(), 2u);
  EXPECT_THROW(draw({1, 2, 3}, {0, 5, 0, 0}), Error);
  EXPECT_THROW(draw({1, 2, 3}, {1, 0, 0, 0}), Error);
  EXPECT_THROW(draw({1, std::numeric_limits<float>::infinity(), 3}, {1, 5, 0, 0}), Error);
}

TEST(AcftDrawCuda, SelectsExactlyWhatTheCpuTwinSelects) {
  SALIENT_SKIP_WITHOUT_CUDA();
#ifdef SALIENT_WITH_CUDA
  std::mt19937 rng(8);
  std::uniform_int_distribution<int> level(0, 2000);
  std::bernoulli_distribution nan(0.02), label(0.2);
  const std::int64_t n = 100003;
  std::vector<float> scores(n);
  std::vector<std::uint8_t> labeled(n);
  std::vector<std::int64_t> global_index(n);
  for (std::int64_t i = 0; i < n; ++i) {
    scores[i] = nan(rng) ? std::numeric_limits<float>::quiet_NaN() : static_cast<float>(level(rng)) / 16.0f;
    labeled[i] = label(rng);
    global_index[i] = 5000000 + 3 * i;
  }
  testing::DeviceBuffer<float> device_scores(scores);
  testing::DeviceBuffer<std::uint8_t> device_labeled(labeled);
  testing::DeviceBuffer<std::int64_t> device_index(global_index);
  for (const AcftDrawConfig config :
       {AcftDrawConfig{16, 5, 1, 0}, AcftDrawConfig{1000, 5, 2, 3}, AcftDrawConfig{200000, 1, 3, 1}}) {
    SCOPED_TRACE("b=" + std::to_string(config.batch_size));
    const auto expected = draw(scores, config, labeled, global_index);
    testing::DeviceBuffer<std::int64_t> selected(config.batch_size);
    selected.poison();
    const auto count = acft_randomized_draw(device_scores.get(), {n, device_labeled.get(), device_index.get()}, config,
                                            selected.get(), {Backend::cuda, nullptr});
    ASSERT_EQ(count, static_cast<std::int64_t>(expected.size()));
    auto actual = selected.to_host();
    actual.resize(count);
    EXPECT_EQ(actual, expected);
  }
#endif
}

}  // namespace
}  // namespace salient::kernels
