// `salient launch`: a batch script for `salient run` or `salient score` on a cluster (Slurm,
// PBS/Torque) or under plain mpirun, rendered from the study's configuration (which it
// writes to STUDY/salient.toml, so the job needs no other options); printed, or submitted.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

#include "engine/cli/commands.h"
#include "engine/cli/study_options.h"
#include "engine/launch/job_script.h"
#include "engine/runtime/child_process.h"
#include "salient/check.h"
#include "salient/io/atomic_file.h"
#include "salient/io/study_dir.h"

namespace salient::cli {
namespace {

namespace fs = std::filesystem;

struct LaunchArguments {
  StudyOptions study;
  std::string scheduler = "slurm";
  launch::JobResources resources;
  std::string job = "run";
  int chain = 1;
  bool submit = false;
  std::string salient;
};

// A path given relative to where `salient launch` runs, made absolute: batch jobs start
// elsewhere (PBS in the home directory, mpirun's remote ranks in theirs).
std::string absolute_if_present(const std::string& path) {
  return !path.empty() && fs::exists(path) ? fs::absolute(path).lexically_normal().string() : path;
}

std::vector<std::string> salient_command(const LaunchArguments& arguments, const std::string& study) {
  const std::string program =
      arguments.salient.empty() ? fs::read_symlink("/proc/self/exe").string() : fs::absolute(arguments.salient).string();
  if (arguments.job == "run") return {program, "--log-level", "info", "run", "--study", study, "--no-progress"};
  return {program, "--log-level", "info", "score", "--study", study, "--round", std::to_string(arguments.study.round),
          "--select", "--no-progress"};
}

std::string job_title(const LaunchArguments& arguments, const std::string& study) {
  const auto& resources = arguments.resources;
  const int ranks = resources.nodes * launch::ranks_per_node(resources);
  std::string where = fmt::format("{} node(s), {} rank(s)", resources.nodes, ranks);
  if (resources.gpus_per_node > 0) where += fmt::format(", {} GPU(s) per node", resources.gpus_per_node);
  const std::string what = arguments.job == "run" ? "the active-learning loop"
                                                  : fmt::format("scoring round {}", arguments.study.round);
  return fmt::format("salient: {} of study {} on {}", what, study, where);
}

void submit(const launch::Scheduler scheduler, const std::string& script, int chain, CommandContext& context) {
  if (scheduler == launch::Scheduler::mpirun) {
    SALIENT_CHECK(chain == 1, "--chain {}: chains are for schedulers; rerun the mpirun script to resume", chain);
    const auto result = runtime::run_process({"bash", script}, /*capture=*/false);
    SALIENT_CHECK(result.started, "could not start bash for {}", script);
    context.exit_code = result.status;
    return;
  }
  std::string previous;
  for (int link = 0; link < chain; ++link) {
    const auto command = launch::submit_command(scheduler, script, previous);
    const auto result = runtime::run_process(command, /*capture=*/true);
    SALIENT_CHECK(result.started, "could not start {}: is the scheduler's client installed and on PATH?", command[0]);
    SALIENT_CHECK(result.status == 0, "`{}` failed (status {}): {}", runtime::shell_command_line(command),
                  result.status, result.output);
    previous = launch::submitted_job_id(scheduler, result.output);
    fmt::print("{}\n", previous);
  }
  std::fflush(stdout);
  fmt::print(stderr, "salient launch: submitted {} job(s) of {}; the job's output goes to its study's logs/\n", chain,
             script);
}

void run_launch(const LaunchArguments& arguments, CommandContext& context) {
  SALIENT_CHECK(arguments.job == "run" || arguments.job == "score", "--job '{}': run or score", arguments.job);
  SALIENT_CHECK(arguments.chain >= 1, "--chain {}: at least one job", arguments.chain);
  const launch::Scheduler scheduler = launch::parse_scheduler(arguments.scheduler);
  const std::string study = fs::absolute(arguments.study.study).lexically_normal().string();

  round::StudyConfig config = arguments.study.resolve(study_config_path(study));
  SALIENT_CHECK(!config.pool.directory.empty(), "no pool: give --pool, or set pool in [pool] of {}", study_config_path(study));
  SALIENT_CHECK(fs::is_directory(config.pool.directory), "pool '{}' is not a directory", config.pool.directory);
  config.pool.directory = absolute_if_present(config.pool.directory);
  config.model.model = absolute_if_present(config.model.model);
  config.model.weights = absolute_if_present(config.model.weights);

  launch::JobScriptRequest request;
  request.scheduler = scheduler;
  request.resources = arguments.resources;
  request.title = job_title(arguments, study);
  request.log_dir = io::StudyDir(study).logs();
  request.command = salient_command(arguments, study);
  const std::string text = launch::render_job_script(request);

  fs::create_directories(io::StudyDir(study).launch());
  fs::create_directories(request.log_dir);
  round::write_study_config(study_config_path(study), config);
  const std::string script =
      (fs::path(io::StudyDir(study).launch()) / fmt::format("{}-{}.sh", arguments.job, arguments.scheduler)).string();
  io::write_file_atomically(script, text);
  ::chmod(script.c_str(), 0755);

  if (arguments.submit) {
    submit(scheduler, script, arguments.chain, context);
    return;
  }
  fmt::print("{}", text);
  std::fflush(stdout);
  const char* how = scheduler == launch::Scheduler::slurm ? "sbatch" : scheduler == launch::Scheduler::pbs ? "qsub" : "bash";
  fmt::print(stderr, "salient launch: written to {} (configuration: {}); start it with `{} {}`, or add --submit\n",
             script, study_config_path(study), how, script);
}

}  // namespace

void register_launch(CLI::App& app, CommandContext& context) {
  auto arguments = std::make_shared<LaunchArguments>();
  auto& resources = arguments->resources;
  auto* command = app.add_subcommand(
      "launch", "Render a Slurm, PBS or mpirun script for `salient run` or `salient score` on the study, and print "
                "or submit it");
  command->add_option("--scheduler", arguments->scheduler, "slurm, pbs or mpirun (no scheduler)")
      ->check(CLI::IsMember({"slurm", "pbs", "mpirun"}))
      ->capture_default_str();
  command->add_option("--job", arguments->job, "run (the whole loop) or score (one round, with its selection)")
      ->check(CLI::IsMember({"run", "score"}))
      ->capture_default_str();
  command->add_option("--nodes", resources.nodes, "nodes")->capture_default_str();
  command->add_option("--gpus-per-node", resources.gpus_per_node, "GPUs per node, one rank each (0: CPU ranks)")
      ->capture_default_str();
  command->add_option("--tasks-per-node", resources.tasks_per_node,
                      "ranks per node (0: one per GPU, or one without GPUs)")
      ->capture_default_str();
  command->add_option("--cpus-per-task", resources.cpus_per_task, "CPU cores per rank (0: the scheduler's default)")
      ->capture_default_str();
  command->add_option("--time", resources.time, "wall-time limit [D-]HH:MM:SS (default: the queue's)");
  command->add_option("--partition", resources.partition, "Slurm partition or PBS queue");
  command->add_option("--account", resources.account, "account to charge");
  command->add_option("--job-name", resources.job_name, "the scheduler's name for the job")->capture_default_str();
  command->add_option("--hostfile", resources.hostfile, "mpirun: the machines to start ranks on");
  command->add_option("--chain", arguments->chain,
                      "with --submit: this many jobs, each starting when the one before ends, each resuming the "
                      "study (for studies longer than the wall-time limit)")
      ->capture_default_str();
  command->add_option("--salient", arguments->salient, "the salient binary the job runs (default: this one)");
  auto* print = command->add_flag("--print", "print the script (the default)");
  command->add_flag("--submit", arguments->submit, "submit it (sbatch, qsub), or run it (mpirun)")->excludes(print);
  auto options = scoring_options();
  for (const auto& group : {strategy_options(), training_options(), run_options()}) {
    options.insert(options.end(), group.begin(), group.end());
  }
  arguments->study.add_to(command, options);
  command->callback([arguments, &context] { run_launch(*arguments, context); });
}

}  // namespace salient::cli
