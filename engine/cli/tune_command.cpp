// `salient tune`: one data-parallel fine-tuning step after a round's labels, on every rank
// of an MPI job, and the new model's validation metrics (round/tune_round.h).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "engine/cli/commands.h"
#include "engine/cli/study_options.h"
#include "engine/comm/mpi_collectives.h"
#include "engine/comm/mpi_session.h"
#include "engine/round/learning_curve.h"
#include "engine/round/tune_round.h"
#include "engine/round/study_lock.h"
#include "engine/round/study_pool.h"
#include "salient/io/study_dir.h"

namespace salient::cli {
namespace {

struct TuneArguments {
  StudyOptions study;
};

void run_tune(const TuneArguments& arguments, CommandContext& context) {
  const comm::MpiSession& mpi = context.mpi();
  const std::string& study_dir = arguments.study.study;
  round::StudyConfig config = arguments.study.resolve(study_config_path(study_dir));
  round::bind_study_pool(config, study_config_path(study_dir));
  const io::PoolManifest manifest = io::read_manifest(config.pool.directory);
  const auto lock = round::lock_study(study_dir, "tune", mpi.rank());
  if (mpi.rank() == 0) {
    round::record_study_pool(study_dir, config);
    round::write_initial_model(config, study_dir, manifest);
  }
  comm::barrier();
  auto resources = round::open_tune_resources(config, study_dir, context.device, mpi);
  const round::TuneContext tune_context{mpi, *resources.communicator, resources.device, resources.validation};
  const auto report = round::tune_round(config, study_dir, arguments.study.round, tune_context);
  if (mpi.rank() != 0) return;
  round::write_learning_curve(study_dir, manifest.label_names);
  const std::uint32_t next = arguments.study.round + 1;
  if (report.already_done) {
    fmt::print("round {}'s model exists: {}\n", next, io::StudyDir(study_dir).model(next));
  } else {
    fmt::print("fine-tuned on {} images ({} epoch(s){}) in {:.1f} s: {}\n", report.trained_images,
               report.epochs.size(),
               report.first_epoch > 0 ? fmt::format(", resumed after epoch {}", report.first_epoch) : "",
               report.seconds, io::StudyDir(study_dir).model(next));
  }
  fmt::print("validation ({} images): mean AUC {:.4f}, accuracy {:.4f}; {}\n", report.metrics.validation_images,
             report.metrics.validation.mean_auc, report.metrics.validation.accuracy,
             io::StudyDir(study_dir).metrics(next));
}

}  // namespace

void register_tune(CLI::App& app, CommandContext& context) {
  auto arguments = std::make_shared<TuneArguments>();
  auto* command = app.add_subcommand(
      "tune", "Fine-tune on a round's labels over the MPI job's ranks: the next round's model and its validation AUC");
  auto options = training_options();
  options.push_back({"--pool", "pool.pool", "pool directory"});
  options.push_back({"--seed", "scoring.seed", "keys the permutations, augmentations and validation split"});
  options.push_back({"--threads", "scoring.threads", "LibTorch CPU threads per rank (0: the node's cores shared)"});
  arguments->study.add_to(command, options);
  command->callback([arguments, &context] { run_tune(*arguments, context); });
}

}  // namespace salient::cli
