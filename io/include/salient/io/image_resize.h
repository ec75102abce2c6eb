// Antialiased resampling of a grayscale plane by separable convolution, the algorithm of
// Pillow's Image.resize (src/libImaging/Resample.c): output pixel i of an axis shrunk by
// scale s = in/out is centred on source coordinate c = (i + 0.5)·s; the filter kernel is
// stretched to support·max(s, 1), evaluated at the centres of the source pixels it covers,
// normalised to sum 1 (so it is clipped and renormalised at the borders), rows first, then
// columns. Stretching the kernel with s is what makes shrinking antialiased.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "salient/io/pixel_type.h"
#include "salient/io/png_image.h"

namespace salient::io {

enum class ResizeFilter {
  box,       ///< 1 on (−½, ½]: the mean of the source pixels whose centres fall in the output pixel (Pillow BOX)
  triangle,  ///< 1 − |x| on [−1, 1] (Pillow BILINEAR; torchvision Resize with antialias)
  lanczos3,  ///< sinc(x)·sinc(x/3) on [−3, 3): sharpest, may overshoot near edges (Pillow LANCZOS)
};

/// "box", "triangle" or "lanczos3".
std::string resize_filter_name(ResizeFilter filter);
/// Parses a name given by resize_filter_name; throws salient::Error for anything else.
ResizeFilter parse_resize_filter(const std::string& name);

/// Resamples a row-major @p height × @p width plane to @p out_height × @p out_width.
/// Values are not clamped: lanczos3 may leave the input's range near sharp edges.
std::vector<float> resize_plane(const std::vector<float>& plane, std::int64_t height, std::int64_t width,
                                std::int64_t out_height, std::int64_t out_width, ResizeFilter filter);

/// @p image as a pool stores it: samples scaled to the range of @p type (8 → 16 bits ×257,
/// 16 → 8 bits ÷257, so that white stays white), resized to @p size × @p size (a non-square
/// image is stretched), rounded to the nearest integer and clamped. Returns the raw bytes.
/// @param type uint8 or uint16
std::vector<std::uint8_t> resize_gray_image(const GrayImage& image, std::int64_t size, PixelType type,
                                            ResizeFilter filter);

}  // namespace salient::io
