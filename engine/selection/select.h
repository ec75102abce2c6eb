// Applies a strategy to the criteria of a pool: excludes the labeled candidates, ranks the
// rest with the ranking kernels (CPU twin) and returns the ordered selection
// (docs/formulas.md "Strategies"). The result depends on the candidates' values, ids and
// global indices only, not on the table's row order or on how many ranks hold it:
// rows are put in ascending global-index order first, ties go to the lower global index,
// and every random number comes from counter_random keyed by (seed, round, global index).
// NaN criteria rank after every number and are counted per criterion.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "engine/selection/criteria_table.h"
#include "engine/selection/rank_group.h"
#include "engine/selection/strategy_spec.h"
#include "salient/kernels/criterion.h"

namespace salient::selection {

struct CriterionUse {
  std::string name;                ///< column of the criteria table
  kernels::Direction direction;    ///< as ranked, i.e. flipped by --reverse
  std::int64_t nan_count = 0;      ///< unlabeled candidates whose value is NaN (ranked last)
};

struct SelectedCandidate {
  std::int64_t position = 0;      ///< 1 = selected first
  std::int64_t global_index = 0;
  std::string id;
  double score = 0.0;             ///< the strategy's score (Selection::score_name)
  std::vector<float> criteria;    ///< values of Selection::criteria, in that order
};

struct Selection {
  Strategy strategy = Strategy::random;
  std::string label;  ///< strategy_label: "eg-al", "diverse:eg-al"
  /// What SelectedCandidate::score holds: the criterion's name for single-criterion and
  /// acft strategies, "borda_sum", "eg_al_score" or "uniform".
  std::string score_name;
  kernels::Direction score_direction = kernels::Direction::descending;  ///< as ranked
  std::vector<CriterionUse> criteria;
  std::int64_t candidates = 0;  ///< rows of the table
  std::int64_t labeled = 0;     ///< of which were excluded as labeled
  std::vector<SelectedCandidate> selected;  ///< min(selection_size, unlabeled), best first
};

/// The selection of @p spec among the candidates of @p table whose id is in neither
/// @p labeled_ids nor @p held_out_ids (ids there that the table lacks are ignored). The
/// labeled ones are what the model has learnt from (coreset's first centers); held-out ones
/// (the validation split) are only left out. Throws salient::Error for an invalid spec, or a
/// column or the embeddings the strategy needs that the table lacks, naming it.
/// Across the ranks of @p group, each passes the table of its own block of global indices
/// (above the previous rank's), every rank calls it together, and every rank gets the
/// selection one process would make from all the blocks' rows (strategy_table.h).
Selection select(const CriteriaTable& table, const StrategySpec& spec, const std::set<std::string>& labeled_ids,
                 const std::set<std::string>& held_out_ids = {}, RankGroup& group = single_process());

}  // namespace salient::selection
