#include "engine/training/evaluation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "salient/check.h"

namespace salient::training {

double roc_auc(const std::vector<double>& scores, const std::vector<std::uint8_t>& positive) {
  SALIENT_CHECK(scores.size() == positive.size(), "AUC: {} scores for {} labels", scores.size(), positive.size());
  const std::size_t n = scores.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  double positive_rank_sum = 0.0;
  std::size_t positives = 0;
  for (std::size_t first = 0; first < n;) {
    std::size_t last = first;
    while (last + 1 < n && scores[order[last + 1]] == scores[order[first]]) ++last;
    // Ranks first+1 … last+1 share their mean.
    const double mean_rank = (static_cast<double>(first) + static_cast<double>(last)) / 2.0 + 1.0;
    for (std::size_t i = first; i <= last; ++i) {
      if (positive[order[i]] != 0) {
        positive_rank_sum += mean_rank;
        ++positives;
      }
    }
    first = last + 1;
  }
  const std::size_t negatives = n - positives;
  if (positives == 0 || negatives == 0) return std::numeric_limits<double>::quiet_NaN();
  const double p = static_cast<double>(positives);
  return (positive_rank_sum - p * (p + 1.0) / 2.0) / (p * static_cast<double>(negatives));
}

LabelMetrics label_metrics(const std::vector<double>& probabilities, const std::vector<std::int8_t>& labels,
                           std::int64_t classes, bool multi_label) {
  SALIENT_CHECK(classes >= 1 && probabilities.size() == labels.size() &&
                    probabilities.size() % static_cast<std::size_t>(classes) == 0,
                "metrics: {} probabilities and {} labels do not form rows of {} classes", probabilities.size(),
                labels.size(), classes);
  const auto c_count = static_cast<std::size_t>(classes);
  const std::size_t n = probabilities.size() / c_count;
  LabelMetrics metrics;
  double auc_sum = 0.0;
  std::size_t defined = 0;
  for (std::size_t c = 0; c < c_count; ++c) {
    std::vector<double> scores;
    std::vector<std::uint8_t> positive;
    for (std::size_t i = 0; i < n; ++i) {
      const std::int8_t label = labels[i * c_count + c];
      if (label < 0) continue;  // unknown: in neither class
      scores.push_back(probabilities[i * c_count + c]);
      positive.push_back(label > 0 ? 1 : 0);
    }
    metrics.auc.push_back(roc_auc(scores, positive));
    if (!std::isnan(metrics.auc.back())) {
      auc_sum += metrics.auc.back();
      ++defined;
    }
  }
  metrics.mean_auc = defined > 0 ? auc_sum / static_cast<double>(defined) : std::numeric_limits<double>::quiet_NaN();

  std::size_t correct = 0;
  std::size_t judged = 0;
  if (multi_label) {
    for (std::size_t k = 0; k < probabilities.size(); ++k) {
      if (labels[k] < 0) continue;
      correct += (probabilities[k] >= 0.5) == (labels[k] > 0);
      ++judged;
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      const auto row = probabilities.begin() + static_cast<std::ptrdiff_t>(i * c_count);
      const auto predicted = static_cast<std::size_t>(std::max_element(row, row + classes) - row);
      correct += labels[i * c_count + predicted] > 0;
      ++judged;
    }
  }
  metrics.accuracy = judged > 0 ? static_cast<double>(correct) / static_cast<double>(judged) : 0.0;
  return metrics;
}

double area_under_learning_curve(const std::vector<CurvePoint>& curve) {
  SALIENT_CHECK(!curve.empty(), "a learning curve needs at least one point");
  if (curve.size() == 1) return curve.front().auc;
  double area = 0.0;
  for (std::size_t k = 1; k < curve.size(); ++k) {
    SALIENT_CHECK(curve[k].labels > curve[k - 1].labels,
                  "learning curve: labels must increase, but point {} has {} after {}", k, curve[k].labels,
                  curve[k - 1].labels);
    area += 0.5 * (curve[k].auc + curve[k - 1].auc) * static_cast<double>(curve[k].labels - curve[k - 1].labels);
  }
  return area / static_cast<double>(curve.back().labels - curve.front().labels);
}

}  // namespace salient::training
