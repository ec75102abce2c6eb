// The pixel range a box covers, shared by both twins of rasterize_boxes: pixel y is inside
// when y0 <= y + 0.5 < y1, i.e. ceil(y0 - 0.5) <= y < ceil(y1 - 0.5), clamped to the mask.
#pragma once

#include <cmath>
#include <cstdint>

#include "detail/host_device.h"

namespace salient::kernels::detail {

struct PixelRange {
  std::int64_t begin, end;
};

SALIENT_HOST_DEVICE inline PixelRange box_pixels(float low, float high, std::int64_t size) {
  const auto clamp = [size](double v) {
    return static_cast<std::int64_t>(v < 0 ? 0 : (v > static_cast<double>(size) ? static_cast<double>(size) : v));
  };
  return {clamp(::ceil(static_cast<double>(low) - 0.5)), clamp(::ceil(static_cast<double>(high) - 0.5))};
}

}  // namespace salient::kernels::detail
