// The fine-tuning losses against values derived by hand: BCE over the known labels and
// cross-entropy; HITL's input-gradient penalty of a linear model, whose input gradient is
// known in closed form, and its weight gradient (a double backward) against central
// differences; EG-AL's Grad-CAM share outside the ROI for a trunk output chosen by hand;
// the expert's grid marks.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "engine/training/losses.h"

namespace salient::training {
namespace {

using models::OutputKind;

double softplus(double x) { return std::log1p(std::exp(x)); }

TEST(ClassificationLoss, MultiLabelAveragesBinaryCrossEntropyOverTheKnownLabels) {
  const auto logits = torch::tensor({{0.0, 2.0}, {0.0, 2.0}, {1.0, -1.0}}, torch::kFloat);
  const auto labels = torch::tensor({{1, -1}, {0, 1}, {-1, -1}}, torch::kInt8);
  const auto loss = classification_loss(logits, labels, OutputKind::multi_label);
  // BCE(z, 1) = softplus(−z), BCE(z, 0) = softplus(z).
  EXPECT_NEAR(loss[0].item<double>(), softplus(0.0), 1e-6);                           // the unknown label is left out
  EXPECT_NEAR(loss[1].item<double>(), (softplus(0.0) + softplus(-2.0)) / 2.0, 1e-6);
  EXPECT_EQ(loss[2].item<double>(), 0.0);                                             // no known label
}

TEST(ClassificationLoss, MultiClassIsTheCrossEntropyOfThePositiveClass) {
  const auto logits = torch::tensor({{1.0, 2.0, 3.0}, {1.0, 2.0, 3.0}}, torch::kFloat);
  const auto labels = torch::tensor({{1, 0, 0}, {0, 0, 0}}, torch::kInt8);
  const auto loss = classification_loss(logits, labels, OutputKind::multi_class);
  const double expected = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)) - 1.0;
  EXPECT_NEAR(loss[0].item<double>(), expected, 1e-6);
  EXPECT_EQ(loss[1].item<double>(), 0.0);
}

// A linear multi-label model z_c = Σ_p w_cp x_p + b_c over a 1×1×2×2 input, so that
// ∂/∂x Σ_c log σ(z_c) = Σ_c (1 − σ(z_c)) w_c.
struct LinearModel {
  torch::Tensor weight = torch::tensor({{0.5, -1.0, 2.0, 0.25}, {-0.75, 0.5, 1.0, -2.0}}, torch::kDouble);
  torch::Tensor bias = torch::tensor({0.1, -0.2}, torch::kDouble);
  torch::Tensor logits(const torch::Tensor& input) const {
    return torch::matmul(input.reshape({input.size(0), -1}), weight.t()) + bias;
  }
};

TEST(InputGradientPenalty, IsTheMaskedSquaredInputGradientOfTheLogProbabilities) {
  const LinearModel model;
  const auto input = torch::tensor({0.3, -0.6, 0.9, 0.2}, torch::kDouble).reshape({1, 1, 2, 2}).requires_grad_();
  const auto mask = torch::tensor({1.0, 0.0, 1.0, 1.0}, torch::kDouble).reshape({1, 1, 2, 2});
  const auto penalty = input_gradient_penalty(input, model.logits(input), mask, OutputKind::multi_label);
  // By hand: z, then g_p = Σ_c (1 − σ(z_c)) w_cp, then Σ_p mask_p g_p².
  const double x[4] = {0.3, -0.6, 0.9, 0.2};
  const double w[2][4] = {{0.5, -1.0, 2.0, 0.25}, {-0.75, 0.5, 1.0, -2.0}};
  const double b[2] = {0.1, -0.2};
  const double m[4] = {1.0, 0.0, 1.0, 1.0};
  double one_minus_sigma[2];
  for (int c = 0; c < 2; ++c) {
    double z = b[c];
    for (int p = 0; p < 4; ++p) z += w[c][p] * x[p];
    one_minus_sigma[c] = 1.0 - 1.0 / (1.0 + std::exp(-z));
  }
  double expected = 0.0;
  for (int p = 0; p < 4; ++p) {
    const double g = one_minus_sigma[0] * w[0][p] + one_minus_sigma[1] * w[1][p];
    expected += m[p] * g * g;
  }
  EXPECT_NEAR(penalty.item<double>(), expected, 1e-12);
}

TEST(InputGradientPenalty, ItsWeightGradientMatchesCentralDifferences) {
  LinearModel model;
  model.weight.requires_grad_();
  const auto input = torch::tensor({0.3, -0.6, 0.9, 0.2}, torch::kDouble).reshape({1, 1, 2, 2});
  const auto mask = torch::tensor({1.0, 0.0, 1.0, 1.0}, torch::kDouble).reshape({1, 1, 2, 2});
  const auto penalty_of = [&](const LinearModel& m) {
    const auto x = input.clone().requires_grad_();
    return input_gradient_penalty(x, m.logits(x), mask, OutputKind::multi_label).sum();
  };
  penalty_of(model).backward();  // a double backward through the input gradient
  const auto analytic = model.weight.grad().clone();
  const double step = 1e-6;
  for (int c = 0; c < 2; ++c) {
    for (int p = 0; p < 4; ++p) {
      LinearModel plus;
      LinearModel minus;
      plus.weight = model.weight.detach().clone();
      minus.weight = model.weight.detach().clone();
      plus.weight[c][p] += step;
      minus.weight[c][p] -= step;
      const double numeric = (penalty_of(plus).item<double>() - penalty_of(minus).item<double>()) / (2 * step);
      EXPECT_NEAR(analytic[c][p].item<double>(), numeric, 1e-6) << "weight " << c << "," << p;
    }
  }
}

TEST(GradcamOutsideRoi, IsTheShareOfTheMapOutsideTheRoi) {
  // One channel A = [[1, 0], [0, 3]] and the logit 2·mean(A): α = 2/4 > 0, so the map is A/2
  // and its share outside an ROI on the bottom-right pixel is 1/4. The map is already at the
  // ROI's size, where bilinear resizing is the identity.
  const auto trunk = torch::tensor({1.0, 0.0, 0.0, 3.0}, torch::kFloat).reshape({1, 1, 2, 2}).requires_grad_();
  const auto logits = (2.0 * trunk.mean({2, 3})).reshape({1, 1});
  const auto roi = torch::tensor({0.0, 0.0, 0.0, 1.0}, torch::kFloat).reshape({1, 1, 2, 2});
  const auto positive = torch::tensor({{1}}, torch::kInt8);
  EXPECT_NEAR(gradcam_outside_roi(trunk, logits, positive, roi).item<double>(), 0.25, 1e-6);
  // No positive label, or an empty ROI: no guidance.
  EXPECT_EQ(gradcam_outside_roi(trunk, logits, torch::tensor({{0}}, torch::kInt8), roi).item<double>(), 0.0);
  EXPECT_EQ(gradcam_outside_roi(trunk, logits, positive, torch::zeros_like(roi)).item<double>(), 0.0);
}

TEST(IgnoreMaskFromRoi, MarksEveryGridCellWithoutAnRoiPixel) {
  auto roi = torch::zeros({2, 1, 5, 5}, torch::kFloat);
  roi[0][0][4][1] = 1;  // row 4 is in cell row 1 (⌊4·2/5⌋), column 1 in cell column 0
  const auto marks = ignore_mask_from_roi(roi, 2);
  // Cells of a 5-pixel side cut in 2: pixels 0–2 and 3–4.
  for (int y = 0; y < 5; ++y) {
    for (int x = 0; x < 5; ++x) {
      const bool in_roi_cell = y >= 3 && x <= 2;
      EXPECT_EQ(marks[0][0][y][x].item<float>(), in_roi_cell ? 0.0f : 1.0f) << y << "," << x;
    }
  }
  EXPECT_EQ(marks[1].sum().item<float>(), 0.0f);  // no ROI, no marks
}

TEST(MarksFromSquares, CoverTheCellsTheLossCuts) {
  // Square 3 of a 2×2 grid (cell row 1, cell column 1) over a 5-pixel side: pixels 3–4 both ways.
  auto squares = torch::zeros({1, 1, 2, 2});
  squares[0][0][1][1] = 1;
  const auto marks = marks_from_squares(squares, 5);
  for (int y = 0; y < 5; ++y) {
    for (int x = 0; x < 5; ++x) EXPECT_EQ(marks[0][0][y][x].item<float>(), y >= 3 && x >= 3 ? 1.0f : 0.0f);
  }
}

TEST(InputGradientPenalty, FallsOnTheExpertsMarkedSquaresOnly) {
  // One class, z = Σ_p w_p x_p + b on a 4×4 input: ∂ log σ(z)/∂x_p = (1 − σ(z)) w_p. The expert
  // marks square 1 of a 2×2 grid (cell row 0, column 1: pixels y 0–1, x 2–3), so the penalty
  // is (1 − σ(z))² Σ w_p² over those four pixels and nothing else.
  auto w = torch::arange(1, 17, torch::kDouble).reshape({1, 16}) / 8.0 - 1.0;  // −0.875 … 1.0
  const auto x = torch::linspace(-1.0, 1.0, 16, torch::kDouble).reshape({1, 1, 4, 4}).requires_grad_();
  const double b = 0.3;
  const auto logits = torch::matmul(x.reshape({1, 16}), w.t()) + b;
  auto squares = torch::zeros({1, 1, 2, 2}, torch::kDouble);
  squares[0][0][0][1] = 1;
  const auto marks = marks_from_squares(squares, 4);
  const auto penalty = input_gradient_penalty(x, logits, marks, OutputKind::multi_label).item<double>();
  double z = b;
  for (int p = 0; p < 16; ++p) z += w[0][p].item<double>() * x.reshape({16})[p].item<double>();
  const double one_minus_sigma = 1.0 - 1.0 / (1.0 + std::exp(-z));
  double marked = 0.0;
  for (const int p : {2, 3, 6, 7}) marked += std::pow(w[0][p].item<double>(), 2);
  EXPECT_NEAR(penalty, one_minus_sigma * one_minus_sigma * marked, 1e-12);
}

}  // namespace
}  // namespace salient::training
