#include "engine/round/shard_collector.h"

#include "salient/check.h"
#include "salient/io/study_dir.h"

namespace salient::round {

std::int64_t shard_rows(const io::Pool& pool, std::int64_t shard) {
  return pool.manifest().shards.at(static_cast<std::size_t>(shard)).count;
}

ShardCollector::ShardCollector(const io::Pool& pool, std::string study_dir, std::int64_t round,
                               std::map<std::string, std::string> attributes,
                               const std::vector<std::int64_t>& done_shards, bool half_embeddings,
                               std::string probability_kind)
    : pool_(pool), study_dir_(std::move(study_dir)), round_(round), attributes_(std::move(attributes)),
      done_(done_shards.begin(), done_shards.end()), half_embeddings_(half_embeddings),
      probability_kind_(std::move(probability_kind)) {
  piece_.shard = -1;
}

bool ShardCollector::dropped(std::int64_t shard) const {
  return done_.count(shard) != 0 || unreadable_shards_.count(shard) != 0;
}

std::int64_t ShardCollector::add(const io::ImageBatch& batch, const criteria::BatchCriteria& criteria) {
  SALIENT_CHECK(criteria.rows == batch.size(), "criteria for {} rows of a batch of {}", criteria.rows, batch.size());
  for (const auto& bad : batch.unreadable) {
    if (unreadable_shards_.insert(bad.shard).second) unreadable_.push_back(bad);
  }
  std::int64_t kept = 0;
  for (std::int64_t i = 0; i < batch.size(); ++i) {
    const io::ImageLocation at = pool_.locate(batch.indices[static_cast<std::size_t>(i)]);
    if (dropped(at.shard)) continue;
    if (at.shard != piece_.shard) start_piece(at.shard, at.row, criteria);
    const auto row = static_cast<std::size_t>(i);
    piece_.indices.push_back(batch.indices[row]);
    piece_.ids.push_back(batch.ids[row]);
    for (std::size_t c = 0; c < criteria.columns.size(); ++c) {
      piece_.columns[c].values.push_back(criteria.columns[c].values[row]);
      piece_.columns[c].reasons.push_back(criteria.columns[c].reasons[row]);
    }
    const auto dim = static_cast<std::size_t>(criteria.embedding_dim);
    const auto first = criteria.embeddings.begin() + static_cast<std::ptrdiff_t>(row * dim);
    piece_.embeddings.values.insert(piece_.embeddings.values.end(), first, first + static_cast<std::ptrdiff_t>(dim));
    const auto classes = static_cast<std::size_t>(criteria.classes);
    const auto from = criteria.probabilities.begin() + static_cast<std::ptrdiff_t>(row * classes);
    piece_.probabilities.values.insert(piece_.probabilities.values.end(), from,
                                       from + static_cast<std::ptrdiff_t>(classes));
    ++kept;
  }
  return kept;
}

void ShardCollector::start_piece(std::int64_t shard, std::int64_t row, const criteria::BatchCriteria& criteria) {
  flush();
  piece_ = io::ScoreTable{};
  piece_.round = round_;
  piece_.shard = shard;
  piece_.reason_names = criteria::reason_names();
  piece_.attributes = attributes_;
  for (const auto& column : criteria.columns) piece_.columns.push_back({column.name, {}, {}});
  piece_.embeddings.dim = criteria.embedding_dim;
  piece_.embeddings.half = half_embeddings_;
  piece_.probabilities.dim = criteria.classes;
  if (criteria.classes > 0) piece_.probability_kind = probability_kind_;
  piece_first_row_ = row;
}

void ShardCollector::finish() {
  flush();
  piece_.shard = -1;
}

void ShardCollector::flush() {
  if (piece_.shard < 0 || piece_.indices.empty()) return;
  if (unreadable_shards_.count(piece_.shard) != 0) {
    piece_.indices.clear();
    return;
  }
  const auto rows = static_cast<std::int64_t>(piece_.indices.size());
  const std::int64_t end_row = piece_first_row_ + rows;
  // Rows arrive in index order without gaps, so the piece is the contiguous run it claims.
  SALIENT_ASSERT(piece_.indices.back() == pool_.first_index(piece_.shard) + end_row - 1);
  if (piece_first_row_ == 0 && end_row == shard_rows(pool_, piece_.shard)) {
    io::write_score_table(io::StudyDir(study_dir_).score_table(round_, piece_.shard), piece_);
    ++tables_written_;
  } else {
    io::write_score_table(io::StudyDir(study_dir_).score_part(round_, piece_.shard, piece_first_row_, end_row), piece_);
    ++parts_written_;
  }
  piece_.indices.clear();
}

}  // namespace salient::round
