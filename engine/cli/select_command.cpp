// `salient select`: the batch experts label next, from a scored round (round/select_round.h).
// One process: no MPI.
#include <CLI/CLI.hpp>

#include <spdlog/spdlog.h>

#include <filesystem>

#include "engine/cli/commands.h"
#include "engine/cli/selection_summary.h"
#include "engine/cli/study_options.h"
#include "engine/round/score_round.h"
#include "engine/round/select_round.h"
#include "engine/round/study_labels.h"
#include "engine/round/study_lock.h"
#include "engine/round/study_pool.h"
#include "salient/io/study_dir.h"

namespace salient::cli {
namespace {

struct SelectArguments {
  StudyOptions study;
  std::string out;
  std::int64_t montage_count = 32;
  bool force = false;
};

void run_select(const SelectArguments& arguments, const CommandContext& context) {
  const auto lock = round::StudyLock::acquire(arguments.study.study, "select");
  // The configuration the round was scored with, else the study's.
  const std::string scored_with = io::StudyDir(arguments.study.study).round_config(arguments.study.round);
  round::SelectJob job;
  const std::string base = std::filesystem::exists(scored_with) ? scored_with : study_config_path(arguments.study.study);
  job.config = arguments.study.resolve(base);
  round::bind_study_pool(job.config, base);
  job.study_dir = arguments.study.study;
  job.round = arguments.study.round;
  job.csv_path = arguments.out;
  job.montage_count = arguments.montage_count;
  job.device = context.device;
  job.force = arguments.force;
  const auto outcome = round::select_round(job);
  print_selection_summary(outcome);
  if (outcome.labels_set_aside > 0) {
    spdlog::warn("{} labels of round {} belong to images the new selection leaves out: moved from {} to {}",
                 outcome.labels_set_aside, job.round, io::StudyDir(job.study_dir).labels(), outcome.set_aside_path);
  }
}

}  // namespace

void register_select(CLI::App& app, CommandContext& context) {
  auto arguments = std::make_shared<SelectArguments>();
  auto* command = app.add_subcommand(
      "select", "Select the images to label next from a scored round: selection.csv, selection.json and a montage");
  arguments->study.add_to(command, strategy_options());
  command->add_option("--out", arguments->out, "selection CSV (default: STUDY/rounds/RRR/selection.csv)");
  command->add_option("--montage-count", arguments->montage_count, "images in the montage (0: none)")
      ->capture_default_str();
  command->add_flag("--force", arguments->force,
                    "replace the selection of a round that has labels; the labels of images the new selection "
                    "leaves out are set aside in rounds/RRR/labels-set-aside.csv");
  command->callback([arguments, &context] { run_select(*arguments, context); });
}

}  // namespace salient::cli
