#include "engine/selection/strategy_spec.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/runtime/field_text.h"
#include "engine/selection/strategy_table.h"
#include "salient/check.h"

namespace salient::selection {
namespace {

/// The parameters every strategy takes; the others only where its descriptor lists them.
bool is_common(const std::string& key) {
  return key == "budget" || key == "reverse" || key == "seed" || key == "round";
}

constexpr std::string_view kDiversePrefix = "diverse:";

bool is_diverse_name(const std::string& name) { return name.rfind(kDiversePrefix, 0) == 0; }

/// The strategy a diverse:<name> thins; only those that rank candidates by their criteria.
Strategy inner_strategy(const std::string& name) {
  const auto inner_name = name.substr(kDiversePrefix.size());
  const Strategy inner = parse_strategy(inner_name);
  SALIENT_CHECK(inner != Strategy::coreset && inner != Strategy::diverse && inner != Strategy::ideal_deep,
                "strategy '{}': diverse thins the top candidates of a strategy that scores them, not of '{}'", name,
                inner_name);
  return inner;
}

}  // namespace

std::string strategy_name(Strategy strategy) { return descriptor_of(strategy).name; }

std::vector<Strategy> all_strategies() {
  std::vector<Strategy> strategies;
  for (const auto& descriptor : strategy_table()) strategies.push_back(descriptor.strategy);
  return strategies;
}

std::string strategy_label(const StrategySpec& spec) {
  if (spec.strategy != Strategy::diverse) return strategy_name(spec.strategy);
  return std::string(kDiversePrefix) + strategy_name(spec.inner);
}

Strategy parse_strategy(const std::string& name) {
  if (is_diverse_name(name)) {
    inner_strategy(name);
    return Strategy::diverse;
  }
  SALIENT_CHECK(name != strategy_name(Strategy::diverse),
                "strategy 'diverse' thins another strategy's top candidates: name it, e.g. diverse:eg-al");
  std::vector<std::string> known;
  for (const auto& descriptor : strategy_table()) {
    if (name == descriptor.name) return descriptor.strategy;
    known.emplace_back(descriptor.name);
  }
  SALIENT_CHECK(false, "unknown strategy '{}' (known: {})", name, fmt::join(known, ", "));
  return Strategy::random;
}

std::string acft_criterion_name(AcftCriterion criterion) {
  switch (criterion) {
    case AcftCriterion::entropy: return "entropy";
    case AcftCriterion::diversity: return "diversity";
    case AcftCriterion::entropy_diversity: return "entropy+diversity";
  }
  SALIENT_ASSERT(false);
  return {};
}

AcftCriterion parse_acft_criterion(const std::string& name) {
  for (const auto criterion : {AcftCriterion::entropy, AcftCriterion::diversity, AcftCriterion::entropy_diversity})
    if (name == acft_criterion_name(criterion)) return criterion;
  SALIENT_CHECK(false, "unknown ACFT criterion '{}' (known: entropy, diversity, entropy+diversity)", name);
  return AcftCriterion::entropy_diversity;
}

const runtime::FieldTable<StrategySpec>& strategy_parameters() {
  using S = StrategySpec;
  static const runtime::FieldTable<StrategySpec> table{
      runtime::field("budget", &S::budget, "B: images to select"),
      runtime::field("reverse", &S::reverse, "select the least informative instead (IDEAL's ablation)"),
      runtime::field("seed", &S::seed, "keys random and acft draws"),
      runtime::field("round", &S::round, "the active-learning round"),
      runtime::field("lambda", &S::lambda, "eg-al: weight of the misalignment (0.5)"),
      runtime::field("alpha", &S::alpha, "acft: majority fraction the patches were scored with"),
      runtime::field("omega", &S::omega, "acft: the draw is among the top omega * B (5)"),
      runtime::choice_field("criterion", &S::acft_criterion,
                            {{acft_criterion_name(AcftCriterion::entropy), AcftCriterion::entropy},
                             {acft_criterion_name(AcftCriterion::diversity), AcftCriterion::diversity},
                             {acft_criterion_name(AcftCriterion::entropy_diversity), AcftCriterion::entropy_diversity}},
                            "acft: the patch criterion drawn on"),
      runtime::field("criteria", &S::borda_criteria, "borda: criteria, each name or name:ascending|descending"),
      runtime::field("x", &S::feedback_count, "hitl-entropy: images shown for feedback (0 = the budget)"),
      runtime::field("m", &S::diversity_factor, "diverse, cluster-margin: the top m * B are thinned to B (4)"),
      runtime::field("clusters", &S::clusters, "cluster-margin: clusters of the pool's embeddings (50)"),
      runtime::field("sample", &S::cluster_sample, "cluster-margin: images the clusters are formed on (2000)"),
      runtime::field("k", &S::levels, "ideal-deep: clusters and informativeness levels (10)"),
      runtime::field("latent", &S::latent, "ideal-deep: the saliency autoencoder's code size (32)"),
      runtime::field("map_size", &S::map_size, "ideal-deep: maps are downsampled to map_size^2, a multiple of 8 (32)"),
      runtime::field("ae_epochs", &S::autoencoder_epochs, "ideal-deep: the autoencoder's training epochs (20)"),
      runtime::field("ae_every", &S::autoencoder_every,
                     "ideal-deep: retrain the autoencoder every this many rounds (0: once)"),
      runtime::field("ae_sample", &S::autoencoder_sample, "ideal-deep: pool maps the autoencoder trains on (2048)"),
      runtime::field("trees", &S::trees, "ideal-deep: trees of the on-line forest (50)"),
      runtime::field("forest_alpha", &S::forest_alpha, "ideal-deep: a leaf splits after more samples than this (20)"),
      runtime::field("forest_beta", &S::forest_beta, "ideal-deep: and on a Gini gain above this (0.05)"),
      runtime::field("forest_lambda", &S::forest_lambda, "ideal-deep: Poisson rate of on-line bagging (1)"),
      runtime::field("gain_seeds", &S::gain_seeds, "ideal-deep: seeds each representative's dAUC is averaged over (3)"),
      runtime::field("gain_epochs", &S::gain_epochs, "ideal-deep: epochs of each dAUC trial (5)"),
      runtime::field("gain_replay", &S::gain_replay, "ideal-deep: earlier labels trained beside a representative (31)"),
  };
  return table;
}

std::vector<std::string> strategy_keys(const std::string& name) {
  auto keys = descriptor_of(parse_strategy(name)).keys;
  if (is_diverse_name(name)) {
    const auto& inner = descriptor_of(inner_strategy(name)).keys;
    keys.insert(keys.end(), inner.begin(), inner.end());
  }
  return keys;
}

StrategySpec parse_strategy_spec(const std::string& name, const std::map<std::string, std::string>& parameters) {
  StrategySpec spec;
  spec.strategy = parse_strategy(name);
  if (spec.strategy == Strategy::diverse) spec.inner = inner_strategy(name);
  const auto specific = strategy_keys(name);
  for (const auto& [key, value] : parameters) {
    const auto* parameter = runtime::find_field(strategy_parameters(), key);
    SALIENT_CHECK(parameter != nullptr &&
                      (is_common(key) || std::find(specific.begin(), specific.end(), key) != specific.end()),
                  "strategy '{}': parameter '{}' is unknown or does not apply (common: budget, reverse, seed, round; "
                  "this strategy: {})",
                  name, key, specific.empty() ? std::string("none") : fmt::format("{}", fmt::join(specific, ", ")));
    try {
      runtime::set_from_text(*parameter, spec, value);
    } catch (const Error& error) {
      throw Error(fmt::format("strategy '{}': parameter '{}': {}", name, key, error.what()));
    }
  }
  validate_strategy_spec(spec);
  return spec;
}

void validate_strategy_spec(const StrategySpec& spec) {
  const auto name = strategy_label(spec);
  const Strategy ranked = spec.strategy == Strategy::diverse ? spec.inner : spec.strategy;
  SALIENT_CHECK(spec.strategy != Strategy::diverse || (ranked != Strategy::coreset && ranked != Strategy::diverse),
                "strategy '{}': diverse thins the top candidates of a strategy that scores them", name);
  SALIENT_CHECK(spec.diversity_factor >= 1, "strategy '{}': m must be >= 1, got {}", name, spec.diversity_factor);
  SALIENT_CHECK(spec.clusters >= 1 && spec.cluster_sample >= spec.clusters,
                "strategy '{}': needs 1 <= clusters <= sample, got clusters {} and sample {}", name, spec.clusters,
                spec.cluster_sample);
  SALIENT_CHECK(spec.budget >= 1 || (ranked == Strategy::hitl_entropy && spec.feedback_count >= 1),
                "strategy '{}': budget must be >= 1, got {}", name, spec.budget);
  SALIENT_CHECK(spec.lambda >= 0.0 && spec.lambda <= 1.0, "strategy '{}': lambda must lie in [0, 1], got {}", name,
                spec.lambda);
  SALIENT_CHECK(spec.alpha > 0.0 && spec.alpha <= 1.0, "strategy '{}': alpha must lie in (0, 1], got {}", name,
                spec.alpha);
  SALIENT_CHECK(spec.omega >= 1, "strategy '{}': omega must be >= 1, got {}", name, spec.omega);
  SALIENT_CHECK(spec.feedback_count >= 0, "strategy '{}': x must be >= 0, got {}", name, spec.feedback_count);
  SALIENT_CHECK(spec.levels >= 2 && spec.latent >= 1 && spec.map_size >= 8 && spec.map_size % 8 == 0,
                "strategy '{}': needs k >= 2, latent >= 1 and map_size a multiple of 8, got k {}, latent {}, "
                "map_size {}",
                name, spec.levels, spec.latent, spec.map_size);
  SALIENT_CHECK(spec.autoencoder_epochs >= 1 && spec.autoencoder_every >= 0 && spec.autoencoder_sample >= 1,
                "strategy '{}': ae_epochs and ae_sample must be >= 1, ae_every >= 0", name);
  SALIENT_CHECK(spec.trees >= 1 && spec.forest_alpha >= 1 && spec.forest_beta > 0.0 && spec.forest_lambda > 0.0,
                "strategy '{}': needs trees >= 1, forest_alpha >= 1, forest_beta > 0 and forest_lambda > 0", name);
  SALIENT_CHECK(spec.gain_seeds >= 1 && spec.gain_epochs >= 1 && spec.gain_replay >= 0,
                "strategy '{}': needs gain_seeds >= 1, gain_epochs >= 1 and gain_replay >= 0", name);
  SALIENT_CHECK(spec.strategy != Strategy::borda || !spec.borda_criteria.empty(),
                "strategy 'borda' needs a list of criteria (parameter 'criteria')");
}

std::int64_t selection_size(const StrategySpec& spec) {
  const Strategy ranked = spec.strategy == Strategy::diverse ? spec.inner : spec.strategy;
  if (ranked == Strategy::hitl_entropy && spec.feedback_count > 0) return spec.feedback_count;
  return spec.budget;
}

}  // namespace salient::selection
