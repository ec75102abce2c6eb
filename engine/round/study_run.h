// `salient run`: the active-learning loop of IDEAL's Algorithm 1 and ACFT's Algorithm 1 on
// every rank of the job. Round r: score the pool with rounds/r/model.pt and select
// strategy.budget images (round 0 with run.first_strategy, the model having learnt nothing
// yet), acquire their labels, fine-tune (tune_round.h) into rounds/r+1/model.pt, evaluate it
// on the validation split and redraw the learning curve. It stops after run.rounds rounds,
// once the mean validation AUC reaches run.target_auc, or before a round would pass
// run.max_labels labels.
//
// Labels come from the pool (oracle, simulation) or from annotators (human): then the run
// stops after writing the selection, with status "awaiting labels", and the next
// `salient run` continues once `salient labels import` has added them. Every step's output
// is written whole, and the loop skips steps whose output exists: killing the job at any
// point and rerunning it neither loses nor repeats a label, and ends as an uninterrupted
// run would. STUDY/status.json says where the study stands.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/comm/mpi_session.h"
#include "engine/round/study_config.h"
#include "engine/runtime/device.h"

namespace salient::round {

struct RunJob {
  StudyConfig config;
  std::string study_dir;
  runtime::DeviceChoice device = runtime::DeviceChoice::automatic;
  bool progress_bar = true;
  std::int64_t montage_count = 32;
};

enum class RunState { running, awaiting_labels, finished };

struct RunOutcome {
  RunState state = RunState::running;
  std::string reason;         ///< why it stopped
  std::uint32_t round = 0;    ///< the round it stopped in
  std::int64_t labels = 0;    ///< labels acquired
  double mean_auc = 0.0;      ///< of the latest model
  double alc = 0.0;           ///< area under the learning curve so far
  std::int64_t awaited = 0;   ///< awaiting labels: images of the selection without one
};

/// Runs (or resumes) the loop; a collective. Rank 0's outcome is the study's.
RunOutcome run_study(const RunJob& job, const comm::MpiSession& mpi);

std::string run_state_name(RunState state);


}  // namespace salient::round
