#include "engine/models/acft_patches.h"

#include <torch/torch.h>

#include <cmath>

#include "engine/models/counter_uniform_tensor.h"

namespace salient::models {
namespace {

namespace F = torch::nn::functional;

constexpr std::int64_t kNumbersPerView = 5;

void check_options(const PatchOptions& options) {
  SALIENT_CHECK(options.views >= 1, "ACFT needs at least one view per candidate, not {}", options.views);
  SALIENT_CHECK(options.min_zoom > 0.0 && options.min_zoom <= options.max_zoom, "zoom range [{}, {}] is invalid",
                options.min_zoom, options.max_zoom);
  SALIENT_CHECK(options.flip_probability >= 0.0 && options.flip_probability <= 1.0,
                "flip probability {} must be in [0, 1]", options.flip_probability);
}

// affine_grid's θ (N·m×2×3) for the documented transform: input = A·p + t with
// A = R(θ)·diag(f, 1) / zoom and t = 2·shift (normalised coordinates span 2).
at::Tensor affine_matrices(const at::Tensor& transforms) {
  const auto t = transforms.reshape({-1, kNumbersPerView}).to(torch::kFloat64);
  const auto radians = t.select(1, 0) * (M_PI / 180.0);
  const auto zoom = t.select(1, 1);
  const auto flip = 1.0 - 2.0 * t.select(1, 4);
  const auto cos = torch::cos(radians) / zoom;
  const auto sin = torch::sin(radians) / zoom;
  const auto row0 = torch::stack({cos * flip, -sin, 2.0 * t.select(1, 2)}, 1);
  const auto row1 = torch::stack({sin * flip, cos, 2.0 * t.select(1, 3)}, 1);
  return torch::stack({row0, row1}, 1);
}

}  // namespace

at::Tensor view_transforms(const at::Tensor& global_indices, const PatchOptions& options) {
  check_options(options);
  const auto u = counter_uniform_rows(global_indices, options.views * kNumbersPerView,
                                      {options.seed, options.round, kernels::RandomStream::augmentation},
                                      c10::Device(c10::kCPU))
                     .to(torch::kFloat64)
                     .view({-1, options.views, kNumbersPerView});
  const auto symmetric = [&](std::int64_t k, double half_width) { return (2.0 * u.select(2, k) - 1.0) * half_width; };
  return torch::stack({symmetric(0, options.max_rotation_degrees),
                       options.min_zoom + u.select(2, 1) * (options.max_zoom - options.min_zoom),
                       symmetric(2, options.max_shift), symmetric(3, options.max_shift),
                       u.select(2, 4).lt(options.flip_probability).to(torch::kFloat64)},
                      2);
}

at::Tensor transformed_views(const at::Tensor& images, const at::Tensor& transforms) {
  SALIENT_CHECK(images.dim() == 4, "images must be N×ch×S×S, not {} dimensions", images.dim());
  SALIENT_CHECK(transforms.dim() == 3 && transforms.size(0) == images.size(0) && transforms.size(2) == kNumbersPerView,
                "transforms must be N×m×5 for N = {} images", images.size(0));
  const auto n = images.size(0), views = transforms.size(1);
  const auto theta = affine_matrices(transforms).to(images.device(), images.scalar_type());
  const auto repeated = images.repeat_interleave(views, 0);
  const auto grid = F::affine_grid(theta, repeated.sizes(), /*align_corners=*/false);
  return F::grid_sample(repeated, grid,
                        F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kBorder).align_corners(false))
      .view({n * views, images.size(1), images.size(2), images.size(3)});
}

at::Tensor patch_probabilities(Classifier& model, const at::Tensor& input, const at::Tensor& global_indices,
                               const PatchOptions& options) {
  SALIENT_CHECK(global_indices.numel() == input.size(0), "{} global indices for {} images", global_indices.numel(),
                input.size(0));
  torch::NoGradGuard no_grad;
  const auto views = transformed_views(input, view_transforms(global_indices, options));
  const auto logits = model.logits(views);
  return probabilities_from_logits(logits.view({input.size(0), options.views, -1}), model.spec().output);
}

}  // namespace salient::models
