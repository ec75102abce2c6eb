// Learning curves (DESIGN.md "Work directory of a study"): the mean validation AUC of each
// round's model against the labels it learnt from. curve.csv holds one row per evaluated
// round; curve.png plots it with gnuplot (Debian's gnuplot-nox, pngcairo terminal), one
// line per study when several are compared.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/training/evaluation.h"

namespace salient::round {

struct CurveRow {
  std::uint32_t round = 0;
  std::int64_t labels = 0;
  std::int64_t validation_images = 0;
  double mean_auc = 0.0;
  double accuracy = 0.0;
  std::vector<double> auc;  ///< per label
};

/// Every rounds/RRR/metrics.json of the study, in round order (stopping at the first
/// round without one).
std::vector<CurveRow> read_learning_curve(const std::string& study_dir, const std::vector<std::string>& label_names);

/// (labels, mean AUC) of the rows whose mean AUC is defined; of rows with the same labels,
/// the last.
std::vector<training::CurvePoint> curve_points(const std::vector<CurveRow>& rows);

/// Writes STUDY/curve.csv (round,labels,validation_images,mean_auc,accuracy,auc_<label>…)
/// and STUDY/curve.png. Returns the rows.
std::vector<CurveRow> write_learning_curve(const std::string& study_dir, const std::vector<std::string>& label_names);

struct PlotSeries {
  std::string name;
  std::vector<training::CurvePoint> points;
};
/// Plots AUC against labels, one line per series, to @p png_path (written whole). Returns
/// false, with a warning, when gnuplot is not installed or fails.
bool plot_learning_curves(const std::vector<PlotSeries>& series, const std::string& title,
                          const std::string& png_path);

}  // namespace salient::round
