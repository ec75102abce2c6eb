#include "engine/training/augmentation.h"

#include "engine/models/acft_patches.h"
#include "engine/models/counter_uniform_tensor.h"
#include "salient/check.h"

namespace salient::training {
namespace {

// One Philox seed per epoch.
std::uint64_t epoch_seed(std::uint64_t seed, std::int64_t epoch) {
  return models::splitmix64(seed ^ models::splitmix64(static_cast<std::uint64_t>(epoch)));
}

}  // namespace

at::Tensor augmentation_transforms(const at::Tensor& global_indices, std::int64_t side, std::int64_t epoch,
                                   const AugmentationOptions& options) {
  SALIENT_CHECK(side >= 1 && epoch >= 0, "augmentation needs a positive side and epoch ≥ 0 (got {}, {})", side, epoch);
  SALIENT_CHECK(options.max_rotation_degrees >= 0.0 && options.max_shift_pixels >= 0.0,
                "augmentation ranges must not be negative (rotation {}°, shift {} px)", options.max_rotation_degrees,
                options.max_shift_pixels);
  models::PatchOptions view;
  view.views = 1;
  view.max_rotation_degrees = options.max_rotation_degrees;
  view.min_zoom = options.min_scale;
  view.max_zoom = options.max_scale;
  view.max_shift = options.max_shift_pixels / static_cast<double>(side);
  view.flip_probability = 0.0;
  view.seed = epoch_seed(options.seed, epoch);
  view.round = options.round;
  return models::view_transforms(global_indices, view);
}

at::Tensor augment(const at::Tensor& images, const at::Tensor& global_indices, std::int64_t epoch,
                   const AugmentationOptions& options) {
  SALIENT_CHECK(images.dim() == 4 && images.size(2) == images.size(3), "augmentation needs N×ch×S×S images");
  SALIENT_CHECK(global_indices.numel() == images.size(0), "{} global indices for {} images", global_indices.numel(),
                images.size(0));
  return models::transformed_views(images, augmentation_transforms(global_indices, images.size(-1), epoch, options));
}

}  // namespace salient::training
