#include "engine/bench/throughput_report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <limits>
#include <thread>

#include "engine/runtime/build_info.h"
#include "engine/runtime/gnuplot.h"

namespace salient::bench {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double rate(double amount, double seconds) { return seconds > 0 ? amount / seconds : kNaN; }

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  return text;
}

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown CPU";
}

std::string host_name() {
  char name[256] = {};
  gethostname(name, sizeof name - 1);
  return name;
}

bool failed(const BenchRun& run) { return run.stages.empty(); }

std::string number(double value, int decimals) {
  return std::isnan(value) ? std::string("-") : fmt::format("{:.{}f}", value, decimals);
}

}  // namespace

std::vector<StageThroughput> stage_throughputs(const BenchRun& run) {
  std::vector<StageThroughput> rows;
  for (const auto& stage : run.stages) {
    StageThroughput row;
    row.name = stage.name;
    row.images = run.images;
    row.bytes = stage.bytes;
    row.seconds = stage.rank_seconds.empty() ? 0.0 : *std::max_element(stage.rank_seconds.begin(), stage.rank_seconds.end());
    row.images_per_second = rate(static_cast<double>(run.images), row.seconds);
    row.gigabytes_per_second = rate(static_cast<double>(stage.bytes) / 1e9, row.seconds);
    std::int64_t computed = 0;
    for (const auto images : stage.rank_images) computed += images;
    double images_rate = 0, bytes_rate = 0;
    for (std::size_t r = 0; r < stage.rank_seconds.size(); ++r) {
      const double share = computed > 0 ? static_cast<double>(stage.rank_images[r]) / static_cast<double>(computed) : 0.0;
      images_rate += rate(share * static_cast<double>(run.images), stage.rank_seconds[r]);
      bytes_rate += rate(share * static_cast<double>(stage.bytes) / 1e9, stage.rank_seconds[r]);
    }
    const double ranks = static_cast<double>(stage.rank_seconds.size());
    row.rank_images_per_second = ranks > 0 ? images_rate / ranks : kNaN;
    row.rank_gigabytes_per_second = ranks > 0 ? bytes_rate / ranks : kNaN;
    rows.push_back(row);
  }
  return rows;
}

double scoring_images_per_second(const BenchRun& run) {
  return failed(run) ? kNaN : rate(static_cast<double>(run.images), run.score_seconds);
}

double scaling_efficiency(const std::vector<BenchRun>& runs, const BenchRun& run) {
  const BenchRun* base = nullptr;
  for (const auto& other : runs) {
    if (other.scaling == run.scaling && !failed(other) && (!base || other.ranks < base->ranks)) base = &other;
  }
  if (!base || failed(run)) return kNaN;
  const double ideal = scoring_images_per_second(*base) * run.ranks / base->ranks;
  return scoring_images_per_second(run) / ideal;
}

std::int64_t total_wrong(const std::vector<BenchRun>& runs) {
  std::int64_t wrong = 0;
  for (const auto& run : runs) wrong += run.check.wrong();
  return wrong;
}

std::string bench_table(const BenchSettings& settings, const std::vector<BenchRun>& runs) {
  std::string text;
  text += fmt::format("# salient bench: `salient score --select`, model {} at {} px, batch {}, criteria {}, {} of {}\n",
                      settings.model, settings.input_size, settings.batch_size, settings.criteria, settings.strategy,
                      settings.budget);
  text += fmt::format("# {} on {}: {} cores ({}), device {}; salient {} ({}), launcher {}\n", utc_now(), host_name(),
                      std::thread::hardware_concurrency(), cpu_model(), runs.empty() ? "-" : runs.front().device,
                      runtime::salient_version(), runtime::git_hash(), settings.launcher);
  text += "#\n#                                                  ------------ aggregate -------------   ---- per rank ----\n";
  text += fmt::format("# {:>7} {:>5} {:>8} {:>8} {:>12} {:>10} {:>10} {:>8} {:>10} {:>8} {:>7}\n", "scaling", "ranks",
                      "stage", "images", "bytes", "time(s)", "images/s", "GB/s", "images/s", "GB/s", "#wrong");
  for (const auto& run : runs) {
    for (const auto& stage : stage_throughputs(run)) {
      text += fmt::format("  {:>7} {:>5} {:>8} {:>8} {:>12} {:>10} {:>10} {:>8} {:>10} {:>8} {:>7}\n", run.scaling,
                          run.ranks, stage.name, stage.images, stage.bytes, number(stage.seconds, 3),
                          number(stage.images_per_second, 1), number(stage.gigabytes_per_second, 3),
                          number(stage.rank_images_per_second, 1), number(stage.rank_gigabytes_per_second, 3), "");
    }
    text += fmt::format("  {:>7} {:>5} {:>8} {:>8} {:>12} {:>10} {:>10} {:>8} {:>10} {:>8} {:>7}\n", run.scaling,
                        run.ranks, "scoring", run.images, "-", number(failed(run) ? kNaN : run.score_seconds, 3),
                        number(scoring_images_per_second(run), 1), "-",
                        number(scoring_images_per_second(run) / run.ranks, 1), "-", "");
    text += fmt::format("  {:>7} {:>5} {:>8} {:>8} {:>12} {:>10} {:>10} {:>8} {:>10} {:>8} {:>7}\n", run.scaling,
                        run.ranks, "job", run.images, "-", number(run.job_seconds, 3),
                        number(rate(static_cast<double>(run.images), run.job_seconds), 1), "-", "-", "-",
                        run.check.wrong());
  }
  text += "#\n";
  for (const auto& run : runs) {
    const double efficiency = scaling_efficiency(runs, run);
    std::string check = run.check.is_reference ? "the reference"
                        : run.check.problem.empty()
                            ? fmt::format("{} criterion values and the selection identical to the reference",
                                          run.check.values_compared)
                            : run.check.problem;
    if (run.check.values_differing > 0) {
      check += fmt::format(" ({} of {} values differ, max |difference| {:.3g})", run.check.values_differing,
                           run.check.values_compared, run.check.max_abs_difference);
    }
    text += fmt::format("# {} {} rank(s), {} thread(s) each: efficiency {}; {}\n", run.scaling, run.ranks,
                        run.threads_per_rank, std::isnan(efficiency) ? "-" : fmt::format("{:.0f} %", 100 * efficiency),
                        check);
  }
  text += fmt::format("# #wrong: {} (reference: {} rank(s)); stage times are the slowest rank's\n", total_wrong(runs),
                      settings.ranks.front());
  return text;
}

std::string bench_json(const BenchSettings& settings, const std::vector<BenchRun>& runs) {
  nlohmann::json json;
  json["settings"] = {{"images", settings.images},       {"size", settings.size},
                      {"seed", settings.seed},           {"pool", settings.pool},
                      {"ranks", settings.ranks},         {"model", settings.model},
                      {"input_size", settings.input_size}, {"batch_size", settings.batch_size},
                      {"criteria", settings.criteria},   {"strategy", settings.strategy},
                      {"budget", settings.budget},       {"launcher", settings.launcher},
                      {"extra_arguments", settings.extra_arguments}};
  json["machine"] = {{"host", host_name()},
                     {"cores", std::thread::hardware_concurrency()},
                     {"cpu", cpu_model()},
                     {"device", runs.empty() ? "" : runs.front().device}};
  json["date"] = utc_now();
  json["salient"] = {{"version", runtime::salient_version()}, {"commit", runtime::git_hash()}};
  json["runs"] = nlohmann::json::array();
  auto finite = [](double value) { return std::isnan(value) ? nlohmann::json() : nlohmann::json(value); };
  for (const auto& run : runs) {
    nlohmann::json stages = nlohmann::json::array();
    const auto throughputs = stage_throughputs(run);
    for (std::size_t s = 0; s < run.stages.size(); ++s) {
      const auto& row = throughputs[s];
      stages.push_back({{"stage", row.name},
                        {"bytes", row.bytes},
                        {"seconds", row.seconds},
                        {"images_per_second", finite(row.images_per_second)},
                        {"gigabytes_per_second", finite(row.gigabytes_per_second)},
                        {"rank_images_per_second", finite(row.rank_images_per_second)},
                        {"rank_gigabytes_per_second", finite(row.rank_gigabytes_per_second)},
                        {"rank_seconds", run.stages[s].rank_seconds},
                        {"rank_images", run.stages[s].rank_images}});
    }
    json["runs"].push_back({{"scaling", run.scaling},
                            {"ranks", run.ranks},
                            {"threads_per_rank", run.threads_per_rank},
                            {"pool", run.pool},
                            {"images", run.images},
                            {"device", run.device},
                            {"job_seconds", run.job_seconds},
                            {"scoring_seconds", run.score_seconds},
                            {"scoring_images_per_second", finite(scoring_images_per_second(run))},
                            {"efficiency", finite(scaling_efficiency(runs, run))},
                            {"stages", stages},
                            {"check",
                             {{"reference", run.check.is_reference},
                              {"selection_identical", run.check.selection_identical},
                              {"values_compared", run.check.values_compared},
                              {"values_differing", run.check.values_differing},
                              {"max_abs_difference", finite(run.check.max_abs_difference)},
                              {"problem", run.check.problem},
                              {"wrong", run.check.wrong()}}}});
  }
  json["wrong"] = total_wrong(runs);
  return json.dump(2) + "\n";
}

std::vector<std::string> plot_bench(const std::vector<BenchRun>& runs, const std::string& dir) {
  std::filesystem::create_directories(dir);
  std::vector<std::string> drawn;
  std::vector<const BenchRun*> strong;
  for (const auto& run : runs) {
    if (run.scaling == "strong" && !failed(run)) strong.push_back(&run);
  }
  if (!strong.empty()) {
    // One cluster per stage, one bar per rank count: aggregate images/s on a log scale.
    std::string plots, data;
    for (const auto* run : strong) {
      plots += fmt::format("{}'-' using 2:xtic(1) title '{} rank(s)'", plots.empty() ? "" : ", ", run->ranks);
      for (const auto& stage : stage_throughputs(*run)) data += fmt::format("{} {:.6g}\n", stage.name, stage.images_per_second);
      data += fmt::format("scoring {:.6g}\ne\n", scoring_images_per_second(*run));
    }
    const std::string commands = fmt::format(
        "set title {} noenhanced\nset ylabel 'images/s (slowest rank)'\nset logscale y\nset grid ytics\n"
        "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8 border -1\n"
        "set key top right\nplot {}\n{}",
        runtime::gnuplot_string(fmt::format("salient score: throughput per stage, {} images", strong.front()->images)),
        plots, data);
    const std::string path = (std::filesystem::path(dir) / "bench-stages.png").string();
    if (runtime::draw_png(commands, path)) drawn.push_back(path);
  }
  std::string plots, data;
  int most_ranks = 1;
  int colour = 0;
  for (const char* scaling : {"strong", "weak"}) {
    std::string measured, ideal;
    const BenchRun* base = nullptr;
    for (const auto& run : runs) {
      if (run.scaling != scaling || failed(run)) continue;
      if (!base) base = &run;
      most_ranks = std::max(most_ranks, run.ranks);
      measured += fmt::format("{} {:.6g}\n", run.ranks, scoring_images_per_second(run));
      ideal += fmt::format("{} {:.6g}\n", run.ranks, scoring_images_per_second(*base) * run.ranks / base->ranks);
    }
    if (!base) continue;
    ++colour;
    plots += fmt::format("{}'-' using 1:2 with linespoints lw 2 lc {} title '{} scaling', '-' using 1:2 with lines "
                         "dt 2 lc {} title '{} ideal'",
                         plots.empty() ? "" : ", ", colour, scaling, colour, scaling);
    data += measured + "e\n" + ideal + "e\n";
  }
  if (!plots.empty()) {
    const std::string commands = fmt::format(
        "set title 'salient score: scaling over MPI ranks'\nset xlabel 'ranks'\nset ylabel 'images/s (scoring)'\n"
        "set xrange [0.5:{}]\nset yrange [0:*]\nset xtics 1\nset grid\nset key top left\nplot {}\n{}",
        most_ranks + 0.5, plots, data);
    const std::string path = (std::filesystem::path(dir) / "bench-scaling.png").string();
    if (runtime::draw_png(commands, path)) drawn.push_back(path);
  }
  return drawn;
}

}  // namespace salient::bench
