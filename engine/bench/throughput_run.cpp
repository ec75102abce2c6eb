#include "engine/bench/throughput_run.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>

#include "engine/runtime/child_process.h"
#include "engine/runtime/threads.h"
#include "salient/check.h"
#include "salient/io/atomic_file.h"
#include "salient/io/pool.h"
#include "salient/io/score_table.h"
#include "salient/io/staging_directory.h"
#include "salient/io/synth_pool.h"
#include "salient/io/study_dir.h"

namespace salient::bench {
namespace {

namespace fs = std::filesystem;

// The pool of @p images images: the given one, or a synthetic pool kept in the work
// directory (reused by later runs with the same size, resolution and seed).
std::string pool_for(const BenchSettings& settings, std::int64_t images) {
  if (!settings.pool.empty()) return settings.pool;
  const fs::path dir = fs::path(settings.work_dir) / fmt::format("pool-{}x{}-seed{}", images, settings.size, settings.seed);
  if (fs::exists(dir / io::kManifestName)) return dir.string();
  spdlog::info("bench: synthesizing {} images of {}×{} in {}", images, settings.size, settings.size, dir.string());
  io::SynthOptions options;
  options.count = images;
  options.phantom.size = settings.size;
  options.phantom.seed = settings.seed;
  io::synthesize_pool(dir.string(), options);
  return dir.string();
}

int threads_per_rank(const BenchSettings& settings, int ranks) {
  if (settings.threads > 0) return settings.threads;
  return std::max(1, runtime::usable_cpus() / ranks);
}

std::vector<std::string> job_command(const BenchSettings& settings, const std::string& pool, const std::string& study,
                                     int ranks) {
  std::vector<std::string> command;
  if (settings.launcher == "srun") {
    command = {"srun", "--mpi=pmix", "-n", std::to_string(ranks)};
  } else {
    command = {"mpirun", "-np", std::to_string(ranks), "--bind-to", "none"};
    // Open MPI refuses root (containers) unless told, and more ranks than cores unless told.
    if (geteuid() == 0) command.push_back("--allow-run-as-root");
    if (ranks > runtime::usable_cpus()) command.push_back("--oversubscribe");
  }
  const std::vector<std::string> score{settings.salient,
                                       "--log-level", "warn", "score", "--study", study, "--pool", pool,
                                       "--model", settings.model, "--input-size", std::to_string(settings.input_size),
                                       "--batch-size", std::to_string(settings.batch_size),
                                       "--criteria", settings.criteria, "--strategy", settings.strategy,
                                       "--budget", std::to_string(settings.budget),
                                       "--threads", std::to_string(threads_per_rank(settings, ranks)),
                                       "--seed", std::to_string(settings.seed), "--select", "--no-progress"};
  command.insert(command.end(), score.begin(), score.end());
  command.insert(command.end(), settings.extra_arguments.begin(), settings.extra_arguments.end());
  return command;
}

// Bytes each stage moves per image (docs/benchmarks.md, "salient bench"): the stored pixels
// (and ROI masks) read, the model input (one float per pixel at the input size), the float
// saliency maps at the pool's resolution that the saliency stage writes and the kernels read.
std::map<std::string, std::int64_t> bytes_per_image(const std::string& pool_dir, int input_size) {
  const io::Pool pool = io::Pool::open(pool_dir);
  const auto& manifest = pool.manifest();
  const std::int64_t pixels = manifest.height * manifest.width;
  const bool roi = pool.shard_count() > 0 && pool.open_shard(0).has_roi();
  const std::int64_t map_bytes = pixels * static_cast<std::int64_t>(sizeof(float));
  return {{"read", pixels * static_cast<std::int64_t>(io::pixel_bytes(manifest.pixel_type)) + (roi ? pixels : 0)},
          {"saliency", map_bytes},
          {"model", static_cast<std::int64_t>(input_size) * input_size * static_cast<std::int64_t>(sizeof(float))},
          {"kernels", map_bytes}};
}

std::int64_t score_table_bytes(const std::string& study) {
  std::int64_t bytes = 0;
  for (const auto shard : io::scored_shards(study, 0)) {
    bytes += static_cast<std::int64_t>(fs::file_size(io::StudyDir(study).score_table(0, shard)));
  }
  return bytes;
}

void read_report(const std::string& study, const std::string& pool, int input_size, BenchRun& run) {
  const fs::path path = io::StudyDir(study).score_report(0);
  const auto report = nlohmann::json::parse(io::read_whole_file(path), nullptr, false);
  SALIENT_CHECK(!report.is_discarded(), "'{}' is not valid JSON", path.string());
  run.score_seconds = report.at("seconds").get<double>();
  const auto& ranks = report.at("ranks");
  if (!ranks.empty()) run.device = ranks.at(0).at("device").get<std::string>();
  auto per_image = bytes_per_image(pool, input_size);
  for (const char* name : {"read", "saliency", "model", "kernels", "write"}) {
    StageMeasurement stage;
    stage.name = name;
    for (const auto& rank : ranks) {
      stage.rank_seconds.push_back(rank.at("stages").at(name).get<double>());
      stage.rank_images.push_back(rank.at("images_computed").get<std::int64_t>());
    }
    stage.bytes = std::string(name) == "write" ? score_table_bytes(study) : per_image[name] * run.images;
    run.stages.push_back(std::move(stage));
  }
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Every criterion value of @p study's tables against @p reference's, bit for bit, and the
// selection file byte for byte.
void compare_with_reference(const std::string& study, const std::string& reference, RunCheck& check) {
  const auto reference_shards = io::scored_shards(reference, 0);
  if (io::scored_shards(study, 0) != reference_shards) {
    check.problem = "its score tables cover other shards than the reference's";
    return;
  }
  for (const auto shard : reference_shards) {
    const auto expected = io::read_score_table(io::StudyDir(reference).score_table(0, shard));
    const auto actual = io::read_score_table(io::StudyDir(study).score_table(0, shard));
    if (actual.indices != expected.indices || actual.columns.size() != expected.columns.size()) {
      check.problem = fmt::format("shard {}: other images or criteria than the reference's", shard);
      return;
    }
    for (std::size_t c = 0; c < expected.columns.size(); ++c) {
      const auto& want = expected.columns[c].values;
      const auto& got = actual.columns[c].values;
      for (std::size_t i = 0; i < want.size(); ++i) {
        ++check.values_compared;
        if (same_bits(want[i], got[i])) continue;
        ++check.values_differing;
        const double difference = std::abs(want[i] - got[i]);
        check.max_abs_difference = std::isnan(difference) ? difference : std::max(check.max_abs_difference, difference);
      }
    }
  }
  check.selection_identical =
      io::read_whole_file(io::StudyDir(study).selection(0)) ==
          io::read_whole_file(io::StudyDir(reference).selection(0));
  if (!check.selection_identical) check.problem = "its selection differs from the reference's";
}

// Runs one scoring job; its study is WORK/runs/NAME, its output WORK/runs/NAME.log.
BenchRun run_job(const BenchSettings& settings, const std::string& name, const std::string& scaling,
                 const std::string& pool, int ranks) {
  BenchRun run;
  run.scaling = scaling;
  run.ranks = ranks;
  run.threads_per_rank = threads_per_rank(settings, ranks);
  run.pool = pool;
  run.images = io::Pool::open(pool).size();
  const fs::path study = fs::path(settings.work_dir) / "runs" / name;
  const std::string log = study.string() + ".log";
  io::remove_tree(study);
  fs::create_directories(study.parent_path());
  const auto command = job_command(settings, pool, study.string(), ranks);
  spdlog::info("bench: {} ranks, {} images: {}", ranks, run.images, runtime::shell_command_line(command));
  const auto start = std::chrono::steady_clock::now();
  const auto result = runtime::run_process(command, /*capture=*/true);
  run.job_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  io::write_file_atomically(log, result.output);
  if (!result.started) {
    run.check.problem = fmt::format("{} could not start: is it installed and on PATH?", command[0]);
  } else if (result.status != 0) {
    run.check.problem = fmt::format("the job failed with status {}: see {}", result.status, log);
  } else {
    read_report(study.string(), pool, settings.input_size, run);
  }
  return run;
}

}  // namespace

std::int64_t RunCheck::wrong() const {
  return values_differing + (problem.empty() ? 0 : 1);
}

std::vector<BenchRun> run_benchmark(const BenchSettings& settings) {
  SALIENT_CHECK(!settings.ranks.empty(), "no rank counts to run");
  SALIENT_CHECK(settings.strong || settings.weak, "neither strong nor weak scaling asked for");
  SALIENT_CHECK(!settings.weak || settings.pool.empty(), "weak scaling grows a synthetic pool with the ranks: leave out --pool");
  for (const int ranks : settings.ranks) SALIENT_CHECK(ranks >= 1, "--ranks: {} is not a rank count", ranks);
  SALIENT_CHECK(settings.launcher == "mpirun" || settings.launcher == "srun", "--launcher '{}': mpirun or srun",
                settings.launcher);
  fs::create_directories(settings.work_dir);
  const int reference_ranks = settings.ranks.front();
  std::map<std::string, std::string> reference_of_pool;  // pool → the reference run's study
  auto study_of = [&](const std::string& name) { return (fs::path(settings.work_dir) / "runs" / name).string(); };
  auto check = [&](BenchRun& run, const std::string& name) {
    if (!run.check.problem.empty()) return;
    auto reference = reference_of_pool.find(run.pool);
    if (reference == reference_of_pool.end()) {
      const std::string reference_name = fmt::format("reference-np{}-{}", reference_ranks, run.images);
      const BenchRun made = run_job(settings, reference_name, "reference", run.pool, reference_ranks);
      SALIENT_CHECK(made.check.problem.empty(), "the reference run on {} failed: {}", run.pool, made.check.problem);
      reference = reference_of_pool.emplace(run.pool, study_of(reference_name)).first;
    }
    compare_with_reference(study_of(name), reference->second, run.check);
  };

  std::vector<BenchRun> runs;
  auto measure = [&](const std::string& scaling, int ranks, std::int64_t images) {
    const std::string pool = pool_for(settings, images);
    const std::string name = fmt::format("{}-np{}", scaling, ranks);
    BenchRun run = run_job(settings, name, scaling, pool, ranks);
    if (ranks == reference_ranks && run.check.problem.empty() && !reference_of_pool.count(pool)) {
      run.check.is_reference = true;
      run.check.selection_identical = true;
      reference_of_pool.emplace(pool, study_of(name));
    } else {
      check(run, name);
    }
    runs.push_back(std::move(run));
  };
  if (settings.strong) {
    for (const int ranks : settings.ranks) measure("strong", ranks, settings.images);
  }
  if (settings.weak) {
    for (const int ranks : settings.ranks) measure("weak", ranks, settings.images * ranks);
  }
  return runs;
}

}  // namespace salient::bench
