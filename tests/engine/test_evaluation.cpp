// Validation metrics and the learning curve's area, against values derived by hand (pair
// counting for AUC: each positive–negative pair scores 1 when the positive is higher, ½ on
// a tie) and, for AUC, against scikit-learn's roc_auc_score (reference/auc_reference.py).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

#include "engine/training/evaluation.h"
#include "support/expect_error.h"

namespace salient::training {
namespace {

TEST(RocAuc, EqualsScikitLearnOnRandomCasesWithTiesAndImbalance) {
  std::ifstream file(SALIENT_AUC_REFERENCE);
  ASSERT_TRUE(file) << SALIENT_AUC_REFERENCE;
  const auto cases = nlohmann::json::parse(file);
  ASSERT_EQ(cases.size(), 8u);
  for (const auto& reference : cases) {
    const auto scores = reference.at("scores").get<std::vector<double>>();
    const auto positive = reference.at("labels").get<std::vector<std::uint8_t>>();
    EXPECT_NEAR(roc_auc(scores, positive), reference.at("auc").get<double>(), 1e-12) << scores.size() << " images";
  }
}

TEST(RocAuc, CountsOrderedPairs) {
  // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 3 of 4 pairs ordered.
  EXPECT_DOUBLE_EQ(roc_auc({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1}), 0.75);
  EXPECT_DOUBLE_EQ(roc_auc({0.1, 0.4, 0.35, 0.8}, {1, 1, 0, 0}), 0.25);
}

TEST(RocAuc, TiesCountOneHalf) {
  // The positive at 0.5 ties both negatives (½ + ½); the one at 0.9 beats both: 3 / 4.
  EXPECT_DOUBLE_EQ(roc_auc({0.5, 0.5, 0.5, 0.9}, {1, 0, 0, 1}), 0.75);
  EXPECT_DOUBLE_EQ(roc_auc({2.0, 2.0, 2.0}, {1, 0, 1}), 0.5);
}

TEST(RocAuc, IsUndefinedWithoutBothClassesAndChecksLengths) {
  EXPECT_TRUE(std::isnan(roc_auc({0.2, 0.3}, {1, 1})));
  EXPECT_TRUE(std::isnan(roc_auc({0.2, 0.3}, {0, 0})));
  testing::expect_error_naming([] { roc_auc({0.1, 0.2}, {1}); }, {"2 scores for 1 labels"});
}

TEST(LabelMetrics, PerLabelAucMeanAndAccuracy) {
  const std::vector<double> probabilities{0.9, 0.2, 0.6, 0.7, 0.3, 0.4, 0.1, 0.8};
  const std::vector<std::int8_t> labels{1, 0, 0, 1, 1, 0, 0, 1};
  // Label 0: positives 0.9, 0.3 against 0.6, 0.1: 3 of 4 pairs. Label 1: 0.7, 0.8 against
  // 0.2, 0.4: all 4.
  const auto multi_label = label_metrics(probabilities, labels, 2, true);
  ASSERT_EQ(multi_label.auc.size(), 2u);
  EXPECT_DOUBLE_EQ(multi_label.auc[0], 0.75);
  EXPECT_DOUBLE_EQ(multi_label.auc[1], 1.0);
  EXPECT_DOUBLE_EQ(multi_label.mean_auc, 0.875);
  // [p ≥ 0.5] against the label: 0.6 (label 0) and 0.3 (label 1) are wrong, 6 of 8 right.
  EXPECT_DOUBLE_EQ(multi_label.accuracy, 0.75);
  // Argmax classes 0, 1, 1, 1 against 0, 1, 0, 1: 3 of 4.
  EXPECT_DOUBLE_EQ(label_metrics(probabilities, labels, 2, false).accuracy, 0.75);
}

TEST(LabelMetrics, AnAbsentClassIsNaNAndLeftOutOfTheMean) {
  const auto metrics = label_metrics({0.9, 0.2, 0.1, 0.1, 0.8, 0.3}, {1, 0, 0, 0, 0, 0}, 3, true);
  EXPECT_DOUBLE_EQ(metrics.auc[0], 1.0);
  EXPECT_TRUE(std::isnan(metrics.auc[1]) && std::isnan(metrics.auc[2]));
  EXPECT_DOUBLE_EQ(metrics.mean_auc, 1.0);
  testing::expect_error_naming([] { label_metrics({0.5, 0.5, 0.5}, {1, 0, 1}, 2, true); }, {"rows of 2 classes"});
}

TEST(LabelMetrics, UnknownLabelsAreLeftOutOfTheirAucAndTheAccuracy) {
  // Rows are images, columns labels; label 0 of image 1 and label 1 of image 2 unknown (−1).
  const std::vector<double> probabilities{0.9, 0.2, 0.6, 0.7, 0.3, 0.4, 0.1, 0.8};
  const std::vector<std::int8_t> labels{1, 0, -1, 1, 1, -1, 0, 1};
  // Label 0 over images 0, 2, 3: positives 0.9, 0.3 against 0.1: 2 of 2 pairs.
  // Label 1 over images 0, 1, 3: positives 0.7, 0.8 against 0.2: 2 of 2.
  const auto metrics = label_metrics(probabilities, labels, 2, true);
  EXPECT_DOUBLE_EQ(metrics.auc[0], 1.0);
  EXPECT_DOUBLE_EQ(metrics.auc[1], 1.0);
  // 6 known pairs; image 2's 0.3 against its positive label 0 is the one wrong: 5 of 6.
  EXPECT_DOUBLE_EQ(metrics.accuracy, 5.0 / 6.0);
}

TEST(LearningCurve, AreaIsTheTrapezoidalMeanOverTheLabelSpan) {
  // (0.6 + 0.7)/2 · 10 + (0.7 + 0.8)/2 · 20 = 21.5 over 30 labels.
  EXPECT_DOUBLE_EQ(area_under_learning_curve({{10, 0.6}, {20, 0.7}, {40, 0.8}}), 21.5 / 30.0);
  EXPECT_DOUBLE_EQ(area_under_learning_curve({{10, 0.6}}), 0.6);
  testing::expect_error_naming([] { area_under_learning_curve({{10, 0.6}, {10, 0.7}}); }, {"labels must increase"});
  testing::expect_error_naming([] { area_under_learning_curve({}); }, {"at least one point"});
}

}  // namespace
}  // namespace salient::training
