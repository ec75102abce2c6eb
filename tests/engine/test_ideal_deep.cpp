// The ideal-deep strategy (selection/ideal_deep.h) on codes whose clusters, centroids and
// distances are derived by hand below; with a forest that has learnt which cluster is the
// informative one; its refusals. Its rank-count invariance is in test_selection_across_ranks.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/selection/ideal_deep.h"
#include "engine/selection/select.h"
#include "salient/check.h"
#include "support/expect_error.h"

namespace salient::selection {
namespace {

// Two groups of 2-D codes far apart. A (global indices 0…3): (0,0), (1,0), (−1,0), (0,3),
// centroid (0, ¾); B (4…7): (100,100), (101,100), (99,100), (100,104), centroid (100, 101).
// Squared distances to the centroid: A 9/16, 25/16, 25/16, 81/16; B 1, 2, 2, 9. Any seeding
// puts A and B in the two clusters (a far point is always drawn second), so the
// representatives are 0 and 4.
const std::vector<std::vector<float>> kCodes{{0, 0},     {1, 0},     {-1, 0},   {0, 3},
                                             {100, 100}, {101, 100}, {99, 100}, {100, 104}};

CriteriaTable code_table(const std::vector<std::vector<float>>& codes = kCodes) {
  std::vector<std::int64_t> indices;
  std::vector<std::string> ids;
  std::vector<float> first, second;
  for (std::size_t i = codes.size(); i-- > 0;) {  // rows in reverse: row order must not matter
    indices.push_back(static_cast<std::int64_t>(i));
    ids.push_back("img" + std::to_string(i));
    first.push_back(codes[i][0]);
    second.push_back(codes[i][1]);
  }
  CriteriaTable table(indices, ids);
  table.set_column(deep_code_column(0), first);
  table.set_column(deep_code_column(1), second);
  return table;
}

StrategySpec deep_spec(std::int64_t budget) {
  return parse_strategy_spec(
      "ideal-deep", {{"budget", std::to_string(budget)}, {"k", "2"}, {"latent", "2"}, {"seed", "3"}, {"round", "1"}});
}

std::vector<std::int64_t> indices_of(const Selection& selection, std::size_t first, std::size_t last) {
  std::vector<std::int64_t> indices;
  for (std::size_t k = first; k < last; ++k) indices.push_back(selection.selected[k].global_index);
  return indices;
}

TEST(IdealDeep, ReadsTheCodeColumns) {
  const auto criteria = strategy_criteria(deep_spec(4));
  ASSERT_EQ(criteria.size(), 2u);
  EXPECT_EQ(criteria[0].name, "deep_code_0");
  EXPECT_EQ(criteria[1].name, "deep_code_1");
}

TEST(IdealDeep, FirstRoundQueriesTheRepresentativesThenTheClustersInTurn) {
  const auto chosen = select(code_table(), deep_spec(6), {});
  ASSERT_EQ(chosen.selected.size(), 6u);
  EXPECT_EQ(chosen.score_name, "deep_level_score");
  // The representatives, the members nearest each centroid, score −1.
  const auto representatives = indices_of(chosen, 0, 2);
  EXPECT_EQ(std::set<std::int64_t>(representatives.begin(), representatives.end()), (std::set<std::int64_t>{0, 4}));
  EXPECT_EQ(chosen.selected[0].score, -1.0);
  EXPECT_EQ(chosen.selected[1].score, -1.0);
  // Turn 1, each cluster's nearest remaining member (ties to the lower index): 1 (d² 25/16)
  // and 5 (d² 2), in the clusters' order, which is the representatives' order; turn 2: 2 and 6.
  const bool a_first = representatives[0] == 0;
  EXPECT_EQ(indices_of(chosen, 2, 4), a_first ? (std::vector<std::int64_t>{1, 5}) : (std::vector<std::int64_t>{5, 1}));
  EXPECT_EQ(indices_of(chosen, 4, 6), a_first ? (std::vector<std::int64_t>{2, 6}) : (std::vector<std::int64_t>{6, 2}));
  std::map<std::int64_t, double> score;
  for (const auto& candidate : chosen.selected) score[candidate.global_index] = candidate.score;
  EXPECT_DOUBLE_EQ(score[1], 1.0 + (25.0 / 16) / (1.0 + 25.0 / 16));
  EXPECT_DOUBLE_EQ(score[5], 1.0 + 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(score[2], 2.0 + (25.0 / 16) / (1.0 + 25.0 / 16));
  EXPECT_DOUBLE_EQ(score[6], 2.0 + 2.0 / 3.0);
}

TEST(IdealDeep, ASmallClusterLeavesItsTurnsToTheOthers) {
  // A = {0: (0,0), 1: (2,0)}, centroid (1, 0), d² 1 and 1; B = {2: (100,100), 3: (101,100),
  // 4: (99,100), 5: (100,103), 6: (100,97), 7: (103,100)}, centroid (100.5, 100), d² ¼, ¼, 9/4,
  // 37/4, 37/4, 25/4. Representatives (ties to the lower index): 0 and 2. Turn 1: 1 (A) and 3
  // (B); A has no one left, so B takes turns 2, 3 and 4 alone: 4, 7, then 5 (tied with 6).
  const std::vector<std::vector<float>> codes{{0, 0}, {2, 0}, {100, 100}, {101, 100},
                                              {99, 100}, {100, 103}, {100, 97}, {103, 100}};
  const auto chosen = select(code_table(codes), deep_spec(7), {});
  ASSERT_EQ(chosen.selected.size(), 7u);
  const auto representatives = indices_of(chosen, 0, 2);
  EXPECT_EQ(std::set<std::int64_t>(representatives.begin(), representatives.end()), (std::set<std::int64_t>{0, 2}));
  const bool a_first = representatives[0] == 0;
  EXPECT_EQ(indices_of(chosen, 2, 4), a_first ? (std::vector<std::int64_t>{1, 3}) : (std::vector<std::int64_t>{3, 1}));
  EXPECT_EQ(indices_of(chosen, 4, 7), (std::vector<std::int64_t>{4, 7, 5}));
  std::map<std::int64_t, double> score;
  for (const auto& candidate : chosen.selected) score[candidate.global_index] = candidate.score;
  EXPECT_DOUBLE_EQ(score[1], 1.0 + 1.0 / 2.0);
  EXPECT_DOUBLE_EQ(score[3], 1.0 + 0.25 / 1.25);
  EXPECT_DOUBLE_EQ(score[4], 2.0 + 2.25 / 3.25);
  EXPECT_DOUBLE_EQ(score[7], 3.0 + 6.25 / 7.25);
  EXPECT_DOUBLE_EQ(score[5], 4.0 + 9.25 / 10.25);
}

TEST(IdealDeep, LabeledImagesAreNeitherClusteredNorPicked) {
  // With 0 and 4 labeled, A's centroid is (0, 1) (d²: 1 → 2, 2 → 2, 3 → 4) and B's
  // (100, 101⅓) (d²: 5 → 1 + 16/9, 6 → 1 + 16/9, 7 → 64/9): representatives 1 and 5.
  const auto chosen = select(code_table(), deep_spec(2), {"img0", "img4"});
  const auto picked = indices_of(chosen, 0, 2);
  EXPECT_EQ(std::set<std::int64_t>(picked.begin(), picked.end()), (std::set<std::int64_t>{1, 5}));
}

TEST(IdealDeep, WithAForestTheMostInformativeLevelComesFirst) {
  // A forest that has learnt: codes near B are level 0 (the most informative), near A level 1.
  OnlineForestParams params;
  params.trees = 10;
  params.seed = 8;
  std::vector<float> x;
  std::vector<std::int32_t> y;
  std::mt19937 random(5);
  std::normal_distribution<float> noise(0.0f, 2.0f);
  for (int i = 0; i < 600; ++i) {
    const bool b = i % 2 == 0;
    x.push_back((b ? 100.0f : 0.0f) + noise(random));
    x.push_back((b ? 101.0f : 1.0f) + noise(random));
    y.push_back(b ? 0 : 1);
  }
  auto forest = std::make_shared<OnlineForest>(params, 2, std::vector<FeatureRange>{{-10, 110}, {-10, 110}});
  forest->update(x.data(), y.data(), static_cast<std::int64_t>(y.size()));
  auto table = code_table();
  table.set_forest(forest);
  const auto chosen = select(table, deep_spec(8), {});
  ASSERT_EQ(chosen.selected.size(), 8u);
  const auto after = indices_of(chosen, 2, 8);
  // B's three other members, then A's three, each group by decreasing probability of its level.
  EXPECT_EQ(std::set<std::int64_t>(after.begin(), after.begin() + 3), (std::set<std::int64_t>{5, 6, 7}));
  EXPECT_EQ(std::set<std::int64_t>(after.begin() + 3, after.end()), (std::set<std::int64_t>{1, 2, 3}));
  for (std::size_t k = 2; k < 8; ++k) {
    const auto& candidate = chosen.selected[k];
    std::vector<double> p(2);
    forest->predict(kCodes[static_cast<std::size_t>(candidate.global_index)].data(), 1, p.data());
    const int level = p[1] > p[0] ? 1 : 0;
    EXPECT_DOUBLE_EQ(candidate.score, level + (1.0 - p[static_cast<std::size_t>(level)])) << candidate.global_index;
    if (k > 2) {
      EXPECT_LE(chosen.selected[k - 1].score, candidate.score);
    }
  }
}

TEST(IdealDeep, RefusesWhatItCannotDo) {
  EXPECT_NE(testing::error_of([] { select(code_table(), deep_spec(1), {}); }).find("must cover the k = 2"),
            std::string::npos);
  auto reversed = deep_spec(4);
  reversed.reverse = true;
  EXPECT_NE(testing::error_of([&] { select(code_table(), reversed, {}); }).find("--reverse"), std::string::npos);
  EXPECT_THROW(parse_strategy_spec("diverse:ideal-deep", {{"budget", "4"}}), Error);
  EXPECT_THROW(parse_strategy_spec("ideal-deep", {{"budget", "4"}, {"map_size", "12"}}), Error);
  EXPECT_THROW(parse_strategy_spec("ideal-deep", {{"budget", "4"}, {"forest_beta", "0"}}), Error);
  // A forest over another code size is refused, not read wrong.
  OnlineForestParams params;
  auto table = code_table();
  table.set_forest(std::make_shared<OnlineForest>(params, 2, std::vector<FeatureRange>{{0, 1}, {0, 1}, {0, 1}}));
  EXPECT_NE(testing::error_of([&] { select(table, deep_spec(4), {}); }).find("latent size"), std::string::npos);
}

}  // namespace
}  // namespace salient::selection
