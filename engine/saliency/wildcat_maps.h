// WILDCAT's trainable saliency (Durand et al. 2017, as used by Aggarwal et al.): the class
// map of the target class, the WILDCAT head's class-wise average of its maps_per_class 1×1
// convolution maps before spatial pooling, upsampled bilinearly (align_corners = false) to
// the input size. No backward pass.
#pragma once

#include <ATen/core/Tensor.h>

#include "engine/models/classifier.h"
#include "engine/saliency/saliency_result.h"

namespace salient::saliency {

/// Throws salient::Error when the model's head is not WILDCAT.
SaliencyResult wildcat_maps(models::Classifier& model, const at::Tensor& input, const at::Tensor& targets);

}  // namespace salient::saliency
