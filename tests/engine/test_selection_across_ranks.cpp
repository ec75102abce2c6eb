// Selection across ranks equals selection by one process holding every row, for every
// strategy: a 240-candidate pool (scores with many ties and NaNs, embeddings on a coarse grid
// so that distances tie, labeled and held-out candidates) is split into 2 and 3 blocks of
// ascending global indices, each block a rank (threads of one process, rank_group.h), and
// every rank's selection must equal the single process's in every field. One process runs
// the ranking kernels (Borda) and the same greedy steps, so this compares the exchange of
// shortlists, proposals and counts with the plain single-reader path.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/selection/across_ranks.h"
#include "engine/selection/rank_group.h"
#include "engine/selection/select.h"
#include "engine/selection/strategy_criteria.h"
#include "engine/selection/strategy_spec.h"
#include "engine/selection/strategy_table.h"

namespace salient::selection {
namespace {

constexpr std::int64_t kCandidates = 240;
constexpr std::int64_t kDim = 3;
constexpr std::int64_t kClasses = 2;

/// Every candidate of the pool, row r of it global index 1000 + 3r (gaps, as skipped shards leave).
struct PoolRows {
  std::vector<std::int64_t> global_index;
  std::vector<std::string> ids;
  std::map<std::string, std::vector<float>> columns;
  std::vector<float> embeddings, probabilities;
};

PoolRows make_pool(const std::vector<std::string>& criteria) {
  std::mt19937 random(20261207);
  PoolRows pool;
  for (std::int64_t r = 0; r < kCandidates; ++r) {
    pool.global_index.push_back(1000 + 3 * r);
    pool.ids.push_back("img" + std::to_string(r));
  }
  std::uniform_int_distribution<int> level(0, 7), grid(-2, 2), percent(0, 99);
  for (const auto& name : criteria) {
    auto& values = pool.columns[name];
    for (std::int64_t r = 0; r < kCandidates; ++r) {
      const bool nan = percent(random) < 4;
      values.push_back(nan ? std::nanf("") : static_cast<float>(level(random)) / 8.0f);  // ties and NaNs
    }
  }
  for (std::int64_t r = 0; r < kCandidates * kDim; ++r) pool.embeddings.push_back(static_cast<float>(grid(random)));
  for (std::int64_t r = 0; r < kCandidates * kClasses; ++r)
    pool.probabilities.push_back((static_cast<float>(percent(random)) + 0.5f) / 100.0f);
  return pool;
}

/// Rows [first, last) of @p pool, stored in reverse order (row order must not matter).
CriteriaTable block_of(const PoolRows& pool, std::int64_t first, std::int64_t last) {
  std::vector<std::int64_t> rows;
  for (auto r = last; r-- > first;) rows.push_back(r);
  std::vector<std::int64_t> indices;
  std::vector<std::string> ids;
  std::vector<float> embeddings, probabilities;
  for (const auto r : rows) {
    indices.push_back(pool.global_index[static_cast<std::size_t>(r)]);
    ids.push_back(pool.ids[static_cast<std::size_t>(r)]);
    embeddings.insert(embeddings.end(), pool.embeddings.begin() + r * kDim, pool.embeddings.begin() + (r + 1) * kDim);
    probabilities.insert(probabilities.end(), pool.probabilities.begin() + r * kClasses,
                         pool.probabilities.begin() + (r + 1) * kClasses);
  }
  CriteriaTable table(indices, ids);
  for (const auto& [name, values] : pool.columns) {
    std::vector<float> column;
    for (const auto r : rows) column.push_back(values[static_cast<std::size_t>(r)]);
    table.set_column(name, column);
  }
  table.set_embeddings(kDim, embeddings);
  table.set_probabilities(kClasses, probabilities, true);
  return table;
}

/// The selection of @p spec with the pool split into @p ranks blocks, as rank @p shown got it;
/// every block carries @p forest (ideal-deep's).
Selection across(const PoolRows& pool, const StrategySpec& spec, const std::set<std::string>& labeled,
                 const std::set<std::string>& held_out, int ranks, int shown,
                 const std::shared_ptr<const OnlineForest>& forest = nullptr) {
  auto groups = make_in_process_rank_groups(ranks);
  std::vector<Selection> results(static_cast<std::size_t>(ranks));
  std::vector<std::exception_ptr> failures(static_cast<std::size_t>(ranks));
  std::vector<std::thread> threads;
  for (int r = 0; r < ranks; ++r) {
    threads.emplace_back([&, r] {
      try {
        // Uneven blocks: rank r holds rows [r·N/R + r, …), the last rank the rest.
        const auto first = r == 0 ? 0 : kCandidates * r / ranks + r;
        const auto last = r == ranks - 1 ? kCandidates : kCandidates * (r + 1) / ranks + r + 1;
        auto block = block_of(pool, first, last);
        block.set_forest(forest);
        results[static_cast<std::size_t>(r)] =
            select(block, spec, labeled, held_out, *groups[static_cast<std::size_t>(r)]);
      } catch (...) {
        failures[static_cast<std::size_t>(r)] = std::current_exception();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& failure : failures)
    if (failure) std::rethrow_exception(failure);
  return results[static_cast<std::size_t>(shown)];
}

void expect_same(const Selection& one, const Selection& many, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(one.label, many.label);
  EXPECT_EQ(one.score_name, many.score_name);
  EXPECT_EQ(one.candidates, many.candidates);
  EXPECT_EQ(one.labeled, many.labeled);
  ASSERT_EQ(one.criteria.size(), many.criteria.size());
  for (std::size_t c = 0; c < one.criteria.size(); ++c) EXPECT_EQ(one.criteria[c].nan_count, many.criteria[c].nan_count);
  ASSERT_EQ(one.selected.size(), many.selected.size());
  for (std::size_t k = 0; k < one.selected.size(); ++k) {
    const auto& a = one.selected[k];
    const auto& b = many.selected[k];
    EXPECT_EQ(a.global_index, b.global_index) << "pick " << k;
    EXPECT_EQ(a.id, b.id) << "pick " << k;
    EXPECT_TRUE(a.score == b.score || (std::isnan(a.score) && std::isnan(b.score))) << "pick " << k;
    ASSERT_EQ(a.criteria.size(), b.criteria.size());
    for (std::size_t c = 0; c < a.criteria.size(); ++c)
      EXPECT_TRUE(a.criteria[c] == b.criteria[c] || (std::isnan(a.criteria[c]) && std::isnan(b.criteria[c])));
  }
}

/// Every strategy of the table, diverse:<each score strategy> and borda over three columns.
std::vector<std::pair<std::string, std::map<std::string, std::string>>> every_strategy() {
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> specs;
  for (const auto& descriptor : strategy_table()) {
    if (descriptor.strategy == Strategy::diverse || descriptor.strategy == Strategy::borda ||
        descriptor.strategy == Strategy::ideal_deep)  // its budget must cover k: below
      continue;
    specs.push_back({descriptor.name, {}});
  }
  for (const char* inner : {"entropy", "eg-al", "ideal-firstorder", "acft", "random"})
    specs.push_back({std::string("diverse:") + inner, {}});
  specs.push_back({"borda", {{"criteria", "entropy,margin,ideal_Kurtosis:ascending"}}});
  specs.push_back({"entropy", {{"reverse", "true"}}});
  specs.push_back({"ideal-firstorder", {{"reverse", "true"}}});
  specs.push_back({"acft", {{"reverse", "true"}, {"omega", "3"}}});
  specs.push_back({"cluster-margin", {{"clusters", "5"}, {"sample", "40"}}});
  return specs;
}

TEST(SelectionAcrossRanks, EveryStrategyOnTwoAndThreeRanksEqualsOneProcess) {
  std::set<std::string> criteria;
  const auto specs = every_strategy();
  for (const auto& [name, parameters] : specs) {
    auto with_budget = parameters;
    with_budget["budget"] = "1";
    for (const auto& criterion : strategy_criteria(parse_strategy_spec(name, with_budget)))
      criteria.insert(criterion.name);
  }
  const auto pool = make_pool({criteria.begin(), criteria.end()});
  const std::set<std::string> labeled{"img3", "img77", "img78", "img150", "img239"};
  const std::set<std::string> held_out{"img0", "img100", "img101", "img200"};
  for (const auto& [name, parameters] : specs) {
    for (const std::string budget : {"1", "17"}) {
      auto with_budget = parameters;
      with_budget["budget"] = budget;
      with_budget["seed"] = "5";
      with_budget["round"] = "2";
      const auto spec = parse_strategy_spec(name, with_budget);
      const auto one = select(block_of(pool, 0, kCandidates), spec, labeled, held_out);
      ASSERT_EQ(static_cast<std::int64_t>(one.selected.size()), selection_size(spec)) << name;
      for (const int ranks : {2, 3}) {
        for (int shown = 0; shown < ranks; ++shown) {
          expect_same(one, across(pool, spec, labeled, held_out, ranks, shown),
                      name + " budget " + budget + " on " + std::to_string(ranks) + " ranks, rank " +
                          std::to_string(shown));
        }
      }
    }
  }
}

TEST(SelectionAcrossRanks, IdealDeepWithAndWithoutAForestOnTwoAndThreeRanksEqualsOneProcess) {
  std::map<std::string, std::string> parameters{{"k", "4"}, {"latent", "3"}, {"seed", "5"}, {"round", "2"},
                                                {"budget", "4"}};
  std::vector<std::string> codes;
  for (const auto& criterion : strategy_criteria(parse_strategy_spec("ideal-deep", parameters)))
    codes.push_back(criterion.name);
  const auto pool = make_pool(codes);  // codes on a grid of eighths, with ties and NaN
  // A forest that has learnt levels by the first code element (its values cover [0, 7/8]).
  OnlineForestParams forest_params;
  forest_params.trees = 8;
  forest_params.min_samples = 5;
  auto forest = std::make_shared<OnlineForest>(forest_params, 4, std::vector<FeatureRange>(3, FeatureRange{0, 1}));
  std::vector<float> x;
  std::vector<std::int32_t> y;
  for (std::int64_t r = 0; r < kCandidates; ++r) {
    bool finite = true;
    for (const auto& name : codes) finite = finite && !std::isnan(pool.columns.at(name)[static_cast<std::size_t>(r)]);
    if (!finite) continue;
    for (const auto& name : codes) x.push_back(pool.columns.at(name)[static_cast<std::size_t>(r)]);
    y.push_back(static_cast<std::int32_t>(pool.columns.at(codes[0])[static_cast<std::size_t>(r)] * 4.0f));
  }
  forest->update(x.data(), y.data(), static_cast<std::int64_t>(y.size()));
  const std::set<std::string> labeled{"img3", "img77", "img150"};
  const std::set<std::string> held_out{"img0", "img101"};
  for (const bool with_forest : {false, true}) {
    for (const std::string budget : {"4", "17", "230"}) {  // 230: more than the finite codes
      parameters["budget"] = budget;
      const auto spec = parse_strategy_spec("ideal-deep", parameters);
      auto whole = block_of(pool, 0, kCandidates);
      if (with_forest) whole.set_forest(forest);
      const auto one = select(whole, spec, labeled, held_out);
      ASSERT_EQ(static_cast<std::int64_t>(one.selected.size()), selection_size(spec)) << budget;
      for (const int ranks : {2, 3}) {
        for (int shown = 0; shown < ranks; ++shown) {
          expect_same(one, across(pool, spec, labeled, held_out, ranks, shown, with_forest ? forest : nullptr),
                      "ideal-deep budget " + budget + (with_forest ? " with" : " without") + " a forest on " +
                          std::to_string(ranks) + " ranks, rank " + std::to_string(shown));
        }
      }
    }
  }
}

TEST(SelectionAcrossRanks, CoresetWithoutLabelsStartsFromTheSameExactMean) {
  const auto pool = make_pool({});
  const auto spec = parse_strategy_spec("coreset", {{"budget", "9"}});
  const auto one = select(block_of(pool, 0, kCandidates), spec, {});
  for (const int ranks : {2, 3}) expect_same(one, across(pool, spec, {}, {}, ranks, 0), "coreset without labels");
}

TEST(SelectionAcrossRanks, RanksCountedAcrossBlocksEqualTheRankingKernel) {
  // Values 0, ¼, …, 1¾ and NaN, each many times: ties everywhere.
  std::vector<float> values;
  std::vector<std::int64_t> index;
  std::vector<std::uint8_t> labeled;
  for (int r = 0; r < 90; ++r) {
    values.push_back(r % 9 == 8 ? std::nanf("") : static_cast<float>((r * 5) % 8) / 4.0f);
    index.push_back(r);
    labeled.push_back(r % 11 == 0 ? 1 : 0);
  }
  for (const auto direction : {kernels::Direction::descending, kernels::Direction::ascending}) {
    std::vector<double> expected(values.size());
    const kernels::PoolView whole{90, labeled.data(), index.data()};
    const auto summary = kernels::rank_scores(values.data(), direction, whole, expected.data(), {});
    for (const int ranks : {1, 2, 3}) {
      auto groups = make_in_process_rank_groups(ranks);
      std::vector<double> got(values.size());
      std::vector<kernels::RankSummary> summaries(static_cast<std::size_t>(ranks));
      std::vector<std::thread> threads;
      for (int r = 0; r < ranks; ++r) {
        threads.emplace_back([&, r] {
          const auto first = 90 * r / ranks, last = 90 * (r + 1) / ranks;
          const kernels::PoolView block{last - first, labeled.data() + first, index.data() + first};
          summaries[static_cast<std::size_t>(r)] = rank_across_ranks(
              values.data() + first, direction, block, got.data() + first, *groups[static_cast<std::size_t>(r)]);
        });
      }
      for (auto& thread : threads) thread.join();
      for (std::size_t i = 0; i < values.size(); ++i) {
        EXPECT_TRUE(got[i] == expected[i] || (std::isnan(got[i]) && std::isnan(expected[i])))
            << "candidate " << i << " on " << ranks << " ranks: " << got[i] << " against " << expected[i];
      }
      for (const auto& each : summaries) {
        EXPECT_EQ(each.ranked, summary.ranked);
        EXPECT_EQ(each.nan_count, summary.nan_count);
      }
    }
  }
}

TEST(SelectionAcrossRanks, BlocksOutOfOrderAreRefused) {
  auto groups = make_in_process_rank_groups(2);
  std::vector<std::string> messages(2);
  std::vector<std::thread> threads;
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&, r] {
      const std::vector<std::int64_t> index = r == 0 ? std::vector<std::int64_t>{5, 9} : std::vector<std::int64_t>{7};
      try {
        check_rank_blocks(index.data(), static_cast<std::int64_t>(index.size()), *groups[static_cast<std::size_t>(r)]);
      } catch (const std::exception& error) {
        messages[static_cast<std::size_t>(r)] = error.what();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& message : messages) EXPECT_NE(message.find("rank 1 holds global index 7"), std::string::npos) << message;
}

}  // namespace
}  // namespace salient::selection
