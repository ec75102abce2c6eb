// Grad-CAM (Selvaraju et al., "Grad-CAM: visual explanations from deep networks via
// gradient-based localization", ICCV 2017, eq. 1–2): at a convolutional stage with
// activations A (N×K×h×w) and the target logit y_c (before sigmoid or softmax),
//   α_k = (1/hw) Σ_ij ∂y_c/∂A_k,ij,      map = ReLU(Σ_k α_k A_k),
// upsampled bilinearly (align_corners = false) to the input size S×S. Matches Captum's
// LayerGradCam(relu_attributions=True) followed by LayerAttribution.interpolate(…,
// "bilinear").
#pragma once

#include <ATen/core/Tensor.h>

#include <string>

#include "engine/models/classifier.h"
#include "engine/saliency/saliency_result.h"

namespace salient::saliency {

/// Grad-CAM maps of the whole batch with one forward and one backward pass (the gradient
/// of Σ_n y_{n,t_n}; images do not interact in eval mode, so each image gets its own). At
/// the trunk's output the trunk runs without autograd and the backward pass is the head's.
/// @param layer  one of model.stages(); empty: the trunk's output (the last stage)
SaliencyResult gradcam(models::Classifier& model, const at::Tensor& input, const at::Tensor& targets,
                       const std::string& layer);

}  // namespace salient::saliency
