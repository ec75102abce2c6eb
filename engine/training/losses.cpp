#include "engine/training/losses.h"

#include <fmt/ranges.h>
#include <torch/torch.h>

#include "salient/check.h"

namespace salient::training {
namespace {

namespace F = torch::nn::functional;

// ε of the outside share's denominator: an all-zero map has no mass outside.
constexpr double kMassEpsilon = 1e-8;

// grid × S one-hot: row g marks the pixels i of cell g, g = ⌊i·grid / S⌋.
torch::Tensor cell_membership(std::int64_t grid, std::int64_t side, const torch::TensorOptions& options) {
  const auto cell_of_pixel = torch::floor(torch::arange(side, options.dtype(torch::kDouble)) * grid / side);
  return (torch::arange(grid, options.dtype(torch::kDouble)).unsqueeze(1) == cell_of_pixel.unsqueeze(0))
      .to(options.dtype());
}

// Logits of an autocast forward pass are bf16 or fp16: losses are computed in float32 at least.
torch::Tensor at_least_float(const torch::Tensor& tensor) {
  return tensor.is_floating_point() && tensor.element_size() < 4 ? tensor.to(torch::kFloat) : tensor;
}

}  // namespace

at::Tensor classification_loss(const at::Tensor& logits, const at::Tensor& labels, models::OutputKind kind) {
  SALIENT_CHECK(logits.dim() == 2 && labels.sizes() == logits.sizes(), "labels {} do not match logits {}",
                labels.sizes(), logits.sizes());
  const auto logits32 = at_least_float(logits);
  const auto label_values = labels.to(logits.device(), logits32.scalar_type());
  if (kind == models::OutputKind::multi_label) {
    const auto known = (label_values >= 0).to(logits32.scalar_type());
    const auto target = (label_values > 0).to(logits32.scalar_type());
    const auto each = F::binary_cross_entropy_with_logits(
        logits32, target, F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kNone));
    return (each * known).sum(1) / known.sum(1).clamp_min(1.0);
  }
  const auto positive = label_values > 0;
  const auto has_label = positive.any(1).to(logits32.scalar_type());
  const auto target = positive.to(torch::kFloat).argmax(1);
  const auto each = F::cross_entropy(logits32, target, F::CrossEntropyFuncOptions().reduction(torch::kNone));
  return each * has_label;
}

at::Tensor input_gradient_penalty(const at::Tensor& input, const at::Tensor& logits, const at::Tensor& ignore_mask,
                                  models::OutputKind kind) {
  SALIENT_CHECK(input.requires_grad(), "the input gradient penalty needs an input that requires a gradient");
  SALIENT_CHECK(ignore_mask.dim() == 4 && ignore_mask.size(0) == input.size(0) && ignore_mask.size(1) == 1 &&
                    ignore_mask.sizes().slice(2) == input.sizes().slice(2),
                "ignore mask {} does not fit the input {}", ignore_mask.sizes(), input.sizes());
  const auto logits32 = at_least_float(logits);
  const auto log_probabilities =
      kind == models::OutputKind::multi_label ? F::logsigmoid(logits32) : torch::log_softmax(logits32, 1);
  const auto gradient = torch::autograd::grad({log_probabilities.sum()}, {input}, /*grad_outputs=*/{},
                                              /*retain_graph=*/true, /*create_graph=*/true)[0];
  return (ignore_mask.to(gradient.dtype()) * gradient.square()).sum({1, 2, 3});
}

at::Tensor gradcam_outside_roi(const at::Tensor& trunk_output, const at::Tensor& logits, const at::Tensor& labels,
                               const at::Tensor& roi) {
  SALIENT_CHECK(trunk_output.dim() == 4 && roi.dim() == 4 && roi.size(1) == 1 && roi.size(0) == trunk_output.size(0),
                "Grad-CAM guidance needs N×K×h×w trunk outputs and N×1×S×S ROIs (got {} and {})", trunk_output.sizes(),
                roi.sizes());
  const auto logits32 = at_least_float(logits);
  const auto positive = (labels.to(logits.device()) > 0).to(logits32.scalar_type());
  const auto target = (logits32 * positive).sum();
  const auto gradient = torch::autograd::grad({target}, {trunk_output}, /*grad_outputs=*/{}, /*retain_graph=*/true,
                                              /*create_graph=*/true)[0];
  const auto weights = gradient.mean({2, 3}, /*keepdim=*/true);
  const auto cam = at_least_float(torch::relu((weights * trunk_output).sum(1, /*keepdim=*/true)));
  const auto map = F::interpolate(cam, F::InterpolateFuncOptions()
                                           .size(std::vector<std::int64_t>{roi.size(2), roi.size(3)})
                                           .mode(torch::kBilinear)
                                           .align_corners(false));
  const auto inside = roi.to(map.scalar_type());
  const auto outside_share = (map * (1.0 - inside)).sum({1, 2, 3}) / (map.sum({1, 2, 3}) + kMassEpsilon);
  const auto guided = (positive.sum(1) > 0).logical_and(inside.sum({1, 2, 3}) > 0).to(map.scalar_type());
  return outside_share * guided;
}

at::Tensor marks_from_squares(const at::Tensor& squares, std::int64_t side) {
  SALIENT_CHECK(squares.dim() == 4 && squares.size(1) == 1 && squares.size(2) == squares.size(3),
                "marked squares must be N×1×g×g, got {}", squares.sizes());
  SALIENT_CHECK(squares.size(2) >= 1 && squares.size(2) <= side, "a {}x{} grid does not fit {} pixels a side",
                squares.size(2), squares.size(2), side);
  const auto marked = (squares > 0).to(squares.is_floating_point() ? squares.scalar_type() : torch::kFloat);
  const auto cells = cell_membership(squares.size(2), side, marked.options());  // g × S
  return torch::matmul(torch::matmul(cells.t(), marked), cells);
}

at::Tensor ignore_mask_from_roi(const at::Tensor& roi, std::int64_t grid) {
  SALIENT_CHECK(roi.dim() == 4 && roi.size(1) == 1 && roi.size(2) == roi.size(3), "ROIs must be N×1×S×S, got {}",
                roi.sizes());
  SALIENT_CHECK(grid >= 1 && grid <= roi.size(2), "the grid must have 1 to {} cells per side, got {}", roi.size(2),
                grid);
  const auto inside = (roi > 0).to(torch::kFloat);
  const auto cells = cell_membership(grid, roi.size(2), inside.options());          // g × S
  const auto roi_per_cell = torch::matmul(torch::matmul(cells, inside), cells.t());  // N×1×g×g
  const auto has_roi = (inside.sum({1, 2, 3}) > 0).to(torch::kFloat).view({-1, 1, 1, 1});
  const auto marked = (roi_per_cell == 0).to(torch::kFloat) * has_roi;
  return torch::matmul(torch::matmul(cells.t(), marked), cells);
}

}  // namespace salient::training
