// `salient score`: one round's criteria for every image of the pool, on every rank of the
// job (DESIGN.md "Data flow of one round", "Distribution"). Each rank streams its share of
// the batch grid (io::ShardReader), runs the saliency pass and the model passes the
// criteria need once per batch, every criterion kernel on the device where the maps are,
// and writes score tables shard by shard. Shards whose tables exist (with the same scoring
// fingerprint) are skipped, so a job killed at any point completes when rerun.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/comm/communicator.h"
#include "engine/comm/mpi_session.h"
#include "engine/round/score_report.h"
#include "engine/round/study_config.h"
#include "engine/runtime/device.h"

namespace salient::round {

struct ScoreJob {
  StudyConfig config;
  std::string study_dir;
  std::uint32_t round = 0;
  runtime::DeviceChoice device = runtime::DeviceChoice::automatic;
  /// Rank 0 draws one bar for the whole job, from non-blocking MPI all-reduces: only on MPI.
  bool progress_bar = true;
};

/// Scores the round on every rank of @p comm (a collective call; @p where places this rank
/// on its host, which picks its GPU and its share of the cores). Rank 0 merges the parts of
/// shards that two ranks shared, writes rounds/RRR/score-report.json and returns the whole
/// report; the other ranks return their own line only. Any communicator with CPU tensors
/// serves: MPI in a job, the in-process one in unit tests.
ScoreReport score_round(const ScoreJob& job, comm::Communicator& comm, const comm::RankPlacement& where);

/// The same over MPI_COMM_WORLD.
ScoreReport score_round(const ScoreJob& job, const comm::MpiSession& mpi);

/// Shards of the round whose tables exist; throws salient::Error naming a table scored with
/// another fingerprint (and the settings that differ).
std::vector<std::int64_t> shards_already_scored(const std::string& study_dir, std::uint32_t round,
                                                const std::string& fingerprint);


}  // namespace salient::round
