// The training augmentation of IDEAL (Mahapatra et al., "Interpretability-driven sample
// selection using self supervised learning for disease classification and segmentation",
// Sec. IV-C, "Implementation details"; it augments each sample 4 times, salient once per
// epoch): every image of every epoch gets one random similarity transform,
// rotation in ±25°, translation in ±10 pixels per axis and scale in [0.95, 1.05], through the
// same transform as ACFT's views (models/acft_patches.h, no flips). The draws come from
// Philox keyed by (SplitMix64(seed, epoch), round, global image index), so an image's
// augmentation of an epoch is the same in any batch and on any rank.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace salient::training {

struct AugmentationOptions {
  double max_rotation_degrees = 25.0;
  double max_shift_pixels = 10.0;  ///< of the model input's side
  double min_scale = 0.95;
  double max_scale = 1.05;
  std::uint64_t seed = 0;
  std::uint32_t round = 0;
};

/// N×1×5 transforms (rotation, zoom, shift x, shift y, flip; as models::view_transforms)
/// of @p epoch for images @p global_indices of side @p side pixels.
at::Tensor augmentation_transforms(const at::Tensor& global_indices, std::int64_t side, std::int64_t epoch,
                                   const AugmentationOptions& options);

/// N×ch×S×S model inputs, augmented for @p epoch (bilinear, border padding).
at::Tensor augment(const at::Tensor& images, const at::Tensor& global_indices, std::int64_t epoch,
                   const AugmentationOptions& options);

}  // namespace salient::training
