// The table of selection strategies: one descriptor per strategy with its name, the
// parameters it takes beyond budget, reverse, seed and round, the criteria (score-table
// columns) it reads for a spec, and how it turns their values into the selected candidates.
// Names, parameter checks, `salient score`'s criteria and select() all read this table, so a
// strategy is one entry in strategy_table.cpp (docs/formulas.md "Strategies").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/selection/across_ranks.h"
#include "engine/selection/k_center.h"
#include "engine/selection/online_forest.h"
#include "engine/selection/rank_group.h"
#include "engine/selection/strategy_criteria.h"
#include "engine/selection/strategy_spec.h"
#include "salient/kernels/ranking.h"

namespace salient::selection {

/// This rank's unlabeled and labeled candidates in ascending global-index order, and the
/// values of the strategy's criteria at each position; the other ranks of @p group hold the
/// rest of the pool, each a block of higher global indices than the rank before.
struct StrategyInputs {
  const StrategySpec& spec;
  const std::vector<StrategyCriterion>& criteria;  ///< strategy_criteria(spec)
  const std::vector<std::vector<float>>& values;   ///< per criterion, one value per position
  const std::vector<kernels::Direction>& ranked;   ///< each criterion's direction after --reverse
  kernels::PoolView pool;
  std::int64_t wanted;  ///< selection_size(spec)
  /// Each position's embedding, and class probabilities when the table has them, for the
  /// strategies that read_embeddings (else dim 0).
  EmbeddingRows embeddings;
  EmbeddingRows probabilities;
  bool multi_label;  ///< the probabilities are C sigmoids, else a softmax
  /// Per position: cluster-margin's cluster (CriteriaTable::clusters), or empty.
  const std::vector<std::int32_t>& clusters;
  /// ideal-deep's forest from the study's earlier rounds (CriteriaTable::forest), or nullptr.
  const OnlineForest* forest;
  /// Per position: labeled (not held out), the images the model has learnt from.
  const std::vector<std::uint8_t>& centers;
  RankGroup& group;  ///< every rank calls the strategy together
};

/// What a strategy reports and selects, the same on every rank.
struct StrategyResult {
  std::string score_name;  ///< what each pick's score is
  kernels::Direction score_direction = kernels::Direction::descending;
  std::vector<Pick> picked;  ///< best first, over every rank
};

struct StrategyDescriptor {
  Strategy strategy;
  const char* name;               ///< in salient.toml and on the command line
  std::vector<std::string> keys;  ///< its own parameters (StrategySpec fields)
  bool reads_embeddings;          ///< measures distances between the candidates' embeddings
  /// The criteria it reads for @p spec, in the order they are reported.
  std::vector<StrategyCriterion> (*criteria)(const StrategySpec& spec);
  /// The selected candidates, best first, among the unlabeled of every rank.
  StrategyResult (*select)(const StrategyInputs& inputs);
};

/// @p direction as ranked: flipped by --reverse (IDEAL's least-informative ablation).
kernels::Direction ranked_direction(kernels::Direction direction, bool reverse);

/// Every strategy, in the order of the Strategy enum.
const std::vector<StrategyDescriptor>& strategy_table();

/// The descriptor of @p strategy.
const StrategyDescriptor& descriptor_of(Strategy strategy);

}  // namespace salient::selection
