// DeepLIFT with the Rescale rule (Shrikumar, Greenside and Kundaje, "Learning important
// features through propagating activation differences", ICML 2017, Sec. 3.5.1), HITL's
// saliency method, for salient's built-in architectures. With a reference input x' (the same
// baselines as Integrated Gradients: black or blurred), every nonlinear layer's gradient is
// replaced by its difference quotient:
//   ReLU         m = Δy / Δx = (ReLU(x) − ReLU(x')) / (x − x'), elementwise
//   max pooling  each window's Δy = max(y, y') − y' goes to the input's arg-max and
//                y − max(y, y') to the reference's arg-max; m = (their sum) / Δx
// and where |Δx| < 10⁻¹⁰ the ordinary gradient is kept. Linear layers (convolutions, batch
// norm in eval mode, average pooling, residual sums, concatenation, the classifier) keep
// their gradient, which is their exact difference quotient. The attribution is
// (x − x') ⊙ ∂^DL y_c/∂x, and sums to y_c(x) − y_c(x') over the input ("summation to
// delta"). These are Captum's DeepLift rules (nonlinear and maxpool, eps = 1e-10, the
// input and its reference run as one batch of 2N), applied through autograd functions instead
// of module hooks, with two of Captum 0.9's faults avoided: where overlapping pooling windows
// share an arg-max their contributions add (the chain rule; Captum's max_unpool keeps one),
// and the fallback gradient is each image's own (captum #1276). tests/engine/test_deeplift.cpp
// checks them against a PyTorch reference that agrees with Captum where Captum is right.
#pragma once

#include <ATen/core/Tensor.h>

#include "engine/models/classifier.h"
#include "engine/saliency/saliency_result.h"

namespace salient::saliency {

/// Attributions N×in_channels×S×S of @p input against @p baseline (same shape) for class
/// targets[n] of image n. The model must be built in, without a WILDCAT head
/// (salient::Error otherwise); it is put in eval mode.
at::Tensor deeplift_attributions(models::Classifier& model, const at::Tensor& input, const at::Tensor& baseline,
                                 const at::Tensor& targets);

/// The saliency method "deeplift": the attributions summed over input channels, N×S×S.
SaliencyResult deeplift_rescale(models::Classifier& model, const at::Tensor& input, const at::Tensor& baseline,
                                const at::Tensor& targets);

}  // namespace salient::saliency
