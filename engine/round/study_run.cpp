#include "engine/round/study_run.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "engine/comm/mpi_collectives.h"
#include "engine/round/learning_curve.h"
#include "engine/round/score_round.h"
#include "engine/round/select_round.h"
#include "engine/round/study_labels.h"
#include "engine/round/tune_round.h"
#include "engine/selection/rank_group.h"
#include "salient/check.h"
#include "salient/io/atomic_file.h"
#include "salient/io/study_dir.h"

namespace salient::round {
namespace {

namespace fs = std::filesystem;

std::int64_t strategy_budget(const StudyConfig& config) {
  const auto found = config.strategy.parameters.find("budget");
  const std::int64_t budget = found == config.strategy.parameters.end() ? 0 : std::stoll(found->second);
  SALIENT_CHECK(budget >= 1, "salient run needs the labels per round: give --budget B (strategy.budget)");
  return budget;
}

// Round @p round's scoring and selection configuration: its own model, and in round 0 the
// first strategy with only the budget.
StudyConfig round_config(const StudyConfig& config, const std::string& study_dir, std::uint32_t round) {
  StudyConfig scoring = config;
  scoring.model.model = io::StudyDir(study_dir).model(round);
  scoring.model.weights.clear();
  if (round == 0) {
    scoring.strategy.name = config.run.first_strategy;
    scoring.strategy.parameters = {{"budget", std::to_string(strategy_budget(config))}};
  }
  return scoring;
}

void score_and_select(const RunJob& job, std::uint32_t round, const comm::MpiSession& mpi) {
  if (fs::exists(io::StudyDir(job.study_dir).selection(round))) return;
  ScoreJob score;
  score.config = round_config(job.config, job.study_dir, round);
  score.study_dir = job.study_dir;
  score.round = round;
  score.device = job.device;
  score.progress_bar = job.progress_bar;
  if (mpi.rank() == 0) {
    fs::create_directories(io::StudyDir(job.study_dir).round(round));
    write_study_config(io::StudyDir(job.study_dir).round_config(round), score.config);
    spdlog::info("round {}: scoring with {}, strategy {}", round, score.config.model.model, score.config.strategy.name);
  }
  const ScoreReport report = score_round(score, mpi);
  SelectJob select;
  select.config = score.config;
  select.study_dir = job.study_dir;
  select.round = round;
  select.montage_count = job.montage_count;
  select.device = job.device;
  comm::barrier();  // rank 0 has written the round's last tables and its report
  const auto group = selection::make_mpi_rank_group(mpi);
  const auto chosen = select_round(select, *group);
  if (mpi.rank() == 0) {
    spdlog::info("round {}: selected {} images in {:.1f} s of scoring ({})", round, chosen.selection.selected.size(),
                 report.seconds, chosen.csv_path);
  }
  comm::barrier();
}

std::int64_t label_count(const std::string& study_dir, const io::PoolManifest& manifest) {
  return static_cast<std::int64_t>(read_study_labels(study_dir, manifest).rows.size());
}

std::int64_t labels_of_round(const std::string& study_dir, const io::PoolManifest& manifest, std::uint32_t round) {
  const auto rows = read_study_labels(study_dir, manifest).rows;
  return std::count_if(rows.begin(), rows.end(), [&](const auto& row) { return row.round == round; });
}

// Rank 0 acquires the round's labels (oracle) or counts those still awaited (human); every
// rank learns how many are awaited.
std::int64_t acquire_labels(const RunJob& job, std::uint32_t round, const io::Pool& pool, int rank) {
  std::string awaited = "0";
  if (rank == 0) {
    if (job.config.run.labels == "oracle") {
      const std::int64_t added = acquire_oracle_labels(job.study_dir, pool, round);
      if (added > 0) spdlog::info("round {}: {} oracle labels added to {}", round, added, io::StudyDir(job.study_dir).labels());
    } else {
      awaited = std::to_string(awaited_ids(job.study_dir, pool.manifest(), round).size());
    }
  }
  return std::stoll(comm::broadcast_string(awaited, 0));
}

// Images the strategy may still select, counted on rank 0 and known to every rank.
std::int64_t selectable_on_every_rank(const std::string& study_dir, const io::Pool& pool, int rank) {
  const std::string count = rank == 0 ? std::to_string(selectable_images(study_dir, pool)) : std::string();
  return std::stoll(comm::broadcast_string(count, 0));
}

void write_status(const std::string& study_dir, const RunOutcome& outcome) {
  const nlohmann::json json{{"state", run_state_name(outcome.state)},
                            {"reason", outcome.reason},
                            {"round", outcome.round},
                            {"labels", outcome.labels},
                            {"mean_auc", outcome.mean_auc},
                            {"alc", outcome.alc},
                            {"awaited", outcome.awaited}};
  io::write_file_atomically(io::StudyDir(study_dir).status(), json.dump(2) + "\n");
}

}  // namespace

std::string run_state_name(RunState state) {
  switch (state) {
    case RunState::running: return "running";
    case RunState::awaiting_labels: return "awaiting labels";
    case RunState::finished: return "finished";
  }
  return "unknown";
}

RunOutcome run_study(const RunJob& job, const comm::MpiSession& mpi) {
  const StudyConfig& config = job.config;
  SALIENT_CHECK(!config.pool.directory.empty(), "no pool: give --pool, or set pool in [pool] of the study's salient.toml");
  const std::int64_t budget = strategy_budget(config);
  const io::Pool pool = io::Pool::open(config.pool.directory);
  const auto& label_names = pool.manifest().label_names;
  if (mpi.rank() == 0) write_initial_model(config, job.study_dir, pool.manifest());
  comm::barrier();
  TuneResources resources = open_tune_resources(config, job.study_dir, job.device, mpi);
  const TuneContext context{mpi, *resources.communicator, resources.device, resources.validation};

  RunOutcome outcome;
  outcome.state = RunState::running;
  auto note_curve = [&](const RoundMetrics& metrics) {
    outcome.mean_auc = metrics.validation.mean_auc;
    if (mpi.rank() != 0) return;
    const auto points = curve_points(write_learning_curve(job.study_dir, label_names));
    outcome.alc = points.empty() ? 0.0 : training::area_under_learning_curve(points);
  };
  note_curve(evaluate_round(config, job.study_dir, 0, context));

  for (std::uint32_t round = 0;; ++round) {
    outcome.round = round;
    outcome.labels = label_count(job.study_dir, pool.manifest());
    if (round >= config.run.rounds) {
      outcome.state = RunState::finished;
      outcome.reason = fmt::format("{} round(s) done", config.run.rounds);
      break;
    }
    if (config.run.target_auc > 0.0 && outcome.mean_auc >= config.run.target_auc) {
      outcome.state = RunState::finished;
      outcome.reason = fmt::format("mean validation AUC {:.4f} reached the target {}", outcome.mean_auc,
                                   config.run.target_auc);
      break;
    }
    if (config.run.max_labels > 0 && outcome.labels + budget > config.run.max_labels &&
        !fs::exists(io::StudyDir(job.study_dir).selection(round))) {
      outcome.state = RunState::finished;
      outcome.reason = fmt::format("another {} labels would pass max_labels = {}", budget, config.run.max_labels);
      break;
    }
    const auto exhausted = [&] {
      outcome.state = RunState::finished;
      outcome.reason = fmt::format("pool exhausted: every image of '{}' is labeled ({}) or held out for validation",
                                   config.pool.directory, outcome.labels);
    };
    if (!fs::exists(io::StudyDir(job.study_dir).selection(round)) &&
        selectable_on_every_rank(job.study_dir, pool, mpi.rank()) == 0) {
      exhausted();
      break;
    }
    score_and_select(job, round, mpi);
    outcome.awaited = acquire_labels(job, round, pool, mpi.rank());
    // A round that selected nothing (what remained lies in unreadable shards, or a study from
    // before this check) has nothing to fine-tune on.
    if (outcome.awaited == 0 && labels_of_round(job.study_dir, pool.manifest(), round) == 0) {
      exhausted();
      break;
    }
    if (outcome.awaited > 0) {
      outcome.state = RunState::awaiting_labels;
      outcome.reason = fmt::format(
          "round {} awaits {} labels: label them on the review page (`salient review --study {}`), or with a CSV "
          "(`salient labels template --study {} --out FILE.csv`, fill it in, `salient labels import FILE.csv "
          "--study {}`), then `salient run --study {}`",
          round, outcome.awaited, job.study_dir, job.study_dir, job.study_dir, job.study_dir);
      break;
    }
    const TuneReport tuned = tune_round(config, job.study_dir, round, context);
    note_curve(tuned.metrics);
    if (mpi.rank() == 0) {
      spdlog::info("round {}: {} labels, mean validation AUC {:.4f}, ALC {:.4f}", round, tuned.metrics.labels,
                   tuned.metrics.validation.mean_auc, outcome.alc);
    }
  }
  if (mpi.rank() == 0) write_status(job.study_dir, outcome);
  return outcome;
}

}  // namespace salient::round
