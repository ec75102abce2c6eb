// PNG files through libpng: grayscale images in (8- or 16-bit) for packing, and RGB
// pictures out (montages of selections and of phantom pools, the review page's images).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace salient::io {

/// A decoded grayscale image: 8-bit samples in `gray8` or 16-bit samples in `gray16`.
struct GrayImage {
  std::int64_t height = 0;
  std::int64_t width = 0;
  int bit_depth = 8;
  std::vector<std::uint8_t> gray8;
  std::vector<std::uint16_t> gray16;
};

/// Reads a PNG as grayscale at its own bit depth (colour converted by ITU-R BT.709 luma;
/// palette and <8-bit images expanded to 8 bits; alpha dropped). Errors name the file.
GrayImage read_png(const std::string& path);

/// The PNG file, in memory, of an 8-bit RGB image (height × width × 3), an 8-bit RGBA image
/// (× 4), an 8-bit grayscale image, or a 16-bit grayscale image (samples in the host's byte
/// order).
std::string encode_png_rgb(std::int64_t height, std::int64_t width, const std::uint8_t* rgb);
std::string encode_png_gray(std::int64_t height, std::int64_t width, const std::uint8_t* gray);
std::string encode_png_rgba(std::int64_t height, std::int64_t width, const std::uint8_t* rgba);
std::string encode_png_gray16(std::int64_t height, std::int64_t width, const std::uint16_t* gray);

/// Writes an 8-bit RGB image (height × width × 3) atomically.
void write_png_rgb(const std::string& path, std::int64_t height, std::int64_t width, const std::uint8_t* rgb);

/// Writes an 8-bit grayscale image atomically.
void write_png_gray(const std::string& path, std::int64_t height, std::int64_t width, const std::uint8_t* gray);

}  // namespace salient::io
