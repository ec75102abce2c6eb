// The WILDCAT head (Durand et al., "WILDCAT: weakly supervised learning of deep ConvNets
// for image classification, pointwise localization and segmentation", CVPR 2017, Sec. 3;
// used for trainable saliency by Aggarwal et al.):
//   multi-map transfer   a 1×1 convolution (with bias) from the trunk's K channels to C·M maps,
//   class-wise pooling   z_c = (1/M) Σ_m map_{c,m}                                  (N×C×h×w),
//   spatial pooling      s_c = mean of the k_max highest z_c + α · mean of the k_min lowest.
// Durand's reference code halves s_c; salient follows the paper's and DESIGN.md's formula
// (a constant factor on the logits only).
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>

#include <cstdint>

#include "engine/models/model_spec.h"

namespace salient::models {

/// Spatial pooling of class maps N×C×h×w to scores N×C. k_max and k_min are clamped to
/// h·w; k_min = 0 or α = 0 leaves out the lowest-values term. Gradients reach the selected
/// positions only.
at::Tensor wildcat_spatial_pool(const at::Tensor& class_maps, std::int64_t k_max, std::int64_t k_min,
                                double alpha);

class WildcatHeadImpl : public torch::nn::Module {
 public:
  WildcatHeadImpl(std::int64_t trunk_channels, std::int64_t classes, const WildcatOptions& options);

  /// z: N×C×h×w class maps of trunk features N×K×h×w.
  at::Tensor class_maps(const at::Tensor& features);
  /// Scores N×C.
  at::Tensor forward(const at::Tensor& features);

 private:
  std::int64_t classes_;
  WildcatOptions options_;
  torch::nn::Conv2d conv_{nullptr};
};

}  // namespace salient::models
