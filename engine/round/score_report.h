// What a scoring job did, per rank and in total: images, tables, and the time of each stage
// (read, model, saliency, kernels, write). Written to rounds/RRR/score-report.json and
// shown as a table at the end of `salient score`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "salient/io/shard_reader.h"

namespace salient::round {

/// Seconds one rank spent in each stage of its loop.
struct StageTimes {
  double read = 0;      ///< waiting for the reader, and pixels → model input on the device
  double saliency = 0;  ///< the saliency pass, its forward pass included
  double model = 0;     ///< forward passes beyond saliency: probabilities, MC dropout, ACFT views
  double kernels = 0;   ///< the criterion kernels and the copy of their results to the host
  double write = 0;     ///< score tables
};

struct RankScoreReport {
  int rank = 0;
  std::string host;
  std::string device;
  int threads = 0;                   ///< LibTorch CPU threads
  std::int64_t images_scored = 0;    ///< rows written to score tables
  std::int64_t images_computed = 0;  ///< rows run through the model: a batch is computed whole
  std::int64_t tables_written = 0;   ///< complete shard tables
  std::int64_t parts_written = 0;    ///< pieces of shards shared with another rank
  std::vector<io::UnreadableShard> unreadable;
  StageTimes times;
  double seconds = 0;  ///< the rank's wall time from its first read to its last write
};

struct ScoreReport {
  std::int64_t round = 0;
  std::string pool;
  std::string model;
  std::string fingerprint;            ///< scoring_fingerprint of the job
  std::int64_t pool_images = 0;
  std::int64_t shards = 0;
  std::int64_t shards_already_scored = 0;  ///< skipped: their tables existed
  std::int64_t parts_merged = 0;           ///< shards assembled from the ranks' parts
  /// Shards read in parts whose combined checksum differed from the manifest's
  /// (--on-bad-image=skip); reported among the unreadable shards.
  std::vector<io::UnreadableShard> damaged;
  double seconds = 0;                      ///< the job's wall time on rank 0
  std::vector<RankScoreReport> ranks;      ///< every rank's, in rank order
};

std::string rank_report_json(const RankScoreReport& report);
RankScoreReport rank_report_from_json(const std::string& text);

/// The report as indented JSON, with per-stage totals and images/s.
std::string score_report_json(const ScoreReport& report);
/// Stage | per rank seconds … | total | share: for the log.
std::string stage_table(const ScoreReport& report);

}  // namespace salient::round
