// Saliency from the gradient of the target logit y_c (before sigmoid or softmax) with
// respect to the model's input x (N×ch×S×S), each map summed over the input channels:
//   gradient    Σ_ch |∂y_c/∂x|      (Simonyan et al. 2014; Captum Saliency, abs=True)
//   grad×input  Σ_ch x · ∂y_c/∂x    (Shrikumar et al. 2016; Captum InputXGradient)
// Only the input's gradient is computed (torch::autograd::grad): parameters' .grad stay
// untouched.
#pragma once

#include <ATen/core/Tensor.h>

#include "engine/models/classifier.h"
#include "engine/saliency/saliency_result.h"

namespace salient::saliency {

struct TargetGradient {
  at::Tensor gradient;  ///< ∂y_{n,t_n}/∂x, N×ch×S×S
  at::Tensor logits;    ///< N×C at x, detached
};

/// One forward and one backward pass for the batch (the gradient of Σ_n y_{n,t_n}; images
/// do not interact in eval mode). @p targets must already be checked (checked_targets).
TargetGradient target_logit_gradient(models::Classifier& model, const at::Tensor& x, const at::Tensor& targets);

SaliencyResult gradient_maps(models::Classifier& model, const at::Tensor& input, const at::Tensor& targets);
SaliencyResult gradient_times_input_maps(models::Classifier& model, const at::Tensor& input,
                                         const at::Tensor& targets);

}  // namespace salient::saliency
