// `salient score`: one round's criteria for every image of a pool, on every rank of an MPI
// job (round/score_round.h); with --select, rank 0 then selects (round/select_round.h).
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "engine/cli/commands.h"
#include "engine/cli/selection_summary.h"
#include "engine/cli/study_options.h"
#include "engine/comm/mpi_collectives.h"
#include "engine/comm/mpi_session.h"
#include "engine/criteria/criteria_registry.h"
#include "engine/round/score_round.h"
#include "engine/round/select_round.h"
#include "engine/round/study_lock.h"
#include "engine/round/study_pool.h"
#include "engine/selection/rank_group.h"
#include "salient/io/study_dir.h"

namespace salient::cli {
namespace {

struct ScoreArguments {
  StudyOptions study;
  bool select = false;
  bool no_progress = false;
  std::int64_t montage_count = 32;
};

// Rank 0 records the configuration: the study's salient.toml when it has none yet, and the
// job's own (command line included) beside the round's scores, where `salient select` reads it.
void record_configuration(const round::ScoreJob& job) {
  std::filesystem::create_directories(io::StudyDir(job.study_dir).round(job.round));
  const std::string study_file = study_config_path(job.study_dir);
  if (!std::filesystem::exists(study_file)) round::write_study_config(study_file, job.config);
  round::record_study_pool(job.study_dir, job.config);
  round::write_study_config(io::StudyDir(job.study_dir).round_config(job.round), job.config);
}

void run_score(const ScoreArguments& arguments, CommandContext& context) {
  const comm::MpiSession& mpi = context.mpi();
  round::ScoreJob job;
  job.study_dir = arguments.study.study;
  job.round = arguments.study.round;
  job.config = arguments.study.resolve(study_config_path(job.study_dir));
  job.device = context.device;
  job.progress_bar = !arguments.no_progress;
  round::bind_study_pool(job.config, study_config_path(job.study_dir));
  const auto request = round::criteria_request_of(job.config, job.round);
  const auto lock = round::lock_study(job.study_dir, "score", mpi.rank());
  if (mpi.rank() == 0) {
    record_configuration(job);
    spdlog::info("scoring round {} of '{}' on {} rank(s): {} criteria ({}), saliency {}", job.round, job.study_dir,
                 mpi.size(), request.names.size(), fmt::join(request.names, ", "), saliency::method_name(job.config.saliency.method));
  }
  const round::ScoreReport report = round::score_round(job, mpi);
  if (mpi.rank() == 0) {
    std::int64_t scored = 0;
    for (const auto& rank : report.ranks) scored += rank.images_scored;
    spdlog::info("scored {} images in {:.2f} s ({:.1f} images/s); {} shard(s) already done, {} merged from parts",
                 scored, report.seconds, report.seconds > 0 ? static_cast<double>(scored) / report.seconds : 0.0,
                 report.shards_already_scored, report.parts_merged);
    spdlog::info("time per stage:\n{}", round::stage_table(report));
  }
  if (!arguments.select) return;
  round::SelectJob select;
  select.config = job.config;
  select.study_dir = job.study_dir;
  select.round = job.round;
  select.montage_count = arguments.montage_count;
  select.device = context.device;
  comm::barrier();  // rank 0 has written the round's last tables and its report
  const auto group = selection::make_mpi_rank_group(mpi);
  const auto outcome = round::select_round(select, *group);
  if (mpi.rank() == 0) print_selection_summary(outcome);
}

}  // namespace

void register_score(CLI::App& app, CommandContext& context) {
  auto arguments = std::make_shared<ScoreArguments>();
  auto* command = app.add_subcommand(
      "score", "Score a round: every requested criterion for every image of the pool, over the MPI job's ranks");
  auto options = scoring_options();
  for (const auto& option : strategy_options()) options.push_back(option);
  arguments->study.add_to(command, options);
  command->add_flag("--select", arguments->select, "then select over the job's ranks (as `salient select`; rank 0 writes the files)");
  command->add_option("--montage-count", arguments->montage_count, "with --select: images in the montage (0: none)")
      ->capture_default_str();
  command->add_flag("--no-progress", arguments->no_progress, "no progress bar");
  command->footer("Criteria (--criteria), by family, with what each family needs:\n" + criteria::criteria_help());
  command->callback([arguments, &context] { run_score(*arguments, context); });
}

}  // namespace salient::cli
