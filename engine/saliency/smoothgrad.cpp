#include "engine/saliency/smoothgrad.h"

#include <torch/torch.h>

#include <cmath>

#include "engine/models/counter_uniform_tensor.h"
#include "engine/saliency/input_gradients.h"
#include "salient/check.h"

namespace salient::saliency {

at::Tensor smoothgrad_noise(const at::Tensor& global_indices, std::int64_t samples, std::int64_t per_sample,
                            std::uint64_t seed, std::uint32_t round, const c10::Device& device) {
  const auto count = samples * per_sample;
  const auto pairs = (count + 1) / 2;
  const kernels::RandomKey key{seed, round, kernels::RandomStream::smoothgrad};
  const auto uniforms = models::counter_uniform_rows(global_indices, 2 * pairs, key, device);
  const auto radius = torch::sqrt(-2.0 * torch::log(uniforms.narrow(1, 0, pairs)));
  const auto angle = (2.0 * std::acos(-1.0)) * uniforms.narrow(1, pairs, pairs);
  const auto normals = torch::cat({radius * torch::cos(angle), radius * torch::sin(angle)}, 1);
  return normals.narrow(1, 0, count).view({-1, samples, per_sample});
}

SaliencyResult smoothgrad(models::Classifier& model, const at::Tensor& input, const at::Tensor& targets,
                          const at::Tensor& global_indices, int samples, double noise, std::uint64_t seed,
                          std::uint32_t round) {
  SALIENT_CHECK(samples >= 1, "SmoothGrad needs at least one noisy sample, not {}", samples);
  SALIENT_CHECK(noise >= 0.0, "SmoothGrad's noise level must be ≥ 0, not {}", noise);
  SALIENT_CHECK(global_indices.defined() && global_indices.numel() == input.size(0),
                "SmoothGrad needs one global image index per image ({})", input.size(0));
  at::Tensor logits;
  {
    torch::NoGradGuard no_grad;
    logits = model.logits(input);
  }
  const auto classes = checked_targets(targets, logits);
  const auto n = input.size(0);
  const auto flat = input.reshape({n, -1});
  const auto sigma = (noise * (flat.amax(1) - flat.amin(1))).view({n, 1, 1, 1});
  const auto normals = smoothgrad_noise(global_indices, samples, flat.size(1), seed, round, input.device());
  auto total = torch::zeros_like(input);
  for (std::int64_t s = 0; s < samples; ++s) {
    const auto noisy = input + sigma * normals.select(1, s).view(input.sizes());
    total.add_(target_logit_gradient(model, noisy, classes).gradient.abs());
  }
  return {total.sum(1) / static_cast<double>(samples), logits};
}

}  // namespace salient::saliency
