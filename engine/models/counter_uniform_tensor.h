// The counter-based uniforms of kernels/counter_random.h as a tensor on a model's device.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>

#include "salient/kernels/counter_random.h"

namespace salient::models {

/// N×per_image floats in (0, 1) on @p device: row i holds image global_indices[i]'s numbers.
at::Tensor counter_uniform_rows(const at::Tensor& global_indices, std::int64_t per_image,
                                const kernels::RandomKey& key, const c10::Device& device);

}  // namespace salient::models
