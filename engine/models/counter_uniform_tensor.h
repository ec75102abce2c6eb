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

/// SplitMix64 (Steele, Lea and Flood 2014) of @p x: one well-mixed seed from a key, for the
/// draws LibTorch's own generator makes (MC dropout throughout) and per-epoch Philox seeds.
inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

}  // namespace salient::models
