// JPEG files through libjpeg-turbo's TurboJPEG API, decoded to 8-bit grayscale for packing.
#pragma once

#include <string>

#include "salient/io/png_image.h"

namespace salient::io {

/// Reads a baseline or progressive 8-bit JPEG as grayscale (colour JPEGs give their luma
/// channel Y of YCbCr, i.e. ITU-R BT.601 weights). Any decoder warning, such as a
/// truncated file, is an error. Errors name the file.
GrayImage read_jpeg(const std::string& path);

}  // namespace salient::io
