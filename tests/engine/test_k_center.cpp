// K-center greedy and the coreset strategy on points whose picks follow by hand from the
// definition (Sener & Savarese 2018, Alg. 1): each step picks the candidate whose distance
// to its nearest center is largest, and makes it a center.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "engine/selection/badge.h"
#include "engine/selection/cluster_margin.h"
#include "engine/selection/k_center.h"
#include "salient/kernels/counter_random.h"
#include "engine/selection/select.h"
#include "support/expect_error.h"

namespace salient::selection {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

KCenterPicks picks_of(const std::vector<float>& values, std::int64_t dim, const std::vector<std::uint8_t>& centers,
                      std::int64_t count) {
  const auto n = static_cast<std::int64_t>(values.size()) / dim;
  std::vector<std::uint8_t> eligible(centers.size());
  for (std::size_t i = 0; i < centers.size(); ++i) eligible[i] = centers[i] != 0 ? 0 : 1;
  return k_center_greedy({values.data(), n, dim}, centers, eligible, count);
}

TEST(KCenterGreedy, PicksTheFarthestCandidateThenCoversWhatIsLeft) {
  // Points 0 (labeled), 1, 2, 3, 10 on a line. Nearest-center distances 1, 2, 3, 10: pick 10.
  // Centers {0, 10}: 1, 2, 3 are 1, 2, 3 away: pick 3. Centers {0, 3, 10}: 1 and 2 are both
  // 1 away: the tie goes to the lower position, 1.
  const auto picks = picks_of({0, 1, 2, 3, 10}, 1, {1, 0, 0, 0, 0}, 3);
  EXPECT_EQ(picks.picked, (std::vector<std::int64_t>{4, 3, 1}));
  EXPECT_EQ(picks.distances, (std::vector<double>{10, 3, 1}));
}

TEST(KCenterGreedy, MeasuresEuclideanDistanceInEveryDimension) {
  // Centers (0, 0) and (6, 0); candidates (3, 4): 5 from both; (0, 4.5): 4.5; (6, -4.8): 4.8.
  const auto picks = picks_of({0, 0, 6, 0, 3, 4, 0, 4.5f, 6, -4.8f}, 2, {1, 1, 0, 0, 0}, 2);
  EXPECT_EQ(picks.picked, (std::vector<std::int64_t>{2, 4}));
  EXPECT_DOUBLE_EQ(picks.distances[0], 5.0);
  // After (3, 4): (6, −4.8) is 4.8 from (6, 0) and √(9 + 77.44) = 9.30 from (3, 4): 4.8; (0,
  // 4.5) is √(9 + 0.25) = 3.04 from (3, 4): 3.04. So (6, −4.8).
  EXPECT_NEAR(picks.distances[1], 4.8, 1e-6);
}

TEST(KCenterGreedy, WithoutCentersStartsFromTheMostCentralCandidate) {
  // Mean of 0, 1, 5, 6, 100 is 22.4: nearest is 6 (16.4 away), the first pick. Then 100 (94
  // from 6), then 0 (6 from 6, 100 from 100); then 1 and 5 tie at 1 from 0 and 6: 1 first.
  const auto picks = picks_of({0, 1, 5, 6, 100}, 1, {0, 0, 0, 0, 0}, 5);
  EXPECT_EQ(picks.picked, (std::vector<std::int64_t>{3, 4, 0, 1, 2}));
  EXPECT_NEAR(picks.distances[0], 16.4, 1e-12);
  EXPECT_EQ(picks.distances[1], 94.0);
  EXPECT_EQ(picks.distances[2], 6.0);
}

TEST(KCenterGreedy, RowsWithoutAFiniteEmbeddingCoverNothingAndComeLast) {
  // Row 1 is a labeled image with a NaN feature: no center. Row 3's NaN puts it last.
  const auto picks = picks_of({0, kNaN, 4, kNaN, 1}, 1, {1, 1, 0, 0, 0}, 3);
  EXPECT_EQ(picks.picked, (std::vector<std::int64_t>{2, 4, 3}));
  EXPECT_EQ(picks.distances[0], 4.0);
  EXPECT_EQ(picks.distances[1], 1.0);
  EXPECT_TRUE(std::isnan(picks.distances[2]));
}

TEST(KCenterGreedy, PicksNoMoreThanThereAreCandidates) {
  EXPECT_EQ(picks_of({0, 1, 2}, 1, {1, 0, 0}, 5).picked, (std::vector<std::int64_t>{2, 1}));
  EXPECT_TRUE(picks_of({0, 1}, 1, {1, 1}, 3).picked.empty());
}

/// Candidates a…f (global indices 10…15) stored in the scrambled row order c, a, f, b, e, d,
/// with 1-D embeddings a = 0, b = 1, c = 2, d = 3, e = 10, f = 20.
CriteriaTable embedded_table() {
  const std::vector<std::size_t> rows{2, 0, 5, 1, 4, 3};
  const std::vector<float> embedding{0, 1, 2, 3, 10, 20};
  std::vector<std::int64_t> indices;
  std::vector<std::string> ids;
  std::vector<float> values;
  for (const auto candidate : rows) {
    indices.push_back(10 + static_cast<std::int64_t>(candidate));
    ids.emplace_back(1, static_cast<char>('a' + candidate));
    values.push_back(embedding[candidate]);
  }
  CriteriaTable table(indices, ids);
  table.set_embeddings(1, values);
  return table;
}

TEST(Coreset, GrowsFromTheLabeledImagesAndLeavesHeldOutOnesAlone) {
  const auto spec = parse_strategy_spec("coreset", {{"budget", "2"}});
  // Labeled a (0); f (20) held out: neither a center nor selectable. From a: e (10) first,
  // then d (3, 3 from a and 7 from e).
  const auto held_out = select(embedded_table(), spec, {"a"}, {"f"});
  ASSERT_EQ(held_out.selected.size(), 2u);
  EXPECT_EQ(held_out.selected[0].id, "e");
  EXPECT_EQ(held_out.selected[0].score, 10.0);
  EXPECT_EQ(held_out.selected[1].id, "d");
  EXPECT_EQ(held_out.score_name, "coreset_distance");
  EXPECT_EQ(held_out.labeled, 2);
  // Were f labeled, it would be a center: e is 10 from both a and f, and still first.
  const auto labeled = select(embedded_table(), spec, {"a", "f"});
  EXPECT_EQ(labeled.selected[0].id, "e");
  EXPECT_EQ(labeled.selected[1].id, "d");  // 3 from a, 7 from e
}

TEST(Coreset, NeedsEmbeddingsAndHasNoReverseOrder) {
  CriteriaTable bare({10, 11}, {"a", "b"});
  testing::expect_error_naming([&] { select(bare, parse_strategy_spec("coreset", {{"budget", "1"}}), {}); },
                               {"coreset", "embeddings", "--embeddings"});
  testing::expect_error_naming(
      [&] { select(embedded_table(), parse_strategy_spec("coreset", {{"budget", "1"}, {"reverse", "true"}}), {}); },
      {"coreset", "--reverse"});
}

TEST(Diverse, ThinsTheInnerStrategysTopCandidatesByKCenterGreedy) {
  // Entropy a .9, b .8, c .7, d .6, e .5, f .1 over the embeddings a = 0 … f = 20.
  auto table = embedded_table();
  std::vector<float> entropy;
  const std::vector<float> by_candidate{0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.1f};
  for (const auto& id : table.ids()) entropy.push_back(by_candidate[static_cast<std::size_t>(id[0] - 'a')]);
  table.set_column("entropy", entropy);
  const auto spec = parse_strategy_spec("diverse:entropy", {{"budget", "2"}, {"m", "2"}});
  // No labels: the top 2·2 by entropy are a, b, c, d (0, 1, 2, 3). Their mean 1.5 is 0.5 from
  // b and c: b first (lower index); then d, 2 from b (a and c are 1 away).
  const auto fresh = select(table, spec, {});
  ASSERT_EQ(fresh.selected.size(), 2u);
  EXPECT_EQ(fresh.selected[0].id, "b");
  EXPECT_EQ(fresh.selected[1].id, "d");
  EXPECT_EQ(fresh.selected[1].score, 2.0);
  EXPECT_EQ(fresh.label, "diverse:entropy");
  // a labeled: the top 4 of b…f are b, c, d, e; from a (0), e (10) first, then d (3 from a).
  const auto grown = select(table, spec, {"a"});
  EXPECT_EQ(grown.selected[0].id, "e");
  EXPECT_EQ(grown.selected[1].id, "d");
  // The criteria read are the inner strategy's, reported beside each pick.
  ASSERT_EQ(grown.criteria.size(), 1u);
  EXPECT_EQ(grown.criteria[0].name, "entropy");
  EXPECT_EQ(grown.selected[0].criteria[0], 0.5f);
}

double badge_uniform(std::int64_t step) {
  return kernels::counter_uniform({3, 1, kernels::RandomStream::badge_draw}, step);
}

TEST(Badge, FirstPickHasTheLargestGradientThenDrawsByDSquared) {
  // One sigmoid, 1-D embeddings. p = 0.9, 0.5, 0.3 → ŷ = 1, 1, 0 → s = −0.1, −0.5, 0.3;
  // h = 1, 1, 2 → g = −0.1, −0.5, 0.6. ‖g‖ largest: row 2 (0.6). Then D² to it: 0.49 and
  // 1.21, Σ = 1.7: row 0 when u·1.7 < 0.49, else row 1; the last row comes third.
  const std::vector<float> h{1, 1, 2};
  const std::vector<float> p{0.9f, 0.5f, 0.3f};
  const BadgeInputs inputs{{h.data(), 3, 1}, {p.data(), 3, 1}, true, 3, 1};
  const auto picks = badge_seeding(inputs, {1, 1, 1}, 3);
  const bool first_row = badge_uniform(1) * 1.7 < 0.49;
  EXPECT_EQ(picks.picked, (std::vector<std::int64_t>{2, first_row ? 0 : 1, first_row ? 1 : 0}));
  EXPECT_NEAR(picks.distances[0], 0.6, 1e-7);
  EXPECT_NEAR(picks.distances[1], first_row ? 0.7 : 1.1, 1e-7);
}

TEST(Badge, GradientEmbeddingsAreOuterProductsOfLossGradientAndFeatures) {
  // A softmax over 3 classes and 2-D features: g = (p − onehot(argmax p)) ⊗ h, formed here
  // explicitly (6 values) and compared with what BADGE derives without forming it.
  const std::vector<float> p{0.7f, 0.2f, 0.1f, 0.1f, 0.3f, 0.6f, 0.4f, 0.35f, 0.25f, 0.2f, 0.5f, 0.3f};
  const std::vector<float> h{1, 2, -1, 0.5f, 3, 1, 0.5f, -2};
  std::vector<std::vector<double>> g(4);
  for (std::size_t i = 0; i < 4; ++i) {
    std::size_t top = 0;
    for (std::size_t k = 1; k < 3; ++k)
      if (p[i * 3 + k] > p[i * 3 + top]) top = k;
    for (std::size_t k = 0; k < 3; ++k) {
      const double s = p[i * 3 + k] - (k == top ? 1.0 : 0.0);
      for (std::size_t j = 0; j < 2; ++j) g[i].push_back(s * h[i * 2 + j]);
    }
  }
  const auto distance2 = [&](std::size_t a, std::size_t b) {
    double sum = 0;
    for (std::size_t j = 0; j < 6; ++j) sum += (g[a][j] - g[b][j]) * (g[a][j] - g[b][j]);
    return sum;
  };
  std::vector<std::int64_t> expected;
  std::vector<double> nearest(4, 1e300);
  const auto norm2 = [&](std::size_t i) { return std::inner_product(g[i].begin(), g[i].end(), g[i].begin(), 0.0); };
  std::size_t first = 0;  // the largest ‖g‖
  for (std::size_t i = 1; i < 4; ++i)
    if (norm2(i) > norm2(first)) first = i;
  expected.push_back(static_cast<std::int64_t>(first));
  std::vector<bool> open(4, true);
  open[first] = false;
  for (std::size_t i = 0; i < 4; ++i) nearest[i] = distance2(i, first);
  for (std::int64_t step = 1; step < 4; ++step) {
    double total = 0;
    for (std::size_t i = 0; i < 4; ++i) total += open[i] ? nearest[i] : 0;
    double running = 0;
    std::size_t chosen = 4;
    for (std::size_t i = 0; i < 4 && chosen == 4; ++i) {
      if (!open[i]) continue;
      running += nearest[i];
      if (running > badge_uniform(step) * total) chosen = i;
    }
    ASSERT_LT(chosen, 4u);
    expected.push_back(static_cast<std::int64_t>(chosen));
    open[chosen] = false;
    for (std::size_t i = 0; i < 4; ++i) nearest[i] = std::min(nearest[i], distance2(i, chosen));
  }
  const BadgeInputs inputs{{h.data(), 4, 2}, {p.data(), 4, 3}, false, 3, 1};
  EXPECT_EQ(badge_seeding(inputs, {1, 1, 1, 1}, 4).picked, expected);
}

TEST(Badge, NeedsProbabilitiesBesideTheEmbeddings) {
  testing::expect_error_naming([&] { select(embedded_table(), parse_strategy_spec("badge", {{"budget", "1"}}), {}); },
                               {"badge", "probabilities"});
}

TEST(ClusterMargin, AverageLinkageMergesTheClosestClustersByTheirMeanDistance) {
  // 0, 1, 10, 11, 30: (0, 1) and (10, 11) merge at 1; then the average distances are
  // {0,1}–{10,11}: (10 + 11 + 9 + 10) / 4 = 10, {10,11}–{30}: 19.5, {0,1}–{30}: 29.5.
  const std::vector<float> x{0, 1, 10, 11, 30};
  const std::vector<std::int64_t> index{0, 1, 2, 3, 4};
  EXPECT_EQ(cluster_embeddings({x.data(), 5, 1}, index, 3, 5, 0), (std::vector<std::int32_t>{0, 0, 1, 1, 2}));
  EXPECT_EQ(cluster_embeddings({x.data(), 5, 1}, index, 2, 5, 0), (std::vector<std::int32_t>{0, 0, 0, 0, 1}));
  // Numbered by their first member in ascending global index, whatever the row order.
  const std::vector<float> y{30, 11, 10, 1, 0};
  EXPECT_EQ(cluster_embeddings({y.data(), 5, 1}, {4, 3, 2, 1, 0}, 3, 5, 0), (std::vector<std::int32_t>{2, 1, 1, 0, 0}));
  // A row without a finite embedding is in no cluster.
  const std::vector<float> z{0, kNaN, 10};
  EXPECT_EQ(cluster_embeddings({z.data(), 3, 1}, {0, 1, 2}, 2, 3, 0), (std::vector<std::int32_t>{0, -1, 1}));
}

TEST(ClusterMargin, PicksRoundRobinFromTheSmallestClusterFirst) {
  // Shortlist (by margin) 5, 1, 4, 0, 2, 3 in clusters 0, 0, 1, 0, 2, 1: cluster 2 has one
  // candidate, cluster 1 two, cluster 0 three. Turn 1: 2, 4, 5; turn 2: 3, 1; turn 3: 0.
  const std::vector<std::int32_t> cluster{0, 0, 2, 1, 1, 0};
  EXPECT_EQ(round_robin_over_clusters({5, 1, 4, 0, 2, 3}, cluster, 6), (std::vector<std::int64_t>{2, 4, 5, 3, 1, 0}));
  EXPECT_EQ(round_robin_over_clusters({5, 1, 4, 0, 2, 3}, cluster, 4), (std::vector<std::int64_t>{2, 4, 5, 3}));
  // Candidates in no cluster come last in each turn.
  EXPECT_EQ(round_robin_over_clusters({0, 1, 2}, {-1, 3, 3}, 3), (std::vector<std::int64_t>{1, 0, 2}));
}

}  // namespace
}  // namespace salient::selection
