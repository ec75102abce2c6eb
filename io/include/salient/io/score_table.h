// Score tables: the criteria of one round for the images of one shard, one HDF5 file per
// shard and round (rounds/RRR/scores/shard-SSSSS.h5), written atomically so a file that
// exists is complete: a restarted job recomputes only the shards without one.
//   index          [n] int64   global image index
//   ids            [n] string
//   criteria/NAME  [n] float64 one dataset per criterion, named as the criterion
//   reasons/NAME   [n] uint8   why a value is NaN (0 where it is defined)
//   reason_names   [k] string  text of each reason code
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace salient::io {

struct ScoreColumn {
  std::string name;
  std::vector<double> values;
  std::vector<std::uint8_t> reasons;  ///< same length as values; 0 where the value is defined
};

struct ScoreTable {
  std::int64_t round = 0;
  std::int64_t shard = 0;
  std::vector<std::int64_t> indices;
  std::vector<std::string> ids;
  std::vector<ScoreColumn> columns;
  std::vector<std::string> reason_names;  ///< reason_names[code]; code 0 = "defined"
};

/// rounds/RRR/scores/shard-SSSSS.h5 under @p study_dir.
std::string score_table_path(const std::string& study_dir, std::int64_t round, std::int64_t shard);

/// Writes @p table atomically; checks that every column has one value per image and that
/// NaN values, and only they, carry a reason.
void write_score_table(const std::string& path, const ScoreTable& table);
ScoreTable read_score_table(const std::string& path);

/// Shards of @p round that already have a complete score table, in increasing order.
std::vector<std::int64_t> scored_shards(const std::string& study_dir, std::int64_t round);

/// Merges every score table of @p round (in shard order) into one CSV, written atomically:
/// index,id,<criterion>…,<criterion>_reason… (a reason cell is empty where the value is
/// defined). Returns the number of rows.
std::int64_t export_scores_csv(const std::string& study_dir, std::int64_t round, const std::string& csv_path);

}  // namespace salient::io
