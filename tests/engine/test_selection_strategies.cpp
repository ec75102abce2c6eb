// Every strategy on a six-candidate pool whose answers are derived by hand in the comments.
// Candidates a, b, c, d, e, f have global indices 10…15; the table stores their rows in a
// scrambled order (c, a, f, b, e, d) so that nothing may depend on where a row sits.
// Ranks: 1 = most informative; equal values share the average of their places; NaN last.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/selection/select.h"
#include "engine/selection/strategy_spec.h"
#include "salient/check.h"
#include "support/expect_error.h"
#include "salient/kernels/counter_random.h"

namespace salient::selection {
namespace {

using kernels::Direction;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

/// Column name → values of a, b, c, d, e, f.
using Columns = std::map<std::string, std::vector<float>>;

const std::vector<std::size_t> kScrambled{2, 0, 5, 1, 4, 3};  // rows hold c, a, f, b, e, d

/// 2-D embeddings of a…f, for the strategies that measure distances (coreset).
const std::vector<std::vector<float>> kEmbeddings{{0, 0}, {1, 0}, {0, 2}, {3, 3}, {-1, 4}, {2, -2}};

/// The table of @p columns with candidate order[r] in row r, and kEmbeddings.
CriteriaTable make_table(const Columns& columns, const std::vector<std::size_t>& order = kScrambled) {
  std::vector<std::int64_t> global_indices;
  std::vector<std::string> ids;
  for (const auto candidate : order) {
    global_indices.push_back(10 + static_cast<std::int64_t>(candidate));
    ids.emplace_back(1, static_cast<char>('a' + candidate));
  }
  CriteriaTable table(global_indices, ids);
  std::vector<float> embeddings;
  for (const auto candidate : order)
    embeddings.insert(embeddings.end(), kEmbeddings[candidate].begin(), kEmbeddings[candidate].end());
  table.set_embeddings(2, embeddings);
  std::vector<float> probabilities;  // two sigmoids: (0.1 + 0.15·candidate, 0.9 − 0.1·candidate)
  for (const auto candidate : order) {
    const auto c = static_cast<float>(candidate);
    probabilities.insert(probabilities.end(), {0.1f + 0.15f * c, 0.9f - 0.1f * c});
  }
  table.set_probabilities(2, probabilities, true);
  for (const auto& [name, values] : columns) {
    std::vector<float> rows;
    for (const auto candidate : order) rows.push_back(values[candidate]);
    table.set_column(name, rows);
  }
  return table;
}

// The uncertainty columns shared by several tests.
const std::vector<float> kEntropy{0.30f, 0.60f, 0.60f, 0.10f, kNaN, 0.50f};
const std::vector<float> kMargin{0.40f, 0.05f, 0.20f, 0.05f, 0.90f, 0.30f};

std::vector<std::string> ids_of(const Selection& selection) {
  std::vector<std::string> ids;
  for (const auto& candidate : selection.selected) ids.push_back(candidate.id);
  return ids;
}

using Ids = std::vector<std::string>;

Selection run(const CriteriaTable& table, const std::string& strategy,
              const std::map<std::string, std::string>& parameters, const std::set<std::string>& labeled = {}) {
  return select(table, parse_strategy_spec(strategy, parameters), labeled);
}

using testing::error_of;

TEST(SelectionTopK, EntropyTiesGoToTheLowerGlobalIndex) {
  // entropy a .30, b .60, c .60, d .10, e NaN, f .50: b and c tie at .60, b (index 11)
  // before c (12), then f .50.
  const auto selection = run(make_table({{"entropy", kEntropy}}), "entropy", {{"budget", "3"}});
  EXPECT_EQ(ids_of(selection), (Ids{"b", "c", "f"}));
  EXPECT_EQ(selection.score_name, "entropy");
  EXPECT_EQ(selection.score_direction, Direction::descending);
  ASSERT_EQ(selection.criteria.size(), 1u);
  EXPECT_EQ(selection.criteria[0].name, "entropy");
  EXPECT_EQ(selection.criteria[0].nan_count, 1);  // e
  EXPECT_EQ(selection.candidates, 6);
  EXPECT_EQ(selection.labeled, 0);
  const auto& first = selection.selected[0];
  EXPECT_EQ(first.position, 1);
  EXPECT_EQ(first.global_index, 11);
  EXPECT_EQ(first.score, static_cast<double>(0.60f));
  EXPECT_EQ(first.criteria, (std::vector<float>{0.60f}));
  EXPECT_EQ(selection.selected[2].position, 3);
}

TEST(SelectionTopK, MarginAscendingLeastConfidenceMcVarianceBaldKurtosis) {
  const auto table = make_table({
      {"margin", kMargin},
      {"least_confidence", {0.10f, 0.45f, 0.30f, 0.20f, 0.05f, 0.40f}},
      {"mc_variance", {0.01f, 0.02f, 0.03f, 0.04f, 0.05f, 0.06f}},
      {"bald", {0.2f, 0.1f, 0.4f, 0.3f, 0.0f, 0.5f}},
      {"ideal_Kurtosis", {3.0f, 9.0f, 1.5f, 4.0f, 2.0f, 8.0f}},
  });
  // margin, smallest first: b .05 and d .05 tie (b has the lower index), then c .20.
  EXPECT_EQ(ids_of(run(table, "margin", {{"budget", "3"}})), (Ids{"b", "d", "c"}));
  EXPECT_EQ(run(table, "margin", {{"budget", "1"}}).score_direction, Direction::ascending);
  // least confidence, largest first: b .45, f .40, c .30.
  EXPECT_EQ(ids_of(run(table, "least-confidence", {{"budget", "3"}})), (Ids{"b", "f", "c"}));
  // MC variance, largest first: f .06, e .05, d .04.
  EXPECT_EQ(ids_of(run(table, "mc-variance", {{"budget", "3"}})), (Ids{"f", "e", "d"}));
  // BALD, largest first: f .5, c .4, d .3.
  EXPECT_EQ(ids_of(run(table, "bald", {{"budget", "3"}})), (Ids{"f", "c", "d"}));
  // IDEAL kurtosis, largest first: b 9, f 8, d 4.
  EXPECT_EQ(ids_of(run(table, "ideal-kurtosis", {{"budget", "3"}})), (Ids{"b", "f", "d"}));
}

TEST(SelectionTopK, HitlEntropyTakesTheTopX) {
  // X = 2 replaces the budget: the two largest entropies, b and c (tie, lower index first).
  const auto table = make_table({{"entropy", kEntropy}});
  EXPECT_EQ(ids_of(run(table, "hitl-entropy", {{"budget", "5"}, {"x", "2"}})), (Ids{"b", "c"}));
  EXPECT_EQ(ids_of(run(table, "hitl-entropy", {{"budget", "1"}})), (Ids{"b"}));
}

TEST(SelectionTopK, ReverseSelectsTheLeastInformativeAndKeepsNanLast) {
  // Smallest entropy first: d .10, a .30, f .50, then b, c (tie, index order); e (NaN) last.
  const auto table = make_table({{"entropy", kEntropy}});
  const auto selection = run(table, "entropy", {{"budget", "6"}, {"reverse", "true"}});
  EXPECT_EQ(ids_of(selection), (Ids{"d", "a", "f", "b", "c", "e"}));
  EXPECT_EQ(selection.score_direction, Direction::ascending);
  EXPECT_EQ(selection.criteria[0].direction, Direction::ascending);
}

TEST(SelectionTopK, LabeledCandidatesAreExcluded) {
  // b is labeled ("zz" is not in the pool and is ignored): c .60, f .50, a .30.
  const auto selection = run(make_table({{"entropy", kEntropy}}), "entropy", {{"budget", "3"}}, {"b", "zz"});
  EXPECT_EQ(ids_of(selection), (Ids{"c", "f", "a"}));
  EXPECT_EQ(selection.labeled, 1);
}

TEST(SelectionTopK, BudgetLargerThanThePoolSelectsEveryUnlabeledNanLast) {
  // Budget 10 > 5 unlabeled (a is labeled): b, c, f, d, and e (NaN) last.
  const auto selection = run(make_table({{"entropy", kEntropy}}), "entropy", {{"budget", "10"}}, {"a"});
  EXPECT_EQ(ids_of(selection), (Ids{"b", "c", "f", "d", "e"}));
  EXPECT_TRUE(std::isnan(selection.selected.back().score));
  EXPECT_EQ(selection.criteria[0].nan_count, 1);
  // A labeled NaN is not counted.
  EXPECT_EQ(run(make_table({{"entropy", kEntropy}}), "entropy", {{"budget", "1"}}, {"e"}).criteria[0].nan_count, 0);
  // Everything labeled: an empty selection.
  EXPECT_TRUE(run(make_table({{"entropy", kEntropy}}), "entropy", {{"budget", "2"}}, {"a", "b", "c", "d", "e", "f"})
                  .selected.empty());
}

TEST(SelectionBorda, IdealFirstOrderAndItsReverse) {
  const auto table = make_table({
      {"firstorder_Kurtosis", {6, 5, 4, 3, 2, 1}},     // ranks a1 b2 c3 d4 e5 f6
      {"firstorder_Skewness", {1, 2, 3, 4, 5, 6}},     // ranks a6 b5 c4 d3 e2 f1
      {"firstorder_Entropy", {5, 6, 1, 2, 3, 4}},      // ranks a2 b1 c6 d5 e4 f3
      {"firstorder_TotalEnergy", {1, 1, 1, 1, 1, 9}},  // f1, the rest tie on places 2–6: 4
  });
  // Sums: a 1+6+2+4 = 13, b 2+5+1+4 = 12, c 3+4+6+4 = 17, d 4+3+5+4 = 16, e 5+2+4+4 = 15,
  // f 6+1+3+1 = 11 → f, b, a.
  const auto selection = run(table, "ideal-firstorder", {{"budget", "3"}});
  EXPECT_EQ(ids_of(selection), (Ids{"f", "b", "a"}));
  EXPECT_EQ(selection.score_name, "borda_sum");
  EXPECT_EQ(selection.score_direction, Direction::ascending);
  EXPECT_DOUBLE_EQ(selection.selected[0].score, 11.0);
  EXPECT_DOUBLE_EQ(selection.selected[2].score, 13.0);
  EXPECT_EQ(selection.selected[0].criteria, (std::vector<float>{1, 6, 4, 9}));
  ASSERT_EQ(selection.criteria.size(), 4u);
  // Reversed, every rank r becomes 7 − r, so a sum s becomes 28 − s: a 15, b 16, c 11,
  // d 12, e 13, f 17 → c, d, e.
  EXPECT_EQ(ids_of(run(table, "ideal-firstorder", {{"budget", "3"}, {"reverse", "true"}})), (Ids{"c", "d", "e"}));
}

TEST(SelectionBorda, IdealGlcmRanksNanLast) {
  const auto table = make_table({
      {"glcm_SumEntropy", {1, 2, 3, 4, 5, kNaN}},  // e1 d2 c3 b4 a5, f (NaN) 6
      {"glcm_Idn", {1, 2, 3, 4, 5, 6}},            // f1 e2 d3 c4 b5 a6
      {"glcm_DifferenceEntropy", {2, 2, 2, 2, 2, 2}},  // all tie on places 1–6: 3.5
      {"glcm_MCC", {6, 5, 4, 3, 2, 1}},            // a1 b2 c3 d4 e5 f6
  });
  // Sums: a 15.5, b 14.5, c 13.5, d 12.5, e 11.5, f 6+1+3.5+6 = 16.5 → e, d.
  const auto selection = run(table, "ideal-glcm", {{"budget", "2"}});
  EXPECT_EQ(ids_of(selection), (Ids{"e", "d"}));
  EXPECT_DOUBLE_EQ(selection.selected[0].score, 11.5);
  EXPECT_EQ(selection.criteria[0].nan_count, 1);
  EXPECT_EQ(selection.criteria[1].nan_count, 0);
  // Reversed, the NaN stays last in glcm_SumEntropy: ranks a1 b2 c3 d4 e5 f6; Idn a1…f6;
  // DifferenceEntropy 3.5; MCC f1 … a6: a 11.5, b 12.5, c 13.5, d 14.5, e 15.5, f 16.5 → a, b.
  EXPECT_EQ(ids_of(run(table, "ideal-glcm", {{"budget", "2"}, {"reverse", "true"}})), (Ids{"a", "b"}));
}

TEST(SelectionBorda, IdealShapeSphericityAndItsReciprocalCancel) {
  // SphericalDisproportion = 1 / Sphericity, both ranked descending: their ranks add up to
  // 7 for every candidate, so only Elongation decides (docs/formulas.md "Strategies").
  const std::vector<float> sphericity{0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 0.4f};
  std::vector<float> disproportion;
  for (const float value : sphericity) disproportion.push_back(1.0f / value);
  const auto table = make_table({
      {"shape2D_Sphericity", sphericity},
      {"shape2D_SphericalDisproportion", disproportion},
      {"shape2D_Elongation", {0.3f, 0.9f, 0.1f, 0.5f, 0.7f, 0.2f}},  // b1 e2 d3 a4 f5 c6
  });
  // Sums 7 + Elongation rank: b 8, e 9, d 10 → b, e, d.
  const auto selection = run(table, "ideal-shape", {{"budget", "3"}});
  EXPECT_EQ(ids_of(selection), (Ids{"b", "e", "d"}));
  EXPECT_DOUBLE_EQ(selection.selected[0].score, 8.0);
}

TEST(SelectionBorda, AnyListOfCriteriaWithDirections) {
  const auto table = make_table({
      {"entropy", kEntropy},  // b 1.5, c 1.5, f 3, a 4, d 5, e (NaN) 6
      {"margin", kMargin},    // ascending: b 1.5, d 1.5, c 3, f 4, a 5, e 6
      {"deep_cluster", {1, 2, 3, 4, 5, 6}},
  });
  // entropy + margin: a 9, b 3, c 4.5, d 6.5, e 12, f 7 → b, c, d.
  EXPECT_EQ(ids_of(run(table, "borda", {{"budget", "3"}, {"criteria", "entropy,margin"}})), (Ids{"b", "c", "d"}));
  // deep_cluster ascending (a1 … f6) + entropy: a 5, b 3.5, c 4.5, d 9, e 11, f 9 → b, c, a.
  EXPECT_EQ(ids_of(run(table, "borda", {{"budget", "3"}, {"criteria", "deep_cluster:ascending,entropy"}})),
            (Ids{"b", "c", "a"}));
}

TEST(SelectionEgAl, CompositeOfEntropyAndDiceMisalignment) {
  const auto table = make_table({
      {"entropy", kEntropy},
      {"alignment_HardDice", {0.0f, 1.0f, 0.5f, 0.2f, 0.0f, 0.9f}},
  });
  // λ = 0.5: 0.5·H + 0.5·(1 − Dice): a .15 + .50 = .65, b .30 + 0 = .30, c .30 + .25 = .55,
  // d .05 + .40 = .45, e NaN (entropy NaN), f .25 + .05 = .30 → a, c, d.
  const auto selection = run(table, "eg-al", {{"budget", "3"}});
  EXPECT_EQ(ids_of(selection), (Ids{"a", "c", "d"}));
  EXPECT_EQ(selection.score_name, "eg_al_score");
  EXPECT_NEAR(selection.selected[0].score, 0.65, 1e-7);
  EXPECT_NEAR(selection.selected[1].score, 0.55, 1e-7);
  EXPECT_EQ(selection.selected[0].criteria, (std::vector<float>{0.30f, 0.0f}));
  // λ = 1 reads only the Dice: 1 − Dice a 1, b 0, c .5, d .8, e 1, f .1; a and e tie at 1
  // (a has the lower index) → a, e, d; e's NaN entropy does not matter.
  EXPECT_EQ(ids_of(run(table, "eg-al", {{"budget", "3"}, {"lambda", "1"}})), (Ids{"a", "e", "d"}));
  // Reversed (λ = 0.5): smallest composite first, b and f both ≈ .30 are tested loosely:
  // d .45 comes right after them, and the NaN e stays last.
  const auto reversed = run(table, "eg-al", {{"budget", "6"}, {"reverse", "true"}});
  EXPECT_EQ((std::set<std::string>{ids_of(reversed)[0], ids_of(reversed)[1]}), (std::set<std::string>{"b", "f"}));
  EXPECT_EQ(ids_of(reversed)[2], "d");
  EXPECT_EQ(ids_of(reversed)[5], "e");
}

TEST(SelectionAcft, OmegaOneDrawsTheTopTwoInRankingOrder) {
  // ω = 1, B = 2 keeps the top 2 (a .9, d .7); a' = 1 for a and 0 for d, so a is drawn
  // first and d, of weight 0, after it: whatever the seed.
  const auto table = make_table({{"acft_score", {0.9f, 0.1f, 0.5f, 0.7f, kNaN, 0.3f}}});
  for (const char* seed : {"0", "1", "99"}) {
    const auto selection = run(table, "acft", {{"budget", "2"}, {"omega", "1"}, {"seed", seed}});
    EXPECT_EQ(ids_of(selection), (Ids{"a", "d"}));
    EXPECT_EQ(selection.score_name, "acft_score");
    EXPECT_DOUBLE_EQ(selection.selected[0].score, static_cast<double>(0.9f));
  }
  // Reversed, the draw is on −score: b −.1, f −.3 → b, f.
  EXPECT_EQ(ids_of(run(table, "acft", {{"budget", "2"}, {"omega", "1"}, {"reverse", "true"}})), (Ids{"b", "f"}));
  // criterion=entropy reads acft_entropy.
  const auto entropy_table = make_table({{"acft_entropy", {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}}});
  EXPECT_EQ(ids_of(run(entropy_table, "acft", {{"budget", "2"}, {"omega", "1"}, {"criterion", "entropy"}})),
            (Ids{"f", "e"}));
}

TEST(SelectionAcft, RandomisedDrawStaysInTheTopOmegaBAndFollowsTheSeed) {
  // ω = 5, B = 1: the draw is among the top 5 of a .9, d .7, c .5, f .3, b .1 (e NaN is 6th);
  // b, the 5th, has weight 0, so one draw picks a, d, c or f.
  const auto table = make_table({{"acft_score", {0.9f, 0.1f, 0.5f, 0.7f, kNaN, 0.3f}}});
  std::set<std::string> drawn;
  for (int seed = 0; seed < 40; ++seed) {
    const auto selection = run(table, "acft", {{"budget", "1"}, {"seed", std::to_string(seed)}});
    ASSERT_EQ(selection.selected.size(), 1u);
    drawn.insert(selection.selected[0].id);
    EXPECT_EQ(ids_of(selection), ids_of(run(table, "acft", {{"budget", "1"}, {"seed", std::to_string(seed)}})));
  }
  EXPECT_TRUE(drawn.count("a"));
  EXPECT_GE(drawn.size(), 2u);
  for (const auto& id : drawn) EXPECT_TRUE(id == "a" || id == "d" || id == "c" || id == "f") << id;
}

TEST(SelectionRandom, UniformScoresFromSeedRoundAndGlobalIndex) {
  // Expected: sort the candidates by counter_uniform(seed 5, round 3, index) descending.
  const auto table = make_table({});
  const kernels::RandomKey key{5, 3, kernels::RandomStream::uniform_scores};
  std::vector<std::size_t> order(6);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return kernels::counter_uniform(key, 10 + static_cast<std::int64_t>(a)) >
           kernels::counter_uniform(key, 10 + static_cast<std::int64_t>(b));
  });
  Ids expected;
  for (std::size_t k = 0; k < 4; ++k) expected.emplace_back(1, static_cast<char>('a' + order[k]));
  const auto selection = run(table, "random", {{"budget", "4"}, {"seed", "5"}, {"round", "3"}});
  EXPECT_EQ(ids_of(selection), expected);
  EXPECT_EQ(selection.score_name, "uniform");
  EXPECT_TRUE(selection.criteria.empty());
  EXPECT_EQ(selection.selected[0].score, kernels::counter_uniform(key, selection.selected[0].global_index));
  // Another round draws other numbers; labeled candidates are skipped.
  const auto labeled = run(table, "random", {{"budget", "4"}, {"seed", "5"}, {"round", "3"}}, {expected[0]});
  EXPECT_EQ(ids_of(labeled), (Ids{expected[1], expected[2], expected[3], std::string(1, static_cast<char>('a' + order[4]))}));
}

TEST(SelectionInvariance, EveryStrategyIgnoresRowOrder) {
  const Columns columns{
      {"entropy", kEntropy},
      {"margin", kMargin},
      {"least_confidence", {0.10f, 0.45f, 0.30f, 0.20f, 0.05f, 0.40f}},
      {"mc_variance", {0.01f, 0.02f, 0.03f, 0.04f, 0.05f, 0.06f}},
      {"bald", {0.2f, 0.1f, 0.4f, 0.3f, 0.0f, 0.5f}},
      {"ideal_Kurtosis", {3.0f, 9.0f, 1.5f, 4.0f, 2.0f, 8.0f}},
      {"firstorder_Kurtosis", {6, 5, 4, 3, 2, 1}},
      {"firstorder_Skewness", {1, 2, 3, 4, 5, 6}},
      {"firstorder_Entropy", {5, 6, 1, 2, 3, 4}},
      {"firstorder_TotalEnergy", {1, 1, 1, 1, 1, 9}},
      {"glcm_SumEntropy", {1, 2, 3, 4, 5, kNaN}},
      {"glcm_Idn", {1, 2, 3, 4, 5, 6}},
      {"glcm_DifferenceEntropy", {2, 2, 2, 2, 2, 2}},
      {"glcm_MCC", {6, 5, 4, 3, 2, 1}},
      {"shape2D_Sphericity", {0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 0.4f}},
      {"shape2D_SphericalDisproportion", {2.0f, 1.6f, 1.4f, 1.2f, 1.1f, 2.5f}},
      {"shape2D_Elongation", {0.3f, 0.9f, 0.1f, 0.5f, 0.7f, 0.2f}},
      {"alignment_HardDice", {0.0f, 1.0f, 0.5f, 0.2f, 0.0f, 0.9f}},
      {"acft_score", {0.9f, 0.1f, 0.5f, 0.7f, kNaN, 0.3f}},
  };
  std::mt19937 shuffler(17);
  for (const auto strategy : all_strategies()) {
    if (strategy == Strategy::ideal_deep) continue;  // reads codes: test_ideal_deep.cpp shuffles its rows
    const auto name = strategy == Strategy::diverse ? std::string("diverse:entropy") : strategy_name(strategy);
    std::map<std::string, std::string> parameters{{"budget", "4"}, {"seed", "9"}};
    if (strategy == Strategy::borda) parameters["criteria"] = "entropy,margin";
    const auto reference = run(make_table(columns), name, parameters, {"c"});
    ASSERT_EQ(reference.selected.size(), 4u) << name;
    for (int shuffle = 0; shuffle < 5; ++shuffle) {
      auto order = kScrambled;
      std::shuffle(order.begin(), order.end(), shuffler);
      const auto shuffled = run(make_table(columns, order), name, parameters, {"c"});
      EXPECT_EQ(ids_of(shuffled), ids_of(reference)) << name;
      for (std::size_t k = 0; k < shuffled.selected.size(); ++k) {
        const auto& got = shuffled.selected[k];
        const auto& want = reference.selected[k];
        EXPECT_EQ(got.global_index, want.global_index) << name;
        EXPECT_TRUE(got.score == want.score || (std::isnan(got.score) && std::isnan(want.score))) << name;
      }
    }
  }
}

TEST(SelectionErrors, MissingColumnAndUnknownNamesAreNamed) {
  const auto table = make_table({{"entropy", kEntropy}});
  EXPECT_NE(error_of([&] { run(table, "margin", {{"budget", "1"}}); }).find("no column 'margin'"), std::string::npos);
  EXPECT_NE(error_of([&] { run(table, "ideal-glcm", {{"budget", "1"}}); }).find("no column 'glcm_SumEntropy'"),
            std::string::npos);
  EXPECT_NE(error_of([&] { run(table, "eg-al", {{"budget", "1"}}); }).find("no column 'alignment_HardDice'"),
            std::string::npos);
  EXPECT_NE(error_of([&] { run(table, "borda", {{"budget", "1"}, {"criteria", "entropy,focus"}}); })
                .find("unknown criterion 'focus'"),
            std::string::npos);
  EXPECT_NE(error_of([&] { run(table, "entorpy", {{"budget", "1"}}); }).find("unknown strategy 'entorpy'"),
            std::string::npos);
  StrategySpec invalid;
  invalid.strategy = Strategy::entropy;  // budget 0
  EXPECT_NE(error_of([&] { select(table, invalid, {}); }).find("budget"), std::string::npos);
}

}  // namespace
}  // namespace salient::selection
