#include "engine/selection/strategy_table.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "engine/selection/badge.h"
#include "engine/selection/cluster_margin.h"
#include "engine/selection/ideal_deep.h"
#include "salient/check.h"
#include "salient/kernels/acft_draw.h"
#include "salient/kernels/counter_random.h"

namespace salient::selection {
namespace {

using kernels::Direction;
const kernels::ExecutionContext kCpu{};

// ---- The criteria each strategy reads. ----

StrategyCriterion registered(std::string_view name) {
  const auto* info = find_registered_criterion(name);
  SALIENT_ASSERT(info != nullptr);
  return {std::string(name), info->direction};
}

template <std::size_t N>
std::vector<StrategyCriterion> registered_all(const std::array<const char*, N>& names) {
  std::vector<StrategyCriterion> criteria;
  for (const char* name : names) criteria.push_back(registered(name));
  return criteria;
}

std::vector<StrategyCriterion> no_criteria(const StrategySpec&) { return {}; }
std::vector<StrategyCriterion> entropy(const StrategySpec&) { return {registered("entropy")}; }
std::vector<StrategyCriterion> margin(const StrategySpec&) { return {registered("margin")}; }
std::vector<StrategyCriterion> least_confidence(const StrategySpec&) { return {registered("least_confidence")}; }
std::vector<StrategyCriterion> mc_variance(const StrategySpec&) { return {registered("mc_variance")}; }
std::vector<StrategyCriterion> bald(const StrategySpec&) { return {registered("bald")}; }
std::vector<StrategyCriterion> ideal_kurtosis(const StrategySpec&) { return {registered("ideal_Kurtosis")}; }
std::vector<StrategyCriterion> ideal_firstorder(const StrategySpec&) { return registered_all(kIdealFirstOrderFeatures); }
std::vector<StrategyCriterion> ideal_glcm(const StrategySpec&) { return registered_all(kIdealGlcmFeatures); }
std::vector<StrategyCriterion> ideal_shape(const StrategySpec&) { return registered_all(kIdealShapeFeatures); }

/// A term whose weight is 0 is not read: λ = 0 is plain entropy, λ = 1 plain misalignment.
std::vector<StrategyCriterion> eg_al(const StrategySpec& spec) {
  std::vector<StrategyCriterion> criteria;
  if (spec.lambda < 1.0) criteria.push_back(registered("entropy"));
  if (spec.lambda > 0.0) criteria.push_back(registered(kEgAlDiceCriterion));
  return criteria;
}

std::vector<StrategyCriterion> acft(const StrategySpec& spec) {
  switch (spec.acft_criterion) {
    case AcftCriterion::entropy: return {registered("acft_entropy")};
    case AcftCriterion::diversity: return {registered("acft_diversity")};
    case AcftCriterion::entropy_diversity: return {registered("acft_score")};
  }
  SALIENT_ASSERT(false);
  return {};
}

/// "name", "name:ascending" or "name:descending".
StrategyCriterion borda_entry(const std::string& entry) {
  const auto colon = entry.rfind(':');
  if (colon != std::string::npos) {
    const auto name = entry.substr(0, colon);
    const auto direction = entry.substr(colon + 1);
    SALIENT_CHECK(!name.empty() && (direction == "ascending" || direction == "descending"),
                  "strategy 'borda': criterion '{}': expected name, name:ascending or name:descending", entry);
    return {name, direction == "ascending" ? Direction::ascending : Direction::descending};
  }
  SALIENT_CHECK(find_registered_criterion(entry) != nullptr,
                "strategy 'borda': unknown criterion '{}' (give a registered criterion, or '{}:ascending' / "
                "'{}:descending' for another column)",
                entry, entry, entry);
  return registered(entry);
}

std::vector<StrategyCriterion> borda(const StrategySpec& spec) {
  std::vector<StrategyCriterion> criteria;
  for (const auto& entry : spec.borda_criteria) criteria.push_back(borda_entry(entry));
  return criteria;
}

// ---- How each strategy selects. ----

StrategyResult scored_by(std::string name, Direction direction) {
  StrategyResult result;
  result.score_name = std::move(name);
  result.score_direction = direction;
  return result;
}

/// The top `wanted` of @p scores (one per position) over every rank, in @p result.score_direction.
template <typename Score>
StrategyResult top_scored(const StrategyInputs& inputs, StrategyResult result, const std::vector<Score>& scores) {
  result.picked = top_across_ranks(scores.data(), result.score_direction, inputs.pool, inputs.wanted, inputs.group);
  return result;
}

/// Rank by a uniform in (0, 1) per image: independent of the pool's split and order.
StrategyResult select_random(const StrategyInputs& inputs) {
  auto result = scored_by("uniform", ranked_direction(Direction::descending, inputs.spec.reverse));
  std::vector<double> scores(static_cast<std::size_t>(inputs.pool.n));
  const kernels::RandomKey key{inputs.spec.seed, inputs.spec.round, kernels::RandomStream::uniform_scores};
  kernels::counter_uniforms(key, inputs.pool.global_index, inputs.pool.n, scores.data(), kCpu);
  return top_scored(inputs, std::move(result), scores);
}

/// One criterion, top-B (top-X for hitl-entropy).
StrategyResult select_top_criterion(const StrategyInputs& inputs) {
  return top_scored(inputs, scored_by(inputs.criteria[0].name, inputs.ranked[0]), inputs.values[0]);
}

/// IDEAL eq. 2: argmin of the sum of per-criterion ranks (--reverse flips each criterion).
/// One process ranks with the ranking kernels; several count ranks across their blocks.
StrategyResult select_borda(const StrategyInputs& inputs) {
  auto result = scored_by("borda_sum", Direction::ascending);
  std::vector<double> sums(static_cast<std::size_t>(inputs.pool.n), 0.0);
  if (inputs.group.size() == 1) {
    std::vector<kernels::BordaCriterion> borda;
    for (std::size_t c = 0; c < inputs.values.size(); ++c) borda.push_back({inputs.values[c].data(), inputs.ranked[c]});
    kernels::borda_sums(borda, inputs.pool, sums.data(), kCpu);
  } else {
    std::vector<double> ranks(sums.size());
    for (std::size_t c = 0; c < inputs.values.size(); ++c) {
      rank_across_ranks(inputs.values[c].data(), inputs.ranked[c], inputs.pool, ranks.data(), inputs.group);
      for (std::size_t p = 0; p < sums.size(); ++p) sums[p] += ranks[p];
    }
  }
  return top_scored(inputs, std::move(result), sums);
}

/// EG-AL: (1 − λ)·H + λ·(1 − Dice); a term of weight 0 is not read (see eg_al above).
StrategyResult select_eg_al(const StrategyInputs& inputs) {
  auto result = scored_by("eg_al_score", ranked_direction(Direction::descending, inputs.spec.reverse));
  const double lambda = inputs.spec.lambda;
  std::vector<double> scores(static_cast<std::size_t>(inputs.pool.n), 0.0);
  std::size_t column = 0;
  if (lambda < 1.0) {
    for (std::size_t p = 0; p < scores.size(); ++p) {
      scores[p] += (1.0 - lambda) * static_cast<double>(inputs.values[column][p]);
    }
    ++column;
  }
  if (lambda > 0.0) {
    for (std::size_t p = 0; p < scores.size(); ++p) {
      scores[p] += lambda * (1.0 - static_cast<double>(inputs.values[column][p]));
    }
  }
  return top_scored(inputs, std::move(result), scores);
}

/// ACFT's randomised draw among the top ω·B; the draw favours large scores, so --reverse
/// draws on the negated score (NaN stays NaN). The draw needs only the top ω·B, so every
/// rank gathers them and draws the same.
StrategyResult select_acft(const StrategyInputs& inputs) {
  auto result = scored_by(inputs.criteria[0].name, inputs.ranked[0]);
  auto drawn_on = inputs.values[0];
  if (inputs.spec.reverse) {
    for (auto& value : drawn_on) value = -value;
  }
  const kernels::AcftDrawConfig config{inputs.wanted, inputs.spec.omega, inputs.spec.seed, inputs.spec.round};
  auto kept = top_across_ranks(drawn_on.data(), Direction::descending, inputs.pool,
                               inputs.wanted * inputs.spec.omega, inputs.group);
  std::sort(kept.begin(), kept.end(), [](const Pick& a, const Pick& b) { return a.global_index < b.global_index; });
  std::vector<float> kept_scores;
  std::vector<std::int64_t> kept_index;
  for (const auto& pick : kept) {
    kept_scores.push_back(static_cast<float>(pick.score));
    kept_index.push_back(pick.global_index);
  }
  const kernels::PoolView shortlist{static_cast<std::int64_t>(kept.size()), nullptr, kept_index.data()};
  std::vector<std::int64_t> drawn(kept.size());
  drawn.resize(static_cast<std::size_t>(
      kernels::acft_randomized_draw(kept_scores.data(), shortlist, config, drawn.data(), kCpu)));
  for (const auto position : drawn) {
    const auto& pick = kept[static_cast<std::size_t>(position)];
    result.picked.push_back({pick.global_index, inputs.spec.reverse ? -pick.score : pick.score});
  }
  return result;
}

/// k-center picks as a strategy's result: each pick scored by its coreset distance.
StrategyResult k_center_result(const KCenterPicks& picks) {
  StrategyResult result;
  result.score_name = "coreset_distance";
  for (std::size_t k = 0; k < picks.picked.size(); ++k) result.picked.push_back({picks.picked[k], picks.distances[k]});
  return result;
}

/// CoreSet: k-center greedy over the embeddings from the labeled images (k_center.h). The
/// score is each pick's distance to its nearest center when picked.
StrategyResult select_coreset(const StrategyInputs& inputs) {
  SALIENT_CHECK(!inputs.spec.reverse, "strategy 'coreset' has no least-informative order: --reverse does not apply");
  const auto n = static_cast<std::size_t>(inputs.pool.n);
  std::vector<std::uint8_t> eligible(n);
  for (std::size_t p = 0; p < n; ++p) eligible[p] = inputs.pool.labeled[p] == 0 ? 1 : 0;
  return k_center_result(k_center_greedy(inputs.embeddings, inputs.centers, eligible, inputs.wanted,
                                         inputs.pool.global_index, inputs.group));
}

/// The spec of the strategy diverse:<inner> thins: the same parameters, its own strategy.
StrategySpec inner_spec(const StrategySpec& spec) {
  StrategySpec inner = spec;
  inner.strategy = spec.inner;
  return inner;
}

std::vector<StrategyCriterion> diverse_criteria(const StrategySpec& spec) {
  return descriptor_of(spec.inner).criteria(inner_spec(spec));
}

/// @p inputs asking for @p wanted candidates under @p spec.
StrategyInputs with_wanted(const StrategyInputs& inputs, const StrategySpec& spec, std::int64_t wanted) {
  return {spec,          inputs.criteria,      inputs.values,      inputs.ranked,   inputs.pool,
          wanted,        inputs.embeddings,    inputs.probabilities, inputs.multi_label, inputs.clusters,
          inputs.forest, inputs.centers,       inputs.group};
}

/// diverse:<inner>: the inner strategy's top m·B candidates, thinned to B by k-center greedy
/// from the labeled images, so that a batch of top-scored images is not B near-copies; the
/// score is each pick's coreset distance.
StrategyResult select_diverse(const StrategyInputs& inputs) {
  const auto spec = inner_spec(inputs.spec);
  const auto shortlist = descriptor_of(spec.strategy)
                             .select(with_wanted(inputs, spec, inputs.wanted * inputs.spec.diversity_factor));
  std::set<std::int64_t> listed;
  for (const auto& pick : shortlist.picked) listed.insert(pick.global_index);
  const auto n = static_cast<std::size_t>(inputs.pool.n);
  std::vector<std::uint8_t> eligible(n, 0);
  for (std::size_t p = 0; p < n; ++p) eligible[p] = listed.count(inputs.pool.global_index[p]) != 0 ? 1 : 0;
  return k_center_result(k_center_greedy(inputs.embeddings, inputs.centers, eligible, inputs.wanted,
                                         inputs.pool.global_index, inputs.group));
}

/// BADGE (badge.h): k-means++ seeding on the gradient embeddings of the unlabeled candidates;
/// the score is ‖g‖ for the first pick, then each pick's distance D when drawn.
StrategyResult select_badge(const StrategyInputs& inputs) {
  SALIENT_CHECK(!inputs.spec.reverse, "strategy 'badge' has no least-informative order: --reverse does not apply");
  SALIENT_CHECK(inputs.probabilities.dim > 0,
                "strategy 'badge' forms gradient embeddings from each image's class probabilities, and the round's "
                "tables have none: score it again (scoring.embeddings auto or fp16 stores both)");
  const auto n = static_cast<std::size_t>(inputs.pool.n);
  std::vector<std::uint8_t> eligible(n);
  for (std::size_t p = 0; p < n; ++p) eligible[p] = inputs.pool.labeled[p] == 0 ? 1 : 0;
  const BadgeInputs badge{inputs.embeddings, inputs.probabilities, inputs.multi_label, inputs.spec.seed,
                          inputs.spec.round};
  auto result =
      k_center_result(badge_seeding(badge, eligible, inputs.wanted, inputs.pool.global_index, inputs.group));
  result.score_name = "badge_distance";
  return result;
}

/// Cluster-Margin (cluster_margin.h): the m·B smallest margins, picked round-robin over the
/// clusters of the pool's embeddings (given per study, else formed here from the table).
StrategyResult select_cluster_margin(const StrategyInputs& inputs) {
  auto result =
      select_top_criterion(with_wanted(inputs, inputs.spec, inputs.wanted * inputs.spec.diversity_factor));
  const auto n = static_cast<std::size_t>(inputs.pool.n);
  const std::vector<std::int64_t> global_index(inputs.pool.global_index, inputs.pool.global_index + n);
  const auto clusters = inputs.clusters.empty()
                            ? cluster_embeddings(inputs.embeddings, global_index, inputs.spec.clusters,
                                                 inputs.spec.cluster_sample, inputs.spec.seed, inputs.group)
                            : inputs.clusters;
  // Each shortlisted candidate's cluster, from the rank that holds it.
  std::vector<std::int64_t> mine;
  for (const auto& pick : result.picked) {
    const auto found = std::lower_bound(global_index.begin(), global_index.end(), pick.global_index);
    if (found != global_index.end() && *found == pick.global_index)
      mine.insert(mine.end(), {pick.global_index, clusters[static_cast<std::size_t>(found - global_index.begin())]});
  }
  std::map<std::int64_t, std::int32_t> cluster_of;
  const auto all = all_gather_values(inputs.group, mine);
  for (std::size_t k = 0; k + 1 < all.size(); k += 2) cluster_of[all[k]] = static_cast<std::int32_t>(all[k + 1]);
  std::vector<std::int32_t> listed_clusters;
  std::vector<std::int64_t> positions;
  for (std::size_t k = 0; k < result.picked.size(); ++k) {
    listed_clusters.push_back(cluster_of.at(result.picked[k].global_index));
    positions.push_back(static_cast<std::int64_t>(k));
  }
  const auto shortlist = std::move(result.picked);
  result.picked.clear();
  for (const auto k : round_robin_over_clusters(positions, listed_clusters, inputs.wanted))
    result.picked.push_back(shortlist[static_cast<std::size_t>(k)]);
  return result;
}

std::vector<StrategyDescriptor> make_table() {
  return {
      {Strategy::random, "random", {}, false, no_criteria, select_random},
      {Strategy::entropy, "entropy", {}, false, entropy, select_top_criterion},
      {Strategy::margin, "margin", {}, false, margin, select_top_criterion},
      {Strategy::least_confidence, "least-confidence", {}, false, least_confidence, select_top_criterion},
      {Strategy::mc_variance, "mc-variance", {}, false, mc_variance, select_top_criterion},
      {Strategy::bald, "bald", {}, false, bald, select_top_criterion},
      {Strategy::ideal_kurtosis, "ideal-kurtosis", {}, false, ideal_kurtosis, select_top_criterion},
      {Strategy::ideal_firstorder, "ideal-firstorder", {}, false, ideal_firstorder, select_borda},
      {Strategy::ideal_glcm, "ideal-glcm", {}, false, ideal_glcm, select_borda},
      {Strategy::ideal_shape, "ideal-shape", {}, false, ideal_shape, select_borda},
      {Strategy::eg_al, "eg-al", {"lambda"}, false, eg_al, select_eg_al},
      {Strategy::acft, "acft", {"alpha", "omega", "criterion"}, false, acft, select_acft},
      {Strategy::hitl_entropy, "hitl-entropy", {"x"}, false, entropy, select_top_criterion},
      {Strategy::borda, "borda", {"criteria"}, false, borda, select_borda},
      {Strategy::coreset, "coreset", {}, true, no_criteria, select_coreset},
      {Strategy::diverse, "diverse", {"m"}, true, diverse_criteria, select_diverse},
      {Strategy::badge, "badge", {}, true, no_criteria, select_badge},
      {Strategy::cluster_margin, "cluster-margin", {"m", "clusters", "sample"}, true, margin, select_cluster_margin},
      {Strategy::ideal_deep,
       "ideal-deep",
       {"k", "latent", "map_size", "ae_epochs", "ae_every", "ae_sample", "trees", "forest_alpha", "forest_beta",
        "forest_lambda", "gain_seeds", "gain_epochs", "gain_replay"},
       false,
       deep_code_criteria,
       select_ideal_deep},
  };
}

}  // namespace

kernels::Direction ranked_direction(kernels::Direction direction, bool reverse) {
  if (!reverse) return direction;
  return direction == Direction::descending ? Direction::ascending : Direction::descending;
}

const std::vector<StrategyDescriptor>& strategy_table() {
  static const std::vector<StrategyDescriptor> table = make_table();
  return table;
}

const StrategyDescriptor& descriptor_of(Strategy strategy) {
  const auto& table = strategy_table();
  const auto found = std::find_if(table.begin(), table.end(),
                                  [&](const StrategyDescriptor& d) { return d.strategy == strategy; });
  SALIENT_ASSERT(found != table.end());
  return *found;
}

}  // namespace salient::selection
