// Integrated Gradients (Sundararajan, Taly and Yan, "Axiomatic attribution for deep
// networks", ICML 2017, eq. 1): for input x, baseline x' and target logit y_c,
//   IG(x) = (x − x') · ∫₀¹ ∂y_c/∂x (x' + α(x − x')) dα,
// the integral by the n-point Gauss–Legendre rule on [0, 1] (Captum's default method
// "gausslegendre": nodes αᵢ = (1 + ξᵢ)/2, weights wᵢ/2 from numpy's leggauss ξᵢ, wᵢ), the
// map summed over input channels. Completeness: Σ IG = y_c(x) − y_c(x') up to the
// quadrature error.
#pragma once

#include <ATen/core/Tensor.h>

#include <vector>

#include "engine/models/classifier.h"
#include "engine/saliency/saliency_result.h"

namespace salient::saliency {

/// Nodes and weights of a quadrature rule on [0, 1].
struct QuadratureRule {
  std::vector<double> nodes;
  std::vector<double> weights;
};

/// The @p n-point Gauss–Legendre rule mapped to [0, 1], nodes ascending; exact for
/// polynomials of degree ≤ 2n − 1. Nodes by Newton's method on the Legendre polynomial
/// Pₙ (three-term recurrence), weights 1 / ((1 − ξ²) Pₙ'(ξ)²) on [0, 1].
QuadratureRule gauss_legendre_unit_interval(int n);

/// Each image blurred per channel by a Gaussian of standard deviation @p sigma pixels:
/// kernel radius r = ⌈3σ⌉, taps exp(−t²/(2σ²)) normalised to sum 1, reflection at the
/// borders (torchvision's gaussian_blur with kernel_size 2r + 1). Requires r < h and r < w.
at::Tensor gaussian_blur(const at::Tensor& images, double sigma);

/// IG maps N×S×S of @p input (N×ch×S×S) against @p baseline (same shape), @p steps
/// forward and backward passes of the batch plus one clean forward for the logits.
SaliencyResult integrated_gradients(models::Classifier& model, const at::Tensor& input, const at::Tensor& targets,
                                    const at::Tensor& baseline, int steps);

}  // namespace salient::saliency
