// `salient compare STUDY…`: how several strategies did on the same pool. For each study its
// strategy, labels, final mean AUC, the area under its learning curve (ALC) and the labels
// it needed to reach a target AUC; for each pair, the nDCG of one's selection against the
// other's (IDEAL Sec. V-J, kernels/ranking_comparison.h) and the overlap of what they
// selected and labeled; and one plot with every learning curve.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "engine/cli/commands.h"
#include "engine/cli/study_options.h"
#include "engine/round/learning_curve.h"
#include "engine/round/study_labels.h"
#include "salient/check.h"
#include "salient/kernels/ranking_comparison.h"
#include "salient/io/study_dir.h"

namespace salient::cli {
namespace {

struct CompareArguments {
  std::vector<std::string> studies;
  double target_auc = 0.0;
  std::int64_t round = -1;
  std::string out = "compare.png";
};

struct StudySummary {
  std::string dir;
  round::StudyConfig config;
  std::vector<training::CurvePoint> curve;
  std::vector<std::int64_t> labeled;  ///< global indices of every labeled image
};

StudySummary summarise(const std::string& dir) {
  const std::string config_path = study_config_path(dir);
  SALIENT_CHECK(std::filesystem::exists(config_path), "'{}' is not a study: it has no {}", dir, config_path);
  StudySummary study{dir, round::load_study_config(config_path), {}, {}};
  const io::Pool pool = io::Pool::open(study.config.pool.directory);
  study.curve = round::curve_points(round::read_learning_curve(dir, pool.manifest().label_names));
  const auto index = pool.id_index();
  for (const auto& row : round::read_study_labels(dir, pool.manifest()).rows) study.labeled.push_back(index.at(row.id));
  return study;
}

std::string labels_to_reach(const std::vector<training::CurvePoint>& curve, double target) {
  for (const auto& point : curve) {
    if (point.auc >= target) return std::to_string(point.labels);
  }
  return "not reached";
}

// The selection of @p round as global indices, best first (empty when the study has none).
std::vector<std::int64_t> selection_of(const std::string& study, std::uint32_t round) {
  std::vector<std::int64_t> indices;
  const std::string path = io::StudyDir(study).selection(round);
  if (!std::filesystem::exists(path)) return indices;
  for (const auto& image : round::read_selection_csv(path)) indices.push_back(image.index);
  return indices;
}

// The last round every study has selected in, or 0.
std::uint32_t last_common_round(const std::vector<StudySummary>& studies) {
  for (std::uint32_t round = 1;; ++round) {
    for (const auto& study : studies) {
      if (!std::filesystem::exists(io::StudyDir(study.dir).selection(round))) return round - 1;
    }
  }
}

void run_compare(const CompareArguments& arguments) {
  SALIENT_CHECK(arguments.studies.size() >= 2, "compare needs at least two studies");
  std::vector<StudySummary> studies;
  for (const auto& dir : arguments.studies) studies.push_back(summarise(dir));
  for (const auto& study : studies) {
    SALIENT_CHECK(study.config.pool.directory == studies.front().config.pool.directory,
                  "studies '{}' and '{}' use different pools ({} and {})", studies.front().dir, study.dir,
                  studies.front().config.pool.directory, study.config.pool.directory);
  }
  fmt::print("{:<28} {:<14} {:<9} {:>6} {:>9} {:>8}", "study", "strategy", "tuning", "labels", "last AUC", "ALC");
  if (arguments.target_auc > 0) fmt::print(" {:>14}", fmt::format("labels to {:.3f}", arguments.target_auc));
  fmt::print("\n");
  std::vector<round::PlotSeries> series;
  for (const auto& study : studies) {
    const bool has_curve = !study.curve.empty();
    fmt::print("{:<28} {:<14} {:<9} {:>6} {:>9.4f} {:>8.4f}", study.dir, study.config.strategy.name,
               study.config.training.fine_tuning, study.labeled.size(),
               has_curve ? study.curve.back().auc : std::nan(""),
               has_curve ? training::area_under_learning_curve(study.curve) : std::nan(""));
    if (arguments.target_auc > 0) fmt::print(" {:>14}", labels_to_reach(study.curve, arguments.target_auc));
    fmt::print("\n");
    series.push_back({std::filesystem::path(study.dir).filename().string() + " (" + study.config.strategy.name + ")",
                      study.curve});
  }
  const std::uint32_t round =
      arguments.round >= 0 ? static_cast<std::uint32_t>(arguments.round) : last_common_round(studies);
  fmt::print("\npairs: nDCG of the second's round-{} selection against the first's (p = its size), and the "
             "overlap of their round-{} selections and of every label\n",
             round, round);
  for (std::size_t a = 0; a < studies.size(); ++a) {
    for (std::size_t b = a + 1; b < studies.size(); ++b) {
      const auto first = selection_of(studies[a].dir, round);
      const auto second = selection_of(studies[b].dir, round);
      std::string ndcg = "—";
      std::string overlap = "—";
      if (!first.empty() && !second.empty()) {
        const auto p = static_cast<std::int64_t>(std::min(first.size(), second.size()));
        ndcg = fmt::format("{:.4f}", kernels::ndcg(second, first, p));
        overlap = fmt::format("{:.4f}", kernels::common_fraction({first, second}));
      }
      const std::string labels = studies[a].labeled.empty() || studies[b].labeled.empty()
                                     ? "—"
                                     : fmt::format("{:.4f}", kernels::common_fraction(
                                                                 {studies[a].labeled, studies[b].labeled}));
      fmt::print("  {} vs {}: nDCG {}, selection overlap {}, label overlap {}\n", studies[a].dir, studies[b].dir,
                 ndcg, overlap, labels);
    }
  }
  if (round::plot_learning_curves(series, "mean validation AUC against labels", arguments.out)) {
    fmt::print("\nlearning curves: {}\n", arguments.out);
  }
}

}  // namespace

void register_compare(CLI::App& app, CommandContext&) {
  auto arguments = std::make_shared<CompareArguments>();
  auto* command = app.add_subcommand(
      "compare", "Compare studies of one pool: ALC, labels to a target AUC, nDCG and overlap of their selections");
  command->add_option("studies", arguments->studies, "study directories")->required()->expected(2, -1);
  command->add_option("--target-auc", arguments->target_auc, "report the labels each needed to reach this AUC");
  command->add_option("--round", arguments->round, "round whose selections are compared (default: the last common)");
  command->add_option("--out", arguments->out, "plot of every learning curve")->capture_default_str();
  command->callback([arguments] { run_compare(*arguments); });
}

}  // namespace salient::cli
