#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "kernels/reference_data.h"
#include "salient/kernels/ranking.h"
#include "support/cuda_test_support.h"

namespace salient::kernels {
namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN();

std::vector<double> ranks_of(const std::vector<float>& scores, Direction direction,
                             const std::vector<std::uint8_t>& labeled = {}, RankSummary* summary = nullptr) {
  std::vector<double> ranks(scores.size());
  const RankSummary s = rank_scores(
      scores.data(), direction, {static_cast<std::int64_t>(scores.size()), labeled.empty() ? nullptr : labeled.data()},
      ranks.data(), {});
  if (summary) *summary = s;
  return ranks;
}

void expect_same_ranks(const std::vector<double>& actual, const std::vector<double>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (std::isnan(expected[i])) {
      EXPECT_TRUE(std::isnan(actual[i])) << "position " << i;
    } else {
      EXPECT_EQ(actual[i], expected[i]) << "position " << i;
    }
  }
}

TEST(RankingCpu, TiesShareTheirAverageRankAndNaNComesLast) {
  RankSummary summary;
  expect_same_ranks(ranks_of({3, 1, 3, kNaN, 2, -0.0f, 0.0f}, Direction::descending, {}, &summary),
                    {1.5, 4.0, 1.5, 7.0, 3.0, 5.5, 5.5});
  EXPECT_EQ(summary.ranked, 7);
  EXPECT_EQ(summary.nan_count, 1);
  expect_same_ranks(ranks_of({3, 1, 3, kNaN, 2, kNaN}, Direction::ascending), {3.5, 1.0, 3.5, 5.5, 2.0, 5.5});
  const float inf = std::numeric_limits<float>::infinity();
  expect_same_ranks(ranks_of({-inf, 0, inf, kNaN}, Direction::descending), {3.0, 2.0, 1.0, 4.0});
}

TEST(RankingCpu, LabeledCandidatesAreNeitherRankedNorCounted) {
  RankSummary summary;
  const auto ranks = ranks_of({5, 4, 3, kNaN, kNaN}, Direction::descending, {1, 0, 0, 1, 0}, &summary);
  expect_same_ranks(ranks, {std::nan(""), 1.0, 2.0, std::nan(""), 3.0});
  EXPECT_EQ(summary.ranked, 3);
  EXPECT_EQ(summary.nan_count, 1);
}

// scipy.stats.rankdata("average") on 2000 scores with many ties, 5 % NaN, −0 and +0,
// 10 % labeled (reference_prediction_criteria.py): ranks must be equal, not close.
TEST(RankingCpu, MatchesScipyRankdata) {
  const auto& data = testing::ReferenceData::get();
  const auto scores = data.floats("rank.scores");
  const auto& labeled_values = data["rank.labeled"];
  const std::vector<std::uint8_t> labeled(labeled_values.begin(), labeled_values.end());
  RankSummary summary;
  expect_same_ranks(ranks_of(scores, Direction::descending, labeled, &summary), data["rank.descending"]);
  expect_same_ranks(ranks_of(scores, Direction::ascending, labeled), data["rank.ascending"]);
  std::int64_t unlabeled = 0, nan = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    unlabeled += !labeled[i];
    nan += !labeled[i] && std::isnan(scores[i]);
  }
  EXPECT_EQ(summary.ranked, unlabeled);
  EXPECT_EQ(summary.nan_count, nan);
}

TEST(RankingCpu, BordaSumsMatchScipy) {
  const auto& data = testing::ReferenceData::get();
  const auto criteria = data.floats("borda.criteria");
  const auto& labeled_values = data["rank.labeled"];
  const std::vector<std::uint8_t> labeled(labeled_values.begin(), labeled_values.end());
  const auto n = static_cast<std::int64_t>(labeled.size());
  std::vector<double> sums(n);
  const auto summaries = borda_sums({{criteria.data(), Direction::descending},
                                     {criteria.data() + n, Direction::ascending},
                                     {criteria.data() + 2 * n, Direction::descending}},
                                    {n, labeled.data()}, sums.data(), {});
  expect_same_ranks(sums, data["borda.sums"]);
  ASSERT_EQ(summaries.size(), 3u);
  EXPECT_EQ(summaries[0].nan_count, 0);
  EXPECT_GT(summaries[2].nan_count, 0);
}

TEST(RankingCpu, BordaIsInvariantToMonotoneTransformsOfACriterion) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> level(0, 40);
  const std::int64_t n = 500;
  std::vector<float> a(n), b(n);
  for (auto& v : a) v = static_cast<float>(level(rng)) / 8.0f;  // ties
  for (auto& v : b) v = static_cast<float>(level(rng)) / 4.0f;
  std::vector<float> exp_a(n), negated_b(n);
  std::transform(a.begin(), a.end(), exp_a.begin(), [](float v) { return std::exp(v); });  // increasing
  std::transform(b.begin(), b.end(), negated_b.begin(), [](float v) { return -v; });       // decreasing
  std::vector<double> original(n), transformed(n);
  borda_sums({{a.data(), Direction::descending}, {b.data(), Direction::ascending}}, {n}, original.data(), {});
  borda_sums({{exp_a.data(), Direction::descending}, {negated_b.data(), Direction::descending}}, {n},
             transformed.data(), {});
  EXPECT_EQ(original, transformed);
}

TEST(RankingCpu, TopKTakesTheBestUnlabeledWithTiesByPositionAndNaNLast) {
  const std::vector<float> scores{0.5f, 0.9f, 0.9f, kNaN, 0.1f};
  std::vector<std::int64_t> selected(5, -1);
  EXPECT_EQ(top_k(scores.data(), Direction::descending, {5}, 3, selected.data(), {}), 3);
  EXPECT_EQ(std::vector<std::int64_t>(selected.begin(), selected.begin() + 3), (std::vector<std::int64_t>{1, 2, 0}));
  EXPECT_EQ(top_k(scores.data(), Direction::ascending, {5}, 2, selected.data(), {}), 2);
  EXPECT_EQ(std::vector<std::int64_t>(selected.begin(), selected.begin() + 2), (std::vector<std::int64_t>{4, 0}));
  const std::vector<std::uint8_t> labeled{0, 1, 0, 0, 0};
  EXPECT_EQ(top_k(scores.data(), Direction::descending, {5, labeled.data()}, 10, selected.data(), {}), 4);
  EXPECT_EQ(std::vector<std::int64_t>(selected.begin(), selected.begin() + 4), (std::vector<std::int64_t>{2, 0, 4, 3}));
  EXPECT_EQ(top_k(scores.data(), Direction::descending, {5}, 0, selected.data(), {}), 0);
  EXPECT_THROW(top_k(scores.data(), Direction::descending, {5}, -1, selected.data(), {}), Error);
}

TEST(RankingCpu, TopKOfDoublesFollowsScipyRanks) {
  // The first k of a ranking are the k smallest scipy ranks, ties by position.
  const auto& data = testing::ReferenceData::get();
  const auto& sums = data["borda.sums"];  // doubles with ties and NaN (labeled)
  const auto& labeled_values = data["rank.labeled"];
  const std::vector<std::uint8_t> labeled(labeled_values.begin(), labeled_values.end());
  const auto n = static_cast<std::int64_t>(sums.size());
  std::vector<std::int64_t> order;
  for (std::int64_t i = 0; i < n; ++i) {
    if (!labeled[i]) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::int64_t a, std::int64_t b) { return sums[a] < sums[b]; });
  std::vector<std::int64_t> selected(n);
  ASSERT_EQ(top_k(sums.data(), Direction::ascending, {n, labeled.data()}, 150, selected.data(), {}), 150);
  EXPECT_EQ(std::vector<std::int64_t>(selected.begin(), selected.begin() + 150),
            std::vector<std::int64_t>(order.begin(), order.begin() + 150));
}

#ifdef SALIENT_WITH_CUDA
struct RandomPool {
  explicit RandomPool(std::int64_t size, unsigned seed) : n(size), scores(size), labeled(size) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> level(-5000, 5000);
    std::bernoulli_distribution nan(0.03), label(0.1);
    for (auto& v : scores) v = nan(rng) ? kNaN : static_cast<float>(level(rng)) / 64.0f;  // ties, ±0
    for (auto& l : labeled) l = label(rng);
  }
  std::int64_t n;
  std::vector<float> scores;
  std::vector<std::uint8_t> labeled;
};
#endif

TEST(RankingCuda, RanksAndBordaSumsEqualTheCpuTwin) {
  SALIENT_SKIP_WITHOUT_CUDA();
#ifdef SALIENT_WITH_CUDA
  for (const std::int64_t n : {1, 257, 100003}) {
    SCOPED_TRACE("n=" + std::to_string(n));
    const RandomPool pool(n, static_cast<unsigned>(n));
    testing::DeviceBuffer<float> scores(pool.scores);
    testing::DeviceBuffer<std::uint8_t> labeled(pool.labeled);
    testing::DeviceBuffer<double> ranks(n);
    for (const Direction direction : {Direction::descending, Direction::ascending}) {
      std::vector<double> expected(n);
      const auto expected_summary =
          cpu_impl::rank_scores(pool.scores.data(), direction, {n, pool.labeled.data()}, expected.data());
      ranks.poison();
      const auto summary =
          rank_scores(scores.get(), direction, {n, labeled.get()}, ranks.get(), {Backend::cuda, nullptr});
      EXPECT_EQ(summary.ranked, expected_summary.ranked);
      EXPECT_EQ(summary.nan_count, expected_summary.nan_count);
      expect_same_ranks(ranks.to_host(), expected);  // exactly
    }
    std::vector<double> expected_sums(n);
    std::vector<float> reversed(pool.scores.rbegin(), pool.scores.rend());
    testing::DeviceBuffer<float> device_reversed(reversed);
    cpu_impl::borda_sums({{pool.scores.data(), Direction::descending}, {reversed.data(), Direction::ascending}},
                         {n, pool.labeled.data()}, expected_sums.data());
    testing::DeviceBuffer<double> sums(n);
    sums.poison();
    borda_sums({{scores.get(), Direction::descending}, {device_reversed.get(), Direction::ascending}},
               {n, labeled.get()}, sums.get(), {Backend::cuda, nullptr});
    expect_same_ranks(sums.to_host(), expected_sums);
  }
#endif
}

TEST(RankingCuda, TopKAgreesWithTheCpuTwinUpToEqualScores) {
  SALIENT_SKIP_WITHOUT_CUDA();
#ifdef SALIENT_WITH_CUDA
  const std::int64_t n = 200003;
  const RandomPool pool(n, 99);
  std::vector<double> doubles(pool.scores.begin(), pool.scores.end());
  testing::DeviceBuffer<float> scores(pool.scores);
  testing::DeviceBuffer<double> device_doubles(doubles);
  testing::DeviceBuffer<std::uint8_t> labeled(pool.labeled);
  for (const std::int64_t k : {std::int64_t{1}, std::int64_t{1000}, n}) {
    for (const Direction direction : {Direction::descending, Direction::ascending}) {
      SCOPED_TRACE("k=" + std::to_string(k));
      std::vector<std::int64_t> expected(k);
      const auto expected_count =
          cpu_impl::top_k(pool.scores.data(), direction, {n, pool.labeled.data()}, k, expected.data());
      testing::DeviceBuffer<std::int64_t> selected(k);
      for (const bool of_doubles : {false, true}) {
        selected.poison();
        const auto count = of_doubles ? top_k(device_doubles.get(), direction, {n, labeled.get()}, k, selected.get(),
                                              {Backend::cuda, nullptr})
                                      : top_k(scores.get(), direction, {n, labeled.get()}, k, selected.get(),
                                              {Backend::cuda, nullptr});
        ASSERT_EQ(count, expected_count);
        const auto actual = selected.to_host();
        // faiss-style: a different index is accepted only where the scores are equal.
        for (std::int64_t i = 0; i < count; ++i) {
          if (actual[i] == expected[i]) continue;
          const float a = pool.scores[actual[i]], b = pool.scores[expected[i]];
          EXPECT_TRUE(a == b || (std::isnan(a) && std::isnan(b))) << "place " << i;
        }
      }
    }
  }
#endif
}

}  // namespace
}  // namespace salient::kernels
