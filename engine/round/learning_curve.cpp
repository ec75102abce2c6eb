#include "engine/round/learning_curve.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "engine/round/score_round.h"
#include "engine/round/tune_round.h"
#include "engine/runtime/gnuplot.h"
#include "salient/io/atomic_file.h"
#include "salient/io/csv.h"
#include "salient/io/study_dir.h"

namespace salient::round {
namespace {

namespace fs = std::filesystem;

double number_of(const nlohmann::json& value) {
  return value.is_null() ? std::nan("") : value.get<double>();
}

std::string number_text(double value) { return std::isnan(value) ? "" : fmt::format("{:.6f}", value); }

}  // namespace

std::vector<CurveRow> read_learning_curve(const std::string& study_dir, const std::vector<std::string>& label_names) {
  std::vector<CurveRow> rows;
  for (std::uint32_t round = 0;; ++round) {
    std::ifstream input(io::StudyDir(study_dir).metrics(round));
    if (!input) break;
    const auto json = nlohmann::json::parse(input, nullptr, false);
    if (json.is_discarded()) throw Error(fmt::format("'{}' is not valid JSON", io::StudyDir(study_dir).metrics(round)));
    CurveRow row;
    row.round = round;
    row.labels = json.at("labels").get<std::int64_t>();
    const auto& validation = json.at("validation");
    row.validation_images = validation.at("images").get<std::int64_t>();
    row.mean_auc = number_of(validation.at("mean_auc"));
    row.accuracy = validation.at("accuracy").get<double>();
    for (const auto& name : label_names) row.auc.push_back(number_of(validation.at("auc").at(name)));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<training::CurvePoint> curve_points(const std::vector<CurveRow>& rows) {
  std::vector<training::CurvePoint> points;
  for (const auto& row : rows) {
    if (std::isnan(row.mean_auc)) continue;
    if (!points.empty() && points.back().labels == row.labels) points.pop_back();
    points.push_back({row.labels, row.mean_auc});
  }
  return points;
}

std::vector<CurveRow> write_learning_curve(const std::string& study_dir, const std::vector<std::string>& label_names) {
  const auto rows = read_learning_curve(study_dir, label_names);
  std::string text = "round,labels,validation_images,mean_auc,accuracy";
  for (const auto& name : label_names) text += "," + io::csv_field("auc_" + name);
  text += "\n";
  for (const auto& row : rows) {
    text += fmt::format("{},{},{},{},{}", row.round, row.labels, row.validation_images, number_text(row.mean_auc),
                        number_text(row.accuracy));
    for (const double auc : row.auc) text += "," + number_text(auc);
    text += "\n";
  }
  io::write_file_atomically(io::StudyDir(study_dir).curve_csv(), text);
  plot_learning_curves({{fs::path(study_dir).filename().string(), curve_points(rows)}},
                       "mean validation AUC of " + study_dir, io::StudyDir(study_dir).curve_png());
  return rows;
}

bool plot_learning_curves(const std::vector<PlotSeries>& series, const std::string& title,
                          const std::string& png_path) {
  std::int64_t most_labels = 1;  // an x range even for a curve of one point at 0 labels
  for (const auto& one : series) {
    for (const auto& point : one.points) most_labels = std::max(most_labels, point.labels);
  }
  std::string commands = fmt::format(
      "set title {} noenhanced\nset xlabel 'labels acquired'\nset ylabel 'mean validation AUC'\n"
      "set xrange [0:{}]\nset yrange [0:1]\nset key bottom right noenhanced\nset grid\n",
      runtime::gnuplot_string(title), most_labels);
  std::string plots;
  std::string data;
  for (const auto& one : series) {
    if (!plots.empty()) plots += ", ";
    plots += fmt::format("'-' using 1:2 with linespoints lw 2 title {}", runtime::gnuplot_string(one.name));
    for (const auto& point : one.points) data += fmt::format("{} {:.6f}\n", point.labels, point.auc);
    data += "e\n";
  }
  return runtime::draw_png(commands + "plot " + plots + "\n" + data, png_path);
}

}  // namespace salient::round
