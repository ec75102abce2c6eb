// From a batch of pool pixels to a model's input, and from maps at the model's input size
// back to the pool's image size.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>

#include "engine/models/model_spec.h"
#include "salient/io/pixel_type.h"

namespace salient::models {

/// Grey-level normalisation: the mean and standard deviation of ImageNet's RGB channels,
/// averaged over the channels (0.485, 0.456, 0.406 → 0.449; 0.229, 0.224, 0.225 → 0.226),
/// so that weights pretrained on ImageNet and summed over RGB see the statistics they
/// were trained with.
inline constexpr double kInputMean = 0.449;
inline constexpr double kInputStd = 0.226;

/// The value a pixel of intensity @p unit (0 = black, 1 = white) has in the model's input.
inline constexpr double normalised_intensity(double unit) { return (unit - kInputMean) / kInputStd; }

/// Intensity in [0, 1] as N×1×height×width float on @p device: uint8 / 255, uint16 / 65535,
/// float32 as stored (a copy: the host pixels may be reused once it returns).
at::Tensor unit_intensity(const void* pixels, io::PixelType type, std::int64_t n, std::int64_t height,
                          std::int64_t width, const c10::Device& device);

/// Model input N×in_channels×S×S float on @p device from n h×w images of @p type in host
/// memory: intensity scaled to [0, 1] (uint8 / 255, uint16 / 65535, float32 as stored),
/// resized to S = spec.input_size (bilinear, antialiased when shrinking), normalised with
/// kInputMean and kInputStd, repeated over the input channels.
at::Tensor model_input(const void* pixels, io::PixelType type, std::int64_t n, std::int64_t height,
                       std::int64_t width, const ModelSpec& spec, const c10::Device& device);

/// N×S×S maps resized (bilinear) to N×height×width; returned as they are when S×S already
/// is height×width.
at::Tensor resize_maps(const at::Tensor& maps, std::int64_t height, std::int64_t width);

}  // namespace salient::models
