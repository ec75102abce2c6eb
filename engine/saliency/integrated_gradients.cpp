#include "engine/saliency/integrated_gradients.h"

#include <torch/torch.h>

#include <cmath>

#include "engine/saliency/input_gradients.h"
#include "salient/check.h"

namespace salient::saliency {

QuadratureRule gauss_legendre_unit_interval(int n) {
  SALIENT_CHECK(n >= 1, "Integrated Gradients needs at least one step, not {}", n);
  QuadratureRule rule{std::vector<double>(static_cast<std::size_t>(n)), std::vector<double>(static_cast<std::size_t>(n))};
  const double pi = std::acos(-1.0);
  for (int i = 0; i < n; ++i) {
    // Root i of Pₙ on [−1, 1], from Tricomi's initial guess: the roots come in descending order.
    double xi = std::cos(pi * (i + 0.75) / (n + 0.5));
    double derivative = 1.0;
    for (int iteration = 0; iteration < 100; ++iteration) {
      double p_previous = 1.0;  // P₀
      double p = xi;            // P₁
      for (int k = 2; k <= n; ++k) {
        const double p_next = ((2.0 * k - 1.0) * xi * p - (k - 1.0) * p_previous) / k;
        p_previous = p;
        p = p_next;
      }
      derivative = n * (xi * p - p_previous) / (xi * xi - 1.0);
      const double step = p / derivative;
      xi -= step;
      if (std::abs(step) < 1e-15) break;
    }
    // Stored in ascending order, as numpy's leggauss (and so Captum) lists them.
    const auto slot = static_cast<std::size_t>(n - 1 - i);
    rule.nodes[slot] = 0.5 * (1.0 + xi);
    rule.weights[slot] = 1.0 / ((1.0 - xi * xi) * derivative * derivative);
  }
  return rule;
}

at::Tensor gaussian_blur(const at::Tensor& images, double sigma) {
  SALIENT_CHECK(sigma > 0.0, "the blurred baseline needs sigma > 0 pixels, not {}", sigma);
  const auto radius = static_cast<std::int64_t>(std::ceil(3.0 * sigma));
  SALIENT_CHECK(radius < images.size(-2) && radius < images.size(-1),
                "a Gaussian blur of sigma {} px reaches {} px, more than the {}×{} image allows", sigma, radius,
                images.size(-2), images.size(-1));
  const auto offsets = torch::arange(-radius, radius + 1, torch::TensorOptions().dtype(torch::kFloat64));
  auto taps = torch::exp(-0.5 * (offsets / sigma).square());
  taps = (taps / taps.sum()).to(images.options());
  const auto channels = images.size(1);
  const auto size = 2 * radius + 1;
  const auto horizontal = taps.view({1, 1, 1, size}).expand({channels, 1, 1, size});
  const auto vertical = taps.view({1, 1, size, 1}).expand({channels, 1, size, 1});
  const auto padded = torch::reflection_pad2d(images, {radius, radius, radius, radius});
  const auto depthwise = [channels](const at::Tensor& x, const at::Tensor& weights) {
    return torch::conv2d(x, weights, /*bias=*/at::Tensor(), /*stride=*/at::IntArrayRef{1}, /*padding=*/at::IntArrayRef{0},
                         /*dilation=*/at::IntArrayRef{1}, /*groups=*/channels);
  };
  return depthwise(depthwise(padded, horizontal), vertical);
}

SaliencyResult integrated_gradients(models::Classifier& model, const at::Tensor& input, const at::Tensor& targets,
                                    const at::Tensor& baseline, int steps) {
  SALIENT_CHECK(baseline.sizes() == input.sizes(), "Integrated Gradients: baseline {} differs from input {}",
                c10::str(baseline.sizes()), c10::str(input.sizes()));
  const auto rule = gauss_legendre_unit_interval(steps);
  at::Tensor logits;
  {
    torch::NoGradGuard no_grad;
    logits = model.logits(input);
  }
  const auto classes = checked_targets(targets, logits);
  const auto difference = input - baseline;
  auto integral = torch::zeros_like(input);
  for (std::size_t i = 0; i < rule.nodes.size(); ++i) {
    const auto point = baseline + rule.nodes[i] * difference;
    integral.add_(target_logit_gradient(model, point, classes).gradient, rule.weights[i]);
  }
  return {(difference * integral).sum(1), logits};
}

}  // namespace salient::saliency
