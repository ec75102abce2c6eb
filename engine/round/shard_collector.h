// Collects one rank's criteria shard by shard and writes them as score tables
// (salient/io/score_table.h). A rank's share of the batch grid need not start or end on a
// shard boundary: a shard the rank holds whole becomes its complete table; the rows of a
// shard that straddles two ranks become a part file, which rank 0 merges once every rank
// has finished (io::merge_score_parts). Rows of shards already scored (read only because a
// batch is always computed whole) and of unreadable shards are dropped.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "engine/criteria/batch_criteria.h"
#include "salient/io/pool.h"
#include "salient/io/score_table.h"
#include "salient/io/shard_reader.h"

namespace salient::round {

class ShardCollector {
 public:
  /// @param attributes  stored in every table written (the scoring fingerprint)
  /// @param done_shards shards whose tables exist: their rows are dropped
  /// @param half_embeddings  store the batches' embeddings (if any) as float16, else float32
  /// @param probability_kind "multi-label" or "multi-class": the model's, stored with the
  ///                         batches' probabilities (if any)
  ShardCollector(const io::Pool& pool, std::string study_dir, std::int64_t round,
                 std::map<std::string, std::string> attributes, const std::vector<std::int64_t>& done_shards,
                 bool half_embeddings = true, std::string probability_kind = "multi-label");

  /// Keeps the rows of @p batch to be written, with their criteria, and writes every shard
  /// piece that the batch completes. Returns the number of rows kept.
  std::int64_t add(const io::ImageBatch& batch, const criteria::BatchCriteria& criteria);
  /// Writes the last piece.
  void finish();

  std::int64_t tables_written() const { return tables_written_; }
  std::int64_t parts_written() const { return parts_written_; }
  /// Unreadable shards met (io::ReaderOptions::skip_unreadable_shards), with why.
  const std::vector<io::UnreadableShard>& unreadable() const { return unreadable_; }

 private:
  bool dropped(std::int64_t shard) const;
  void start_piece(std::int64_t shard, std::int64_t row, const criteria::BatchCriteria& criteria);
  void flush();

  const io::Pool& pool_;
  std::string study_dir_;
  std::int64_t round_;
  std::map<std::string, std::string> attributes_;
  std::set<std::int64_t> done_;
  bool half_embeddings_;
  std::string probability_kind_;
  std::vector<io::UnreadableShard> unreadable_;
  std::set<std::int64_t> unreadable_shards_;

  io::ScoreTable piece_;              // rows of the current shard, shard = −1 when none
  std::int64_t piece_first_row_ = 0;  // row of piece_'s first image inside its shard
  std::int64_t tables_written_ = 0;
  std::int64_t parts_written_ = 0;
};

/// Rows in shard @p shard of @p pool, as its manifest records (the last shard may hold fewer
/// than shard_size).
std::int64_t shard_rows(const io::Pool& pool, std::int64_t shard);

}  // namespace salient::round
