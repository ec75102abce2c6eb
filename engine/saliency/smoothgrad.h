// SmoothGrad (Smilkov et al., "SmoothGrad: removing noise by adding noise", 2017, eq. 2–3)
// of the absolute gradient: for target logit y_c,
//   map = Σ_ch (1/n) Σ_s |∂y_c/∂x (x + ε_s)|,   ε_s ~ N(0, σ²),   σ = noise · (max x − min x),
// max and min over each image (all channels), as Captum's
// NoiseTunnel(Saliency(abs=True)).attribute(nt_type="smoothgrad", stdevs=σ) computes it.
// The noise comes from Philox keyed by (seed, round, global image index): an image's map
// does not depend on its batch neighbours, on the rank that scores it or on the device.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

#include "engine/models/classifier.h"
#include "engine/saliency/saliency_result.h"
#include "salient/kernels/counter_random.h"

namespace salient::saliency {

/// Standard normal noise N×samples×(per_sample) on @p device: row i from image
/// global_indices[i]'s Philox numbers u (stream smoothgrad), by Box–Muller on the
/// two halves of the row: z = √(−2 ln u₁)·cos(2πu₂) and √(−2 ln u₁)·sin(2πu₂).
at::Tensor smoothgrad_noise(const at::Tensor& global_indices, std::int64_t samples, std::int64_t per_sample,
                            std::uint64_t seed, std::uint32_t round, const c10::Device& device);

/// SmoothGrad maps N×S×S: @p samples forward and backward passes of the batch plus one
/// clean forward for the logits. @p noise is σ as a fraction of each image's value range.
SaliencyResult smoothgrad(models::Classifier& model, const at::Tensor& input, const at::Tensor& targets,
                          const at::Tensor& global_indices, int samples, double noise, std::uint64_t seed,
                          std::uint32_t round);

}  // namespace salient::saliency
