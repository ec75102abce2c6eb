#include "engine/models/mc_dropout.h"

#include <torch/torch.h>

#include "engine/models/counter_uniform_tensor.h"

namespace salient::models {
namespace {

at::Tensor head_samples(Classifier& model, const at::Tensor& input, const at::Tensor& global_indices,
                        const McDropoutOptions& options, const at::Tensor& trunk_output) {
  const auto trunk = trunk_output.defined() ? trunk_output : model.trunk(input);
  const auto masks = head_dropout_masks(global_indices, options.samples, model.trunk_channels(), options.rate,
                                        {options.seed, options.round, kernels::RandomStream::mc_dropout},
                                        input.device());
  std::vector<at::Tensor> samples;
  samples.reserve(static_cast<std::size_t>(options.samples));
  for (std::int64_t t = 0; t < options.samples; ++t) samples.push_back(model.head(trunk, masks.select(1, t)));
  return torch::stack(samples, 1);
}

at::Tensor trunk_samples(Classifier& model, const at::Tensor& input, const at::Tensor& global_indices,
                         const McDropoutOptions& options) {
  const auto first = global_indices.min().item<std::int64_t>();
  const auto batch_key = (std::uint64_t{options.round} << 40) ^ static_cast<std::uint64_t>(first);
  torch::manual_seed(splitmix64(options.seed ^ splitmix64(batch_key)));
  model.sample_trunk_dropout(true);
  std::vector<at::Tensor> samples;
  try {
    for (std::int64_t t = 0; t < options.samples; ++t) samples.push_back(model.logits(input));
  } catch (...) {
    model.sample_trunk_dropout(false);
    throw;
  }
  model.sample_trunk_dropout(false);
  return torch::stack(samples, 1);
}

}  // namespace

at::Tensor head_dropout_masks(const at::Tensor& global_indices, std::int64_t samples, std::int64_t channels,
                              double rate, const kernels::RandomKey& key, const c10::Device& device) {
  SALIENT_CHECK(rate >= 0.0 && rate < 1.0, "dropout rate {} must be in [0, 1)", rate);
  const auto uniforms = counter_uniform_rows(global_indices, samples * channels, key, device);
  const auto keep = uniforms.ge(rate).to(torch::kFloat32).mul_(1.0 / (1.0 - rate));
  return keep.view({-1, samples, channels});
}

at::Tensor mc_dropout_probabilities(Classifier& model, const at::Tensor& input, const at::Tensor& global_indices,
                                    const McDropoutOptions& options, const at::Tensor& trunk_output) {
  SALIENT_CHECK(options.samples >= 1, "MC dropout needs at least one sample, not {}", options.samples);
  SALIENT_CHECK(global_indices.numel() == input.size(0), "{} global indices for {} images", global_indices.numel(),
                input.size(0));
  torch::NoGradGuard no_grad;
  const auto logits = options.placement == DropoutPlacement::head ? head_samples(model, input, global_indices, options, trunk_output)
                                                                  : trunk_samples(model, input, global_indices, options);
  return probabilities_from_logits(logits, model.spec().output);
}

}  // namespace salient::models
