#include "engine/saliency/saliency.h"

#include <torch/torch.h>

#include <array>
#include <utility>

#include "engine/saliency/gradcam.h"
#include "engine/saliency/input_gradients.h"
#include "engine/saliency/integrated_gradients.h"
#include "engine/saliency/deeplift.h"
#include "engine/saliency/lrp.h"
#include "engine/saliency/smoothgrad.h"
#include "engine/saliency/wildcat_maps.h"
#include "salient/check.h"

namespace salient::saliency {
namespace {

constexpr std::array<std::pair<Method, const char*>, 8> kMethodNames{{
    {Method::gradcam, "gradcam"},
    {Method::grad, "grad"},
    {Method::gradxinput, "gradxinput"},
    {Method::ig, "ig"},
    {Method::smoothgrad, "smoothgrad"},
    {Method::lrp, "lrp"},
    {Method::deeplift, "deeplift"},
    {Method::wildcat, "wildcat"},
}};

at::Tensor ig_baseline(const models::Classifier& model, const at::Tensor& input, const SaliencyOptions& options) {
  if (options.ig_baseline == Baseline::blurred) return gaussian_blur(input, options.blur_sigma);
  return torch::full_like(input, options.black_value.value_or(model.spec().normalisation.of(0.0)));
}

}  // namespace

Method parse_method(const std::string& name) {
  for (const auto& [method, method_text] : kMethodNames)
    if (name == method_text) return method;
  throw Error(fmt::format("unknown saliency method '{}': expected one of {}", name, method_names(", ")));
}

std::vector<Method> every_method() {
  std::vector<Method> methods;
  for (const auto& [method, method_text] : kMethodNames) methods.push_back(method);
  return methods;
}

std::string method_names(const std::string& separator) {
  std::string names;
  for (const auto& [method, method_text] : kMethodNames) names += (names.empty() ? "" : separator) + method_text;
  return names;
}

std::string method_name(Method method) {
  for (const auto& [candidate, method_text] : kMethodNames)
    if (candidate == method) return method_text;
  SALIENT_ASSERT(false);
}

SaliencyResult compute_saliency(models::Classifier& model, const at::Tensor& input, const at::Tensor& targets,
                                const at::Tensor& global_indices, const SaliencyOptions& options) {
  SALIENT_CHECK(input.dim() == 4 && input.size(2) == input.size(3),
                "saliency ({}): the input must be N×ch×S×S, not {}", method_name(options.method),
                c10::str(input.sizes()));
  model.train(false);
  switch (options.method) {
    case Method::gradcam:
      return gradcam(model, input, targets, options.layer);
    case Method::grad:
      return gradient_maps(model, input, targets);
    case Method::gradxinput:
      return gradient_times_input_maps(model, input, targets);
    case Method::ig:
      return integrated_gradients(model, input, targets, ig_baseline(model, input, options), options.ig_steps);
    case Method::smoothgrad:
      return smoothgrad(model, input, targets, global_indices, options.smoothgrad_samples, options.smoothgrad_noise,
                        options.seed, options.round);
    case Method::lrp:
      return lrp_zplus(model, input, targets, options.lrp);
    case Method::deeplift:
      return deeplift_rescale(model, input, ig_baseline(model, input, options), targets);
    case Method::wildcat:
      return wildcat_maps(model, input, targets);
  }
  SALIENT_ASSERT(false);
}

}  // namespace salient::saliency
