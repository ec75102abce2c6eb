// A selection strategy by name, with its parameters (issue 8 "Strategies"; docs/formulas.md
// "Strategies"): how the criteria of the unlabeled candidates become the batch that experts
// label next. The same names and parameter keys are used in a study's TOML and on the
// command line.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/runtime/field_table.h"

namespace salient::selection {

enum class Strategy {
  random,            ///< uniform score per image from (seed, round, global index)
  entropy,           ///< top-B predictive entropy
  margin,            ///< top-B smallest margin
  least_confidence,  ///< top-B least confidence
  mc_variance,       ///< top-B MC-dropout variance (IDEAL's uncertainty baseline)
  bald,              ///< top-B BALD
  ideal_kurtosis,    ///< top-B IDEAL histogram kurtosis of the saliency map
  ideal_firstorder,  ///< Borda count over IDEAL Table I's first-order features
  ideal_glcm,        ///< Borda count over IDEAL Table I's GLCM features
  ideal_shape,       ///< Borda count over IDEAL Table I's shape2D features
  eg_al,             ///< EG-AL composite (1 − λ)·H + λ·(1 − Dice)
  acft,              ///< ACFT randomised draw from the top ω·B of a patch criterion
  hitl_entropy,      ///< HITL: top-X entropy, shown to the expert for feedback
  borda,             ///< Borda count over any list of criteria
  coreset,           ///< CoreSet: k-center greedy over the embeddings from the labeled images
  diverse,           ///< diverse:<strategy>: that strategy's top m·B thinned to B by k-center greedy
  badge,             ///< BADGE: k-means++ seeding on gradient embeddings (p − ŷ) ⊗ h
  cluster_margin,    ///< Cluster-Margin: the m·B smallest margins, round-robin over embedding clusters
  ideal_deep,        ///< IDEAL's deep saliency features: cluster representatives, then the forest's levels
};

/// Which ACFT patch criterion the acft strategy draws on (ACFT eq. 2 with λ1, λ2 on/off).
enum class AcftCriterion {
  entropy,            ///< acft_entropy (λ2 = 0)
  diversity,          ///< acft_diversity (λ1 = 0)
  entropy_diversity,  ///< acft_score = λ1·e + λ2·d, weighted when the patches were scored
};

struct StrategySpec {
  Strategy strategy = Strategy::random;
  std::int64_t budget = 0;  ///< B ≥ 1: how many candidates to select
  bool reverse = false;     ///< select the least informative instead (IDEAL's ablation)
  std::uint64_t seed = 0;   ///< keys random and acft draws, with round and global index
  std::uint32_t round = 0;
  double lambda = 0.5;  ///< eg-al: weight of the misalignment, in [0, 1]
  double alpha = 0.25;  ///< acft: majority fraction in (0, 1], used when the patches are scored
  std::int64_t omega = 5;  ///< acft: random extension ω ≥ 1, the draw is among the top ω·B
  AcftCriterion acft_criterion = AcftCriterion::entropy_diversity;
  /// borda: the criteria, each "name" (direction from the criterion registries) or
  /// "name:ascending" / "name:descending" (any column of the table).
  std::vector<std::string> borda_criteria;
  /// hitl-entropy: X, the number of images shown for feedback; 0 = the budget.
  std::int64_t feedback_count = 0;
  /// diverse: the strategy whose top candidates are thinned (any but coreset and diverse).
  Strategy inner = Strategy::entropy;
  /// diverse, cluster-margin: m, the top m·B candidates are thinned to B.
  std::int64_t diversity_factor = 4;
  /// cluster-margin: clusters of the pool's embeddings, and the sample they are formed on.
  std::int64_t clusters = 50;
  std::int64_t cluster_sample = 2000;
  /// ideal-deep (IDEAL Algorithm 2; docs/formulas.md "ideal-deep"): K clusters and
  /// informativeness levels; the saliency autoencoder's code size, map size, epochs, the
  /// rounds between retrainings and the maps it trains on; the on-line forest's trees, α, β and
  /// λ; and the ΔAUC measurement's seeds, epochs and replayed labels.
  std::int64_t levels = 10;
  std::int64_t latent = 32;
  std::int64_t map_size = 32;
  std::int64_t autoencoder_epochs = 20;
  std::int64_t autoencoder_every = 0;  ///< 0: trained once, in the first ideal-deep round
  std::int64_t autoencoder_sample = 2048;
  std::int64_t trees = 50;
  std::int64_t forest_alpha = 20;
  double forest_beta = 0.05;
  double forest_lambda = 1.0;
  std::int64_t gain_seeds = 3;
  std::int64_t gain_epochs = 5;
  std::int64_t gain_replay = 31;
};

/// "random", "entropy", "margin", "least-confidence", "mc-variance", "bald",
/// "ideal-kurtosis", "ideal-firstorder", "ideal-glcm", "ideal-shape", "eg-al", "acft",
/// "hitl-entropy", "borda", "coreset", "diverse", "badge", "cluster-margin", "ideal-deep".
std::string strategy_name(Strategy strategy);

/// The name a spec is given by: strategy_name, or "diverse:<inner>" (e.g. "diverse:eg-al").
std::string strategy_label(const StrategySpec& spec);
/// Every strategy, in the order of the enum (for help texts, docs and tests).
std::vector<Strategy> all_strategies();
/// The strategy named @p name ("diverse:<strategy>" is diverse); throws salient::Error
/// naming it and listing the known ones.
Strategy parse_strategy(const std::string& name);

/// The parameter keys the strategy named @p name takes beyond budget, reverse, seed and
/// round (diverse:<strategy>: m and the inner strategy's).
std::vector<std::string> strategy_keys(const std::string& name);

/// "entropy", "diversity", "entropy+diversity".
std::string acft_criterion_name(AcftCriterion criterion);
AcftCriterion parse_acft_criterion(const std::string& name);

/// A validated spec from a strategy name and "key" → "value" parameters, as a TOML table or
/// `--strategy-param key=value` gives them. Keys: budget, reverse (true|false), seed, round,
/// and per strategy lambda (eg-al); alpha, omega, criterion (acft); criteria
/// (borda, comma-separated); x (hitl-entropy); m (diverse, cluster-margin); clusters, sample
/// (cluster-margin); k, latent, map_size, ae_epochs, ae_every, ae_sample, trees, forest_alpha,
/// forest_beta, forest_lambda, gain_seeds, gain_epochs, gain_replay (ideal-deep). Throws
/// salient::Error naming an unknown strategy, an unknown key, a key that does not apply to the
/// strategy, or a bad value.
StrategySpec parse_strategy_spec(const std::string& name, const std::map<std::string, std::string>& parameters);

/// The parameters parse_strategy_spec reads, each a field of StrategySpec: budget, reverse,
/// seed, round (every strategy) and lambda, alpha, omega, criterion, criteria, x (the
/// strategies whose descriptor lists them).
const runtime::FieldTable<StrategySpec>& strategy_parameters();

/// Throws salient::Error naming the first parameter of @p spec that is out of range.
void validate_strategy_spec(const StrategySpec& spec);

/// How many candidates @p spec selects at most: X for hitl-entropy when given, else B.
std::int64_t selection_size(const StrategySpec& spec);

}  // namespace salient::selection
