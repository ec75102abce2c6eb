// Saliency maps of a classifier's prediction for a batch of images, one method chosen by
// name. Each method is defined, with its source, in its own header and in docs/formulas.md
// ("Saliency maps"):
//   gradcam     Grad-CAM at a trunk stage                          gradcam.h
//   grad        Σ_ch |∂y_c/∂x|                                     input_gradients.h
//   gradxinput  Σ_ch x·∂y_c/∂x                                     input_gradients.h
//   ig          Integrated Gradients, Gauss–Legendre rule          integrated_gradients.h
//   smoothgrad  SmoothGrad of |∂y_c/∂x|, Philox noise per image    smoothgrad.h
//   lrp         LRP z⁺                                             lrp.h
//   deeplift    DeepLIFT, Rescale rule                             deeplift.h
//   wildcat     the WILDCAT head's class map                       wildcat_maps.h
// y_c is the target class's logit (before sigmoid or softmax). Maps are computed for the
// whole batch at once and stay on the model's device; only gradients with respect to the
// input (or the tapped stage) are computed, never parameters' .grad.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <string>

#include "engine/models/classifier.h"
#include "engine/saliency/lrp.h"
#include "engine/saliency/saliency_result.h"

namespace salient::saliency {

enum class Method { gradcam, grad, gradxinput, ig, smoothgrad, lrp, deeplift, wildcat };

/// Parses the names above; throws salient::Error listing them otherwise.
Method parse_method(const std::string& name);
std::string method_name(Method method);
/// Every method, in the order above.
std::vector<Method> every_method();
/// Every method's name, joined by @p separator ("gradcam, grad, …").
std::string method_names(const std::string& separator);

/// The baseline x' of Integrated Gradients and DeepLIFT.
enum class Baseline {
  black,    ///< every input value set to SaliencyOptions::black_value
  blurred,  ///< the input blurred by a Gaussian of SaliencyOptions::blur_sigma pixels (gaussian_blur)
};

struct SaliencyOptions {
  Method method = Method::gradcam;
  /// Grad-CAM's stage, one of Classifier::stages(); empty: the trunk's output.
  std::string layer;
  int ig_steps = 32;
  Baseline ig_baseline = Baseline::black;
  /// The model-input value of a black pixel; unset: the model's normalisation of intensity 0,
  /// (0 − mean)/std (ModelSpec::normalisation).
  std::optional<double> black_value;
  double blur_sigma = 10.0;  ///< pixels of the model's input
  int smoothgrad_samples = 16;
  double smoothgrad_noise = 0.15;  ///< σ as a fraction of each image's max − min
  std::uint64_t seed = 0;          ///< with round and the global image index, keys SmoothGrad's noise
  std::uint32_t round = 0;
  LrpOptions lrp;  ///< the z^B pixel bounds and the stabiliser of LRP z⁺
};

/// Maps of @p input (N×ch×S×S, on the model's device) for class targets[n] of image n.
/// Puts the model in eval mode (dropout off, batch-norm running statistics): images then
/// do not interact, which the batched backward passes rely on.
/// @param targets         N class indices (int64, any device; checked to lie in [0, C)), or
///                        undefined for each image's most probable class (argmax of its logits)
/// @param global_indices  N global image indices (int64, any device); used by SmoothGrad only
SaliencyResult compute_saliency(models::Classifier& model, const at::Tensor& input, const at::Tensor& targets,
                                const at::Tensor& global_indices, const SaliencyOptions& options);

}  // namespace salient::saliency
