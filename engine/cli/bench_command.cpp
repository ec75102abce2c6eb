// `salient bench`: end-to-end scoring throughput on a synthetic pool, per stage, for several
// rank counts (strong and weak scaling), each run checked against a reference run; a table
// in the style of nccl-tests, JSON for plotting, PNG charts, and a non-zero exit when any
// run is wrong (engine/bench/throughput_run.h).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "engine/bench/throughput_report.h"
#include "engine/bench/throughput_run.h"
#include "engine/cli/commands.h"
#include "salient/io/atomic_file.h"

namespace salient::cli {
namespace {

struct BenchArguments {
  bench::BenchSettings settings;
  std::string scaling = "strong";
  std::vector<std::string> assignments;  // --set KEY=VALUE, passed to every job
  std::string json;
  bool plot = false;
};

void run_bench(BenchArguments& arguments, CommandContext& context) {
  auto& settings = arguments.settings;
  settings.strong = arguments.scaling != "weak";
  settings.weak = arguments.scaling != "strong";
  if (settings.salient.empty()) settings.salient = std::filesystem::read_symlink("/proc/self/exe").string();
  for (const auto& assignment : arguments.assignments) settings.extra_arguments.insert(settings.extra_arguments.end(), {"--set", assignment});
  settings.work_dir = std::filesystem::absolute(settings.work_dir).string();

  const auto runs = bench::run_benchmark(settings);
  fmt::print("{}", bench::bench_table(settings, runs));
  if (!arguments.json.empty()) {
    io::write_file_atomically(arguments.json, bench::bench_json(settings, runs));
    fmt::print("# JSON: {}\n", arguments.json);
  }
  if (arguments.plot) {
    for (const auto& path : bench::plot_bench(runs, settings.work_dir)) fmt::print("# chart: {}\n", path);
  }
  std::fflush(stdout);
  if (bench::total_wrong(runs) > 0) {
    fmt::print(stderr, "salient bench: {} wrong: see the notes under the table\n", bench::total_wrong(runs));
    context.exit_code = 1;
  }
}

}  // namespace

void register_bench(CLI::App& app, CommandContext& context) {
  auto arguments = std::make_shared<BenchArguments>();
  auto& settings = arguments->settings;
  settings.work_dir = "salient-bench";
  auto* command = app.add_subcommand(
      "bench", "Scoring throughput per stage over 1…N ranks (mpirun or srun), each run checked against a reference "
               "run; table, JSON and charts");
  command->add_option("--images", settings.images, "images of the synthetic pool (per rank with weak scaling)")
      ->capture_default_str();
  command->add_option("--size", settings.size, "side of the synthetic images in pixels")->capture_default_str();
  command->add_option("--seed", settings.seed, "seed of the pool, the weights and the scoring")->capture_default_str();
  command->add_option("--pool", settings.pool, "score this pool instead of a synthetic one (strong scaling only)");
  command->add_option("--ranks", settings.ranks, "rank counts, comma-separated; the first is the reference")
      ->delimiter(',')
      ->capture_default_str();
  command->add_option("--scaling", arguments->scaling, "strong (the same pool), weak (images × ranks) or both")
      ->check(CLI::IsMember({"strong", "weak", "both"}))
      ->capture_default_str();
  command->add_option("--model", settings.model, "built-in architecture or model file")->capture_default_str();
  command->add_option("--input-size", settings.input_size, "model input size in pixels")->capture_default_str();
  command->add_option("--batch-size", settings.batch_size, "images per batch")->capture_default_str();
  command->add_option("--criteria", settings.criteria, "criteria to compute")->capture_default_str();
  command->add_option("--strategy", settings.strategy, "selection strategy")->capture_default_str();
  command->add_option("--budget", settings.budget, "images to select")->capture_default_str();
  command->add_option("--threads", settings.threads, "LibTorch threads per rank (0: the cores shared by the ranks)")
      ->capture_default_str();
  command->add_option("--set", arguments->assignments, "a scoring setting SECTION.KEY=VALUE for every job, repeatable");
  command->add_option("--launcher", settings.launcher, "mpirun, or srun inside a Slurm allocation")
      ->check(CLI::IsMember({"mpirun", "srun"}))
      ->capture_default_str();
  command->add_option("--salient", settings.salient, "the salient binary the jobs run (default: this one)");
  command->add_option("--work", settings.work_dir, "directory of the pools and the runs' studies")->capture_default_str();
  command->add_option("--json", arguments->json, "write every figure as JSON to this file");
  command->add_flag("--plot", arguments->plot, "draw bench-stages.png and bench-scaling.png in the work directory");
  command->callback([arguments, &context] { run_bench(*arguments, context); });
}

}  // namespace salient::cli
