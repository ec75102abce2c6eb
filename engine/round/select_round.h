// `salient select`: the round's score tables become the batch experts label next (DESIGN.md
// "Data flow of one round"): each rank of the job reads a contiguous run of the round's
// shards (one process reads them all), the ids already in the study's labels.csv and those
// of its validation split (validation.csv) are excluded, the strategy ranks the rest across
// the ranks (selection/select.h), and rank 0 writes the selection as rounds/RRR/selection.csv, with
// selection.json (strategy, parameters, counts) and selection-montage.png (the selected
// images with their saliency overlaid); in a human-mode study, also the review page's maps of
// the whole selection (rounds/RRR/review.h5, selection_maps.h). A round whose selection has labels already keeps
// it: selecting again into rounds/RRR/selection.csv is refused unless forced.
#pragma once

#include <cstdint>
#include <string>

#include "engine/round/study_config.h"
#include "engine/runtime/device.h"
#include "engine/selection/criteria_table.h"
#include "engine/selection/rank_group.h"
#include "engine/selection/select.h"
#include "salient/io/pool.h"

namespace salient::round {

struct SelectJob {
  StudyConfig config;  ///< pool, model and saliency (for the montage) and the strategy
  std::string study_dir;
  std::uint32_t round = 0;
  std::string csv_path;               ///< "" = rounds/RRR/selection.csv
  std::int64_t montage_count = 32;    ///< images shown in the montage, 0 = no montage
  runtime::DeviceChoice device = runtime::DeviceChoice::automatic;
  /// Replace the selection of a round that has labels: the round's labels count as
  /// unlabeled for the new selection, and those of images it leaves out are moved from
  /// labels.csv to rounds/RRR/labels-set-aside.csv.
  bool force = false;
};

struct SelectOutcome {
  selection::Selection selection;
  std::string csv_path;
  std::string json_path;
  std::string montage_path;  ///< "" when no montage was written
  std::string review_path;   ///< rounds/RRR/review.h5 of a human-mode round, else ""
  std::int64_t unscored_images = 0;  ///< images of unreadable shards, not candidates
  std::int64_t labels_set_aside = 0;  ///< with SelectJob::force
  std::string set_aside_path;         ///< where they went
};

/// Every rank of @p group calls it; rank 0 writes the files, and every rank returns the
/// selection (the paths only on rank 0).
SelectOutcome select_round(const SelectJob& job, selection::RankGroup& group = selection::single_process());

/// This rank's share of the round's score tables (a contiguous run of its scored shards; all
/// of them on one process) as one criteria table (float columns), holding what @p strategy
/// reads: its criteria, and the embeddings and probabilities of a strategy that measures
/// distances (selection::strategy_table). Throws salient::Error, on every rank alike, naming
/// the shards without a table, unless score-report.json lists them as unreadable (skipped
/// with --on-bad-image=skip), which @p unscored_images then counts, or a table that cannot
/// be read.
selection::CriteriaTable read_round_criteria(const std::string& study_dir, std::uint32_t round, const io::Pool& pool,
                                             const selection::StrategySpec& strategy, std::int64_t* unscored_images,
                                             selection::RankGroup& group = selection::single_process());

/// The montage file beside a selection CSV: selection.csv → selection-montage.png.
std::string montage_path_for(const std::string& csv_path);

}  // namespace salient::round
