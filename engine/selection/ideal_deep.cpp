#include "engine/selection/ideal_deep.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "engine/selection/embedding_math.h"
#include "salient/check.h"

namespace salient::selection {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The codes of every position, row-major, from the strategy's per-column values.
std::vector<float> code_rows(const StrategyInputs& inputs) {
  const auto n = static_cast<std::size_t>(inputs.pool.n);
  const auto dim = inputs.values.size();
  std::vector<float> rows(n * dim);
  for (std::size_t c = 0; c < dim; ++c)
    for (std::size_t p = 0; p < n; ++p) rows[p * dim + c] = inputs.values[c][p];
  return rows;
}

/// Not selectable: labeled, held out, or already picked.
std::vector<std::uint8_t> excluded_of(const StrategyInputs& inputs, const std::set<std::int64_t>& picked) {
  const auto n = static_cast<std::size_t>(inputs.pool.n);
  std::vector<std::uint8_t> excluded(n);
  for (std::size_t p = 0; p < n; ++p)
    excluded[p] = inputs.pool.labeled[p] != 0 || picked.count(inputs.pool.global_index[p]) != 0 ? 1 : 0;
  return excluded;
}

/// Step 2: the forest's order, score level + (1 − probability) ascending.
std::vector<Pick> by_forest_level(const StrategyInputs& inputs, const std::vector<float>& codes,
                                  const std::vector<std::uint8_t>& excluded, std::int64_t wanted) {
  const auto& forest = *inputs.forest;
  SALIENT_CHECK(forest.features() == static_cast<std::int32_t>(inputs.values.size()),
                "strategy 'ideal-deep': the study's forest reads {} code elements, the round's codes have {}: a study "
                "keeps its latent size",
                forest.features(), inputs.values.size());
  const auto n = static_cast<std::size_t>(inputs.pool.n);
  const auto classes = static_cast<std::size_t>(forest.classes());
  const auto dim = inputs.values.size();
  std::vector<double> probabilities(n * classes), scores(n, kNaN);
  forest.predict(codes.data(), inputs.pool.n, probabilities.data());
  for (std::size_t p = 0; p < n; ++p) {
    const double* row = probabilities.data() + p * classes;
    if (excluded[p] != 0 || !all_finite(codes.data() + p * dim, static_cast<std::int64_t>(dim))) continue;
    const auto level = static_cast<std::size_t>(std::max_element(row, row + classes) - row);  // lowest on a tie
    scores[p] = static_cast<double>(level) + (1.0 - row[level]);
  }
  const kernels::PoolView pool{inputs.pool.n, excluded.data(), inputs.pool.global_index};
  return top_across_ranks(scores.data(), kernels::Direction::ascending, pool, wanted, inputs.group);
}

/// Step 3: the clusters in turn, each cluster's members nearest its centroid first.
std::vector<Pick> round_robin_by_distance(const StrategyInputs& inputs, const std::vector<float>& codes,
                                          const KMeansResult& clusters, const std::vector<std::uint8_t>& excluded,
                                          std::int64_t wanted) {
  const auto n = static_cast<std::size_t>(inputs.pool.n);
  const auto dim = static_cast<std::int64_t>(inputs.values.size());
  const std::int64_t k = clusters.clusters();
  // Each cluster's `wanted` nearest: a small cluster leaves its turns to the others.
  std::vector<std::vector<Pick>> nearest(static_cast<std::size_t>(k));
  for (std::int32_t c = 0; c < k; ++c) {
    std::vector<std::uint8_t> outside(excluded);
    std::vector<double> d2(n, kNaN);
    for (std::size_t p = 0; p < n; ++p) {
      if (clusters.cluster_of[p] != c) outside[p] = 1;
      if (outside[p] != 0) continue;
      d2[p] =
          squared_distance(codes.data() + p * static_cast<std::size_t>(dim), clusters.centroids.data() + c * dim, dim);
    }
    const kernels::PoolView pool{inputs.pool.n, outside.data(), inputs.pool.global_index};
    nearest[static_cast<std::size_t>(c)] =
        top_across_ranks(d2.data(), kernels::Direction::ascending, pool, wanted, inputs.group);
  }
  std::vector<Pick> picked;
  for (std::int64_t turn = 0; static_cast<std::int64_t>(picked.size()) < wanted && turn < wanted; ++turn) {
    for (const auto& members : nearest) {
      if (turn >= static_cast<std::int64_t>(members.size()) || static_cast<std::int64_t>(picked.size()) == wanted)
        continue;
      const auto& member = members[static_cast<std::size_t>(turn)];
      picked.push_back({member.global_index, static_cast<double>(turn + 1) + member.score / (1.0 + member.score)});
    }
  }
  return picked;
}

}  // namespace

std::string deep_code_column(std::int64_t element) { return fmt::format("deep_code_{}", element); }

std::vector<StrategyCriterion> deep_code_criteria(const StrategySpec& spec) {
  std::vector<StrategyCriterion> criteria;
  for (std::int64_t l = 0; l < spec.latent; ++l)
    criteria.push_back({deep_code_column(l), kernels::Direction::descending});
  return criteria;
}

KMeansResult deep_clusters(const EmbeddingRows& codes, const std::vector<std::uint8_t>& eligible,
                           const StrategySpec& spec, const std::int64_t* global_index, RankGroup& group) {
  KMeansOptions options;
  options.clusters = static_cast<std::int32_t>(spec.levels);
  options.seed = spec.seed;
  options.round = spec.round;
  return k_means(codes, eligible, options, global_index, group);
}

StrategyResult select_ideal_deep(const StrategyInputs& inputs) {
  SALIENT_CHECK(!inputs.spec.reverse, "strategy 'ideal-deep' has no least-informative order: --reverse does not apply");
  SALIENT_CHECK(inputs.wanted >= inputs.spec.levels,
                "strategy 'ideal-deep': the budget ({}) must cover the k = {} cluster representatives queried every "
                "round",
                inputs.wanted, inputs.spec.levels);
  const auto codes = code_rows(inputs);
  const auto n = static_cast<std::size_t>(inputs.pool.n);
  std::vector<std::uint8_t> eligible(n);
  for (std::size_t p = 0; p < n; ++p) eligible[p] = inputs.pool.labeled[p] == 0 ? 1 : 0;
  const EmbeddingRows rows{codes.data(), inputs.pool.n, static_cast<std::int64_t>(inputs.values.size())};
  const auto clusters = deep_clusters(rows, eligible, inputs.spec, inputs.pool.global_index, inputs.group);

  StrategyResult result;
  result.score_name = "deep_level_score";
  result.score_direction = kernels::Direction::ascending;
  std::set<std::int64_t> picked;
  for (const auto representative : clusters.representatives) {
    if (representative < 0) continue;
    result.picked.push_back({representative, -1.0});
    picked.insert(representative);
  }
  const auto wanted = inputs.wanted - static_cast<std::int64_t>(result.picked.size());
  if (wanted == 0) return result;
  const auto excluded = excluded_of(inputs, picked);
  if (inputs.forest != nullptr) {
    const auto ranked = by_forest_level(inputs, codes, excluded, wanted);
    result.picked.insert(result.picked.end(), ranked.begin(), ranked.end());
    return result;
  }
  const auto spread = round_robin_by_distance(inputs, codes, clusters, excluded, wanted);
  result.picked.insert(result.picked.end(), spread.begin(), spread.end());
  // Codes that are not finite belong to no cluster: such images come last, score NaN, in
  // ascending global index.
  const auto left = inputs.wanted - static_cast<std::int64_t>(result.picked.size());
  if (left == 0) return result;
  for (const auto& pick : spread) picked.insert(pick.global_index);
  const std::vector<double> unscored(n, kNaN);
  const auto unplaced = excluded_of(inputs, picked);
  const kernels::PoolView pool{inputs.pool.n, unplaced.data(), inputs.pool.global_index};
  const auto last = top_across_ranks(unscored.data(), kernels::Direction::ascending, pool, left, inputs.group);
  result.picked.insert(result.picked.end(), last.begin(), last.end());
  return result;
}

}  // namespace salient::selection
