// How good the model is after a round, on the validation split, and how good a strategy
// is over rounds.
//
// AUC of one label: the Mann–Whitney statistic, the probability that a positive image
// scores above a negative one, ties counting one half:
//   AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊ n₋),
// R₊ the sum of the positives' ranks among all scores, tied scores sharing their mean rank
// (Hanley and McNeil 1982; scikit-learn's roc_auc_score gives the same value). Undefined
// (NaN) when the label has no positive or no negative image.
//
// The area under the learning curve (ALC) of points (labels nₖ, AUCₖ), nₖ increasing: the
// trapezoidal area divided by the span of labels, n_last − n_first, i.e. the curve's mean
// AUC over the labeling budget; the single AUC for a one-point curve.
#pragma once

#include <cstdint>
#include <vector>

namespace salient::training {

/// AUC of @p scores (any real values, higher = more likely positive) against @p positive
/// (nonzero = positive), both of the same length. NaN when a class is absent.
double roc_auc(const std::vector<double>& scores, const std::vector<std::uint8_t>& positive);

struct LabelMetrics {
  std::vector<double> auc;  ///< per label; NaN where the validation split lacks a class
  double mean_auc = 0.0;    ///< over the labels whose AUC is defined (NaN when none is)
  /// Multi-label: the fraction of known (image, label) pairs with [p ≥ 0.5] = label;
  /// multi-class (one positive per image): the fraction of images whose argmax is their label.
  double accuracy = 0.0;
};

/// Metrics of N×C row-major @p probabilities against N×C @p labels: 1 positive, 0 negative,
/// −1 unknown (left out of that label's AUC and of the multi-label accuracy).
LabelMetrics label_metrics(const std::vector<double>& probabilities, const std::vector<std::int8_t>& labels,
                           std::int64_t classes, bool multi_label);

struct CurvePoint {
  std::int64_t labels = 0;  ///< labels acquired so far
  double auc = 0.0;         ///< mean AUC after training on them
};

/// ALC of @p curve (labels strictly increasing; at least one point).
double area_under_learning_curve(const std::vector<CurvePoint>& curve);

}  // namespace salient::training
