// Layer-wise relevance propagation with the z⁺ rule, i.e. Deep Taylor decomposition
// (Montavon et al., "Explaining nonlinear classification decisions with deep Taylor
// decomposition", Pattern Recognition 2017), the saliency of IDEAL (Mahapatra et al.), for
// salient's built-in architectures. The target logit y_c is the relevance at the output and
// flows back layer by layer, each layer type with its rule (docs/formulas.md, "LRP z+"):
//
//   first convolution (pixels)   z^B:  R_i = Σ_j (x_i w_ij − l w⁺_ij − h w⁻_ij) / z_j · R_j,
//                                      z_j = Σ_i (x_i w_ij − l w⁺_ij − h w⁻_ij); l, h: pixel bounds
//   other convolutions, Linear   z⁺:   R_i = Σ_j (x⁺_i w⁺_ij + x⁻_i w⁻_ij) / z_j · R_j,
//                                      z_j = Σ_i (x⁺_i w⁺_ij + x⁻_i w⁻_ij)   (bias left out)
//   batch norm, ReLU             pass: R_in = R_out (element-wise layers)
//   average pooling, global too  norm: R_i = x_i / Σ_{i'∈window} x_i' · R_j
//   max pooling                  winner takes all (the gradient)
//   DenseNet concatenation       each part keeps its channels' relevance (the gradient)
//   ResNet residual sum a + b    norm: R_a = a / (a + b) · R, R_b = b / (a + b) · R
//
// Every denominator z is stabilised as zennit does: z + ε·(sign(z) + [z = 0]), ε =
// LrpOptions::stabilizer. The rules are zennit 0.5.1's ZBox, ZPlus(zero_params='bias'),
// Pass and Norm (with its ResNet canonizers' Sum for residual additions, without merging
// batch norms into convolutions); tests/engine/test_lrp.cpp checks equality with zennit.
// Σ R over the input equals y_c up to relevance that reaches a unit whose denominator is 0.
#pragma once

#include <ATen/core/Tensor.h>

#include <optional>

#include "engine/models/classifier.h"
#include "engine/saliency/saliency_result.h"

namespace salient::saliency {

struct LrpOptions {
  /// Bounds of the z^B rule: the model-input values of black and white pixels; unset: the
  /// model's normalisation of intensities 0 and 1 (ModelSpec::normalisation).
  std::optional<double> low;
  std::optional<double> high;
  double stabilizer = 1e-6;
};

/// Relevance at the input, N×in_channels×S×S, for class targets[n] of image n. The model
/// must be a built-in one without a WILDCAT head (salient::Error otherwise); it is put in
/// eval mode. Only the input's gradient is computed, never parameters' .grad.
at::Tensor lrp_relevance(models::Classifier& model, const at::Tensor& input, const at::Tensor& targets,
                         const LrpOptions& options = {});

/// The saliency method "lrp": lrp_relevance summed over input channels, N×S×S.
SaliencyResult lrp_zplus(models::Classifier& model, const at::Tensor& input, const at::Tensor& targets,
                         const LrpOptions& options = {});

}  // namespace salient::saliency
