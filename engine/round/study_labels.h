// The labels of a study (labels.csv, DESIGN.md "Work directory of a study") and how they
// are acquired: from the pool's own labels in simulation (the oracle), or from an
// annotator's CSV in human-in-the-loop mode. Every row records the round that selected the
// image, so a rerun sees which rounds are labeled: labels are added once per round and the
// file is replaced atomically, never appended to in place.
//
// The validation split (training/validation_split.h) is written once as validation.csv
// (id,index); selection leaves those images out, and no label may name one of them.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "engine/round/study_config.h"
#include "salient/io/labels_csv.h"
#include "salient/io/pool.h"

namespace salient::round {


/// labels.csv, or an empty table with the pool's label names when the study has none yet.
io::LabelTable read_study_labels(const std::string& study_dir, const io::PoolManifest& manifest);

struct SelectedImage {
  std::string id;
  std::int64_t index = 0;  ///< global index in the pool
};
/// The images of a selection CSV (rounds/RRR/selection.csv), best first.
std::vector<SelectedImage> read_selection_csv(const std::string& path);

/// Simulation: adds the pool's labels of round @p round's selection to labels.csv (source
/// "oracle"). Returns the rows added: none when that round is labeled already.
std::int64_t acquire_oracle_labels(const std::string& study_dir, const io::Pool& pool, std::uint32_t round);

struct LabelImport {
  std::uint32_t round = 0;
  std::int64_t added = 0;
  std::int64_t awaited = 0;  ///< images of the round's selection still without a label
};
/// Human-in-the-loop: adds an annotator's CSV (a header with `id` and every label column of
/// the pool, in any order, optionally `source`; cells 1, 0, −1 or empty) to labels.csv as
/// the labels of the latest selected round that is not fully labeled. Throws salient::Error,
/// naming the file, line and id and adding nothing, for an id outside that selection, an id
/// labeled already, a repeated id, or a bad cell.
LabelImport import_labels(const std::string& study_dir, const io::Pool& pool, const std::string& csv_path);

struct LabelReplacement {
  std::int64_t replaced = 0;  ///< rows of labels.csv given the CSV's labels
  std::int64_t repaired = 0;  ///< cells among them that were not labels
};
/// Corrects labels already acquired: the rows of labels.csv named by an annotator's CSV
/// (as for import_labels) get its labels and source, keeping their round. This is also the
/// repair of a labels.csv holding a cell that is not a label (which every other command
/// refuses): every such cell's row must be replaced. Throws salient::Error, writing nothing,
/// for an id without a label, a repeated id, a bad cell in the CSV, or a bad cell of
/// labels.csv left as it is. Models already fine-tuned keep what they learned; later rounds
/// use the new labels.
LabelReplacement replace_labels(const std::string& study_dir, const io::Pool& pool, const std::string& csv_path);

/// The first round whose selection is not fully labeled; throws salient::Error when every
/// selected round is.
std::uint32_t awaiting_round(const std::string& study_dir, const io::PoolManifest& manifest);

/// Ids of round @p round's selection without a label yet.
std::vector<std::string> awaited_ids(const std::string& study_dir, const io::PoolManifest& manifest,
                                     std::uint32_t round);

/// The study's validation split: validation.csv when it exists (checked against the pool),
/// else the split of @p config's training.validation_* keys and scoring.seed, written
/// there. Called by one rank. Ascending global indices.
std::vector<std::int64_t> study_validation_split(const std::string& study_dir, const io::Pool& pool,
                                                 const StudyConfig& config);

/// Ids listed in validation.csv (empty when the study has none).
std::vector<std::string> validation_ids(const std::string& study_dir);

/// Ids no strategy may select: the images of @p labels (the study's labels.csv) and the
/// validation split.
std::set<std::string> unselectable_ids(const std::string& study_dir, const io::LabelTable& labels);

/// Images of @p pool that a strategy may still select (none: the pool is exhausted).
std::int64_t selectable_images(const std::string& study_dir, const io::Pool& pool);

}  // namespace salient::round
