// Score tables: the criteria of one round for the images of one shard, one HDF5 file per
// shard and round (rounds/RRR/scores/shard-SSSSS.h5), written atomically so a file that
// exists is complete: a restarted job recomputes only the shards without one.
//   index          [n] int64   global image index
//   ids            [n] string
//   criteria/NAME  [n] float64 one dataset per criterion, named as the criterion
//   reasons/NAME   [n] uint8   why a value is NaN (0 where it is defined)
//   reason_names   [k] string  text of each reason code
//   embeddings     [n, d] float16 or float32, optional: each image's embedding (the model
//                  trunk's pooled features), row i of image index[i]
//   probabilities  [n, C] float32, with the embeddings: each image's class probabilities;
//                  root attribute probability_kind = "multi-label" (C sigmoids) or
//                  "multi-class" (a softmax)
//   root attributes: format = "salient-scores", round, shard (int64), and the table's own
//   string attributes (what request produced the scores).
// A shard whose rows fall to two ranks is written as part files, one per rank's rows
// (shard-SSSSS.rows-FFFFFF-EEEEEE.h5, same format), merged into the shard's table once
// parts cover it. Files are byte-for-byte reproducible: the same table gives the same
// bytes, and a merged table the bytes of the table written whole.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace salient::io {

struct ScoreColumn {
  std::string name;
  std::vector<double> values;
  std::vector<std::uint8_t> reasons;  ///< same length as values; 0 where the value is defined
};

/// A vector per image, row-major: values[i · dim + j] is element j of the table's image i.
struct FeatureRows {
  std::int64_t dim = 0;  ///< 0: the table has none
  bool half = true;      ///< stored as float16 (values are rounded to it when written), else float32
  std::vector<float> values;

  bool operator==(const FeatureRows& other) const {
    return dim == other.dim && half == other.half && values == other.values;
  }
};

struct ScoreTable {
  std::int64_t round = 0;
  std::int64_t shard = 0;
  std::vector<std::int64_t> indices;
  std::vector<std::string> ids;
  std::vector<ScoreColumn> columns;
  std::vector<std::string> reason_names;  ///< reason_names[code]; code 0 = "defined"
  FeatureRows embeddings;
  FeatureRows probabilities{0, false, {}};  ///< float32, stored with the embeddings
  std::string probability_kind;  ///< "multi-label" or "multi-class" when probabilities.dim > 0
  /// Root string attributes, e.g. a digest of the scoring request, so that a restarted job
  /// can tell whether a file answers its request. "format", "round" and "shard" are taken.
  std::map<std::string, std::string> attributes;
};

/// Writes @p table atomically, columns in name order (so their order in @p table does not
/// change the bytes); checks that every column has one value per image and that NaN
/// values, and only they, carry a reason, and that embeddings and probabilities have one
/// row per image.
void write_score_table(const std::string& path, const ScoreTable& table);
/// What read_score_table reads besides index, ids and reason names: by default everything.
/// Selection reads only what its strategy uses (a few of ~100 criteria, no embeddings for a
/// score strategy), so that rank 0 does not hold every column of every image.
struct ScoreTableSubset {
  std::optional<std::vector<std::string>> criteria;  ///< these columns only; nullopt: all
  bool embeddings = true;                             ///< embeddings and probabilities
};

/// Reads a score table or part file; columns come back in name order. A criterion that
/// @p subset names and the table lacks is an error naming the file and the criterion.
ScoreTable read_score_table(const std::string& path, const ScoreTableSubset& subset = {});
/// Only the table's own attributes (ScoreTable::attributes) of the file at @p path.
std::map<std::string, std::string> read_score_attributes(const std::string& path);

/// Shards of @p round that already have a complete score table, in increasing order
/// (part files and temporaries of interrupted writers are not complete tables).
std::vector<std::int64_t> scored_shards(const std::string& study_dir, std::int64_t round);

/// Shards of @p round that have part files, in increasing order.
std::vector<std::int64_t> shards_with_parts(const std::string& study_dir, std::int64_t round);

/// Part files of shard @p shard in @p round, by first row then end row.
std::vector<std::string> score_part_files(const std::string& study_dir, std::int64_t round, std::int64_t shard);

/// When some part files of shard @p shard whose own attributes (ScoreTable::attributes)
/// equal @p attributes tile its rows [0, shard_rows) exactly, merges them into the shard's
/// complete table, then removes every part file of the shard (those left out too) and
/// returns true. Parts with other attributes (another run's settings) are never merged.
/// Parts left by runs with other rank counts may overlap: the chain is found walking from
/// row 0, at each row trying the longest part that starts there first and the others when
/// it leads to a dead end. Returns false, touching nothing, when no chain tiles the shard.
/// Throws, naming both files, when two chosen parts differ in round, shard, criteria,
/// reason names, embedding or probability sizes and precision. Call it from one process per shard: another one's merge may remove the
/// parts this one is reading.
bool merge_score_parts(const std::string& study_dir, std::int64_t round, std::int64_t shard, std::int64_t shard_rows,
                       const std::map<std::string, std::string>& attributes);

/// Merges every score table of @p round (in shard order) into one CSV, written atomically:
/// index,id,<criterion>…,<criterion>_reason… (a reason cell is empty where the value is
/// defined). Returns the number of rows.
std::int64_t export_scores_csv(const std::string& study_dir, std::int64_t round, const std::string& csv_path);

}  // namespace salient::io
