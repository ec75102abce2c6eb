// From a batch of pool pixels to a model's input, and from maps at the model's input size
// back to the pool's image size.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>

#include "engine/models/model_spec.h"
#include "salient/io/pixel_type.h"

namespace salient::models {

/// Intensity in [0, 1] as N×1×height×width float on @p device: uint8 / 255, uint16 / 65535,
/// float32 as stored (a copy: the host pixels may be reused once it returns).
at::Tensor unit_intensity(const void* pixels, io::PixelType type, std::int64_t n, std::int64_t height,
                          std::int64_t width, const c10::Device& device);

/// Model input N×in_channels×S×S float on @p device from n h×w images of @p type in host
/// memory: intensity scaled to [0, 1] (uint8 / 255, uint16 / 65535, float32 as stored),
/// resized to S = spec.input_size (bilinear, antialiased when shrinking), normalised by
/// spec.normalisation, repeated over the input channels.
at::Tensor model_input(const void* pixels, io::PixelType type, std::int64_t n, std::int64_t height,
                       std::int64_t width, const ModelSpec& spec, const c10::Device& device);

/// N×S×S maps resized (bilinear) to N×height×width; returned as they are when S×S already
/// is height×width.
at::Tensor resize_maps(const at::Tensor& maps, std::int64_t height, std::int64_t width);

}  // namespace salient::models
