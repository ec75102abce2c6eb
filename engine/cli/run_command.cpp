// `salient run`: the whole active-learning loop (round/study_run.h) on every rank of an MPI
// job: score, select, acquire labels, fine-tune, evaluate, until the target AUC, the label
// budget or the last round. Rerunning it resumes a killed run or a run awaiting labels.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <filesystem>

#include "engine/cli/commands.h"
#include "engine/cli/study_options.h"
#include "engine/comm/mpi_session.h"
#include "engine/round/study_run.h"
#include "engine/round/study_lock.h"
#include "engine/round/study_pool.h"
#include "salient/io/study_dir.h"

namespace salient::cli {
namespace {

struct RunArguments {
  StudyOptions study;
  bool no_progress = false;
  std::int64_t montage_count = 32;
};

void run_run(const RunArguments& arguments, CommandContext& context) {
  const comm::MpiSession& mpi = context.mpi();
  round::RunJob job;
  job.study_dir = arguments.study.study;
  job.config = arguments.study.resolve(study_config_path(job.study_dir));
  round::bind_study_pool(job.config, study_config_path(job.study_dir));
  job.device = context.device;
  job.progress_bar = !arguments.no_progress;
  job.montage_count = arguments.montage_count;
  const auto lock = round::lock_study(job.study_dir, "run", mpi.rank());
  if (mpi.rank() == 0) {
    std::filesystem::create_directories(job.study_dir);
    round::write_study_config(study_config_path(job.study_dir), job.config);
  }
  const round::RunOutcome outcome = round::run_study(job, mpi);
  if (mpi.rank() != 0) return;
  fmt::print("{}: {} (round {})\n", round::run_state_name(outcome.state), outcome.reason, outcome.round);
  fmt::print("labels {}, mean validation AUC {:.4f}, ALC {:.4f}\n", outcome.labels, outcome.mean_auc, outcome.alc);
  const io::StudyDir study(job.study_dir);
  fmt::print("learning curve: {} and {}; status: {}\n", study.curve_csv(), study.curve_png(), study.status());
}

}  // namespace

void register_run(CLI::App& app, CommandContext& context) {
  auto arguments = std::make_shared<RunArguments>();
  auto* command = app.add_subcommand(
      "run", "Run the active-learning loop over the MPI job's ranks: score, select, label, fine-tune, evaluate; "
             "rerun to resume");
  auto options = scoring_options();
  for (const auto& group : {strategy_options(), training_options(), run_options()}) {
    options.insert(options.end(), group.begin(), group.end());
  }
  arguments->study.add_to(command, options, /*with_round=*/false);
  command->add_option("--montage-count", arguments->montage_count, "images in each round's montage (0: none)")
      ->capture_default_str();
  command->add_flag("--no-progress", arguments->no_progress, "no progress bars");
  command->callback([arguments, &context] { run_run(*arguments, context); });
}

}  // namespace salient::cli
