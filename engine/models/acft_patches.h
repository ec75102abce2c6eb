// ACFT's candidate patches (Zhou et al., "Active, continual fine tuning of convolutional
// neural networks for reducing annotation efforts", 2021): each candidate is seen as m
// augmented views, whose predictions the patch criteria (kernels/patch_criteria.h) compare.
// Each view is a small random similarity transform of the whole image (rotation, zoom,
// shift and optionally a left-right flip), drawn from Philox keyed by (seed, round, global
// image index, view), so a candidate's views are the same in any batch and on any rank.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

#include "engine/models/classifier.h"

namespace salient::models {

struct PatchOptions {
  std::int64_t views = 8;               ///< m
  double max_rotation_degrees = 10.0;   ///< rotation uniform in [−max, max]
  double min_zoom = 1.0;                ///< zoom uniform in [min, max]; 1.25 shows the central 80 %
  double max_zoom = 1.25;
  double max_shift = 0.05;              ///< shift uniform in [−max, max] of the image side, per axis
  /// Chest X-rays are not left-right symmetric (heart, stomach bubble): flips are off by default.
  double flip_probability = 0.0;
  std::uint64_t seed = 0;
  std::uint32_t round = 0;
};

/// One view's transform: output pixel at normalised position p (in [−1, 1]², x right, y down)
/// shows the input at  (R(θ) · diag(f, 1) · p) / zoom + shift, where f = −1 for a flip.
struct ViewTransform {
  double rotation_degrees = 0.0;
  double zoom = 1.0;
  double shift_x = 0.0;  ///< fraction of the image side
  double shift_y = 0.0;
  bool flip = false;
};

/// The transforms of each image's views, N×m×5 doubles (rotation, zoom, shift x, shift y,
/// flip 0/1) on the CPU, from five Philox numbers per view (stream augmentation).
at::Tensor view_transforms(const at::Tensor& global_indices, const PatchOptions& options);

/// Applies N×m×5 transforms to N×ch×S×S images: N·m×ch×S×S views, view v of image i at row
/// i·m + v (bilinear, border padding).
at::Tensor transformed_views(const at::Tensor& images, const at::Tensor& transforms);

/// N×m×C probabilities of each candidate's m views.
at::Tensor patch_probabilities(Classifier& model, const at::Tensor& input, const at::Tensor& global_indices,
                               const PatchOptions& options);

}  // namespace salient::models
