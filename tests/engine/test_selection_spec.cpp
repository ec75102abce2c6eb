// Strategy names and parameters, the criteria each strategy reads (IDEAL Table I under the
// registry names) and the checks on criteria tables.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "engine/criteria/criteria_registry.h"
#include "engine/selection/criteria_table.h"
#include "engine/selection/strategy_criteria.h"
#include "engine/selection/strategy_spec.h"
#include "salient/check.h"
#include "support/expect_error.h"

namespace salient::selection {
namespace {

using kernels::Direction;

using testing::error_of;

std::vector<std::string> names_of(const std::vector<StrategyCriterion>& criteria) {
  std::vector<std::string> names;
  for (const auto& criterion : criteria) names.push_back(criterion.name);
  return names;
}

TEST(SelectionSpec, EveryStrategyNameRoundTrips) {
  const auto strategies = all_strategies();
  ASSERT_EQ(strategies.size(), 19u);
  for (const auto strategy : strategies) {
    if (strategy == Strategy::diverse) continue;  // named with the strategy it thins, below
    EXPECT_EQ(parse_strategy(strategy_name(strategy)), strategy);
  }
  EXPECT_EQ(parse_strategy("diverse:eg-al"), Strategy::diverse);
  EXPECT_EQ(parse_strategy("least-confidence"), Strategy::least_confidence);
  EXPECT_EQ(parse_strategy("eg-al"), Strategy::eg_al);
  EXPECT_EQ(parse_strategy("hitl-entropy"), Strategy::hitl_entropy);
}

TEST(SelectionSpec, ParsesCommonAndStrategyParameters) {
  const auto acft = parse_strategy_spec("acft", {{"budget", "4"},
                                                  {"reverse", "true"},
                                                  {"seed", "7"},
                                                  {"round", "2"},
                                                  {"alpha", "0.5"},
                                                  {"omega", "3"},
                                                  {"criterion", "diversity"}});
  EXPECT_EQ(acft.strategy, Strategy::acft);
  EXPECT_EQ(acft.budget, 4);
  EXPECT_TRUE(acft.reverse);
  EXPECT_EQ(acft.seed, 7u);
  EXPECT_EQ(acft.round, 2u);
  EXPECT_DOUBLE_EQ(acft.alpha, 0.5);
  EXPECT_EQ(acft.omega, 3);
  EXPECT_EQ(acft.acft_criterion, AcftCriterion::diversity);

  const auto eg_al = parse_strategy_spec("eg-al", {{"budget", "2"}, {"lambda", "0.25"}});
  EXPECT_DOUBLE_EQ(eg_al.lambda, 0.25);
  EXPECT_FALSE(eg_al.reverse);

  const auto borda = parse_strategy_spec("borda", {{"budget", "1"}, {"criteria", "entropy, margin,deep:ascending"}});
  EXPECT_EQ(borda.borda_criteria, (std::vector<std::string>{"entropy", "margin", "deep:ascending"}));

  // HITL's X replaces the budget when given.
  const auto hitl = parse_strategy_spec("hitl-entropy", {{"x", "20"}});
  EXPECT_EQ(selection_size(hitl), 20);
  EXPECT_EQ(selection_size(parse_strategy_spec("hitl-entropy", {{"budget", "5"}})), 5);
}

TEST(SelectionSpec, DiverseTakesItsOwnAndTheInnerStrategysParameters) {
  const auto spec = parse_strategy_spec("diverse:eg-al", {{"budget", "3"}, {"lambda", "0.25"}, {"m", "2"}});
  EXPECT_EQ(spec.strategy, Strategy::diverse);
  EXPECT_EQ(spec.inner, Strategy::eg_al);
  EXPECT_DOUBLE_EQ(spec.lambda, 0.25);
  EXPECT_EQ(spec.diversity_factor, 2);
  EXPECT_EQ(strategy_label(spec), "diverse:eg-al");
  EXPECT_EQ(strategy_keys("diverse:acft"), (std::vector<std::string>{"m", "alpha", "omega", "criterion"}));
  EXPECT_EQ(parse_strategy_spec("diverse:entropy", {{"budget", "3"}}).diversity_factor, 4);
  EXPECT_EQ(selection_size(parse_strategy_spec("diverse:hitl-entropy", {{"x", "7"}})), 7);
  EXPECT_NE(error_of([] { parse_strategy("diverse"); }).find("diverse:eg-al"), std::string::npos);
  EXPECT_NE(error_of([] { parse_strategy("diverse:coreset"); }).find("'coreset'"), std::string::npos);
  EXPECT_NE(error_of([] { parse_strategy("diverse:entorpy"); }).find("unknown strategy 'entorpy'"), std::string::npos);
  EXPECT_NE(error_of([] { parse_strategy_spec("diverse:entropy", {{"budget", "1"}, {"lambda", "0.5"}}); })
                .find("'lambda'"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_strategy_spec("diverse:entropy", {{"budget", "1"}, {"m", "0"}}); }).find("m must"),
            std::string::npos);
}

TEST(SelectionSpec, DefaultsFollowThePapers) {
  const StrategySpec spec;
  EXPECT_DOUBLE_EQ(spec.lambda, 0.5);  // EG-AL
  EXPECT_DOUBLE_EQ(spec.alpha, 0.25);  // ACFT α = 1/4
  EXPECT_EQ(spec.omega, 5);            // ACFT ω = 5
  EXPECT_EQ(spec.acft_criterion, AcftCriterion::entropy_diversity);
}

TEST(SelectionSpec, ErrorsNameTheOffendingStrategyParameterOrValue) {
  EXPECT_NE(error_of([] { parse_strategy("entorpy"); }).find("unknown strategy 'entorpy'"), std::string::npos);
  EXPECT_NE(error_of([] { parse_strategy_spec("eg-al", {{"budget", "2"}, {"lamda", "0.3"}}); }).find("'lamda'"),
            std::string::npos);
  // A parameter of another strategy does not apply.
  EXPECT_NE(error_of([] { parse_strategy_spec("entropy", {{"budget", "2"}, {"omega", "3"}}); }).find("'omega'"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_strategy_spec("entropy", {{"budget", "ten"}}); }).find("'ten'"), std::string::npos);
  EXPECT_NE(error_of([] { parse_strategy_spec("entropy", {}); }).find("budget must be >= 1"), std::string::npos);
  EXPECT_NE(error_of([] { parse_strategy_spec("eg-al", {{"budget", "1"}, {"lambda", "1.5"}}); }).find("lambda"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_strategy_spec("acft", {{"budget", "1"}, {"omega", "0"}}); }).find("omega"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_strategy_spec("acft", {{"budget", "1"}, {"alpha", "0"}}); }).find("alpha"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_strategy_spec("acft", {{"budget", "1"}, {"criterion", "dice"}}); }).find("'dice'"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_strategy_spec("borda", {{"budget", "1"}}); }).find("criteria"), std::string::npos);
  EXPECT_NE(error_of([] { parse_strategy_spec("borda", {{"budget", "1"}, {"criteria", "entropy,,margin"}}); })
                .find("empty item"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_strategy_spec("random", {{"budget", "1"}, {"reverse", "yes"}}); }).find("'yes'"),
            std::string::npos);
}

TEST(SelectionCriteria, IdealTableOneUnderRegistryNames) {
  StrategySpec spec;
  spec.budget = 1;
  spec.strategy = Strategy::ideal_firstorder;
  EXPECT_EQ(names_of(strategy_criteria(spec)), (std::vector<std::string>{"firstorder_Kurtosis", "firstorder_Skewness",
                                                                          "firstorder_Entropy",
                                                                          "firstorder_TotalEnergy"}));
  spec.strategy = Strategy::ideal_glcm;
  EXPECT_EQ(names_of(strategy_criteria(spec)),
            (std::vector<std::string>{"glcm_SumEntropy", "glcm_Idn", "glcm_DifferenceEntropy", "glcm_MCC"}));
  spec.strategy = Strategy::ideal_shape;
  EXPECT_EQ(names_of(strategy_criteria(spec)), (std::vector<std::string>{"shape2D_Sphericity",
                                                                          "shape2D_SphericalDisproportion",
                                                                          "shape2D_Elongation"}));
  for (const auto strategy : {Strategy::ideal_firstorder, Strategy::ideal_glcm, Strategy::ideal_shape}) {
    spec.strategy = strategy;
    for (const auto& criterion : strategy_criteria(spec)) EXPECT_EQ(criterion.direction, Direction::descending);
  }
  spec.strategy = Strategy::ideal_kurtosis;
  EXPECT_EQ(names_of(strategy_criteria(spec)), (std::vector<std::string>{"ideal_Kurtosis"}));
}

TEST(SelectionCriteria, EachStrategyReadsItsColumnsWithTheirDirections) {
  StrategySpec spec;
  spec.budget = 1;
  spec.strategy = Strategy::random;
  EXPECT_TRUE(strategy_criteria(spec).empty());
  spec.strategy = Strategy::margin;
  ASSERT_EQ(strategy_criteria(spec).size(), 1u);
  EXPECT_EQ(strategy_criteria(spec)[0].direction, Direction::ascending);
  spec.strategy = Strategy::hitl_entropy;
  EXPECT_EQ(names_of(strategy_criteria(spec)), (std::vector<std::string>{"entropy"}));
  spec.strategy = Strategy::eg_al;
  EXPECT_EQ(names_of(strategy_criteria(spec)), (std::vector<std::string>{"entropy", "alignment_HardDice"}));
  EXPECT_EQ(strategy_criteria(spec)[1].direction, Direction::ascending);  // low Dice = misaligned
  spec.lambda = 0.0;
  EXPECT_EQ(names_of(strategy_criteria(spec)), (std::vector<std::string>{"entropy"}));
  spec.lambda = 1.0;
  EXPECT_EQ(names_of(strategy_criteria(spec)), (std::vector<std::string>{"alignment_HardDice"}));
  spec.strategy = Strategy::acft;
  EXPECT_EQ(names_of(strategy_criteria(spec)), (std::vector<std::string>{"acft_score"}));
  spec.acft_criterion = AcftCriterion::entropy;
  EXPECT_EQ(names_of(strategy_criteria(spec)), (std::vector<std::string>{"acft_entropy"}));
  spec.strategy = Strategy::borda;
  spec.borda_criteria = {"margin", "deep_cluster:ascending", "bald:ascending"};
  const auto borda = strategy_criteria(spec);
  EXPECT_EQ(names_of(borda), (std::vector<std::string>{"margin", "deep_cluster", "bald"}));
  EXPECT_EQ(borda[0].direction, Direction::ascending);
  EXPECT_EQ(borda[1].direction, Direction::ascending);
  EXPECT_EQ(borda[2].direction, Direction::ascending);  // overrides the registry's descending
}

TEST(SelectionCriteria, UnknownBordaCriterionIsNamed) {
  StrategySpec spec;
  spec.strategy = Strategy::borda;
  spec.budget = 1;
  spec.borda_criteria = {"entropy", "sharpness"};
  EXPECT_NE(error_of([&] { strategy_criteria(spec); }).find("unknown criterion 'sharpness'"), std::string::npos);
  spec.borda_criteria = {"sharpness:sideways"};
  EXPECT_NE(error_of([&] { strategy_criteria(spec); }).find("'sharpness:sideways'"), std::string::npos);
}

// mc_entropy and alignment_Misalignment, derived rather than named by a kernel, were refused.
TEST(SelectionCriteria, BordaAcceptsEveryCriterionScoringComputes) {
  StrategySpec spec;
  spec.strategy = Strategy::borda;
  spec.budget = 1;
  for (const auto& entry : criteria::all_criteria()) spec.borda_criteria.emplace_back(entry.info.name);
  const auto columns = strategy_criteria(spec);
  ASSERT_EQ(columns.size(), criteria::all_criteria().size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    EXPECT_EQ(columns[c].name, criteria::all_criteria()[c].info.name);
    EXPECT_EQ(columns[c].direction, criteria::all_criteria()[c].info.direction) << columns[c].name;
  }
}

TEST(SelectionTable, ChecksCandidatesAndColumns) {
  EXPECT_NE(error_of([] { CriteriaTable({1, 2}, {"a"}); }).find("2 global indices but 1 ids"), std::string::npos);
  EXPECT_NE(error_of([] { CriteriaTable({1, 1}, {"a", "b"}); }).find("global index 1 appears twice"),
            std::string::npos);
  EXPECT_NE(error_of([] { CriteriaTable({1, 2}, {"a", "a"}); }).find("id 'a' appears twice"), std::string::npos);
  EXPECT_NE(error_of([] { CriteriaTable({-1}, {"a"}); }).find("global index -1"), std::string::npos);
  CriteriaTable table({4, 2}, {"x", "y"});
  EXPECT_NE(error_of([&] { table.set_column("entropy", {0.5f}); }).find("'entropy' has 1 values for 2"),
            std::string::npos);
  table.set_column("entropy", {0.5f, 0.25f});
  EXPECT_TRUE(table.has_column("entropy"));
  EXPECT_EQ(table.column("entropy")[1], 0.25f);
  EXPECT_NE(error_of([&] { table.column("margin"); }).find("no column 'margin' (it has: entropy)"),
            std::string::npos);
}

}  // namespace
}  // namespace salient::selection
