#include "salient/io/png_image.h"

#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "salient/check.h"
#include "salient/io/atomic_file.h"

namespace salient::io {
namespace {

// libpng reports errors by longjmp; the message is kept here for the exception thrown
// after the jump, outside the frames libpng unwinds.
struct ErrorState {
  char message[256] = "unknown libpng error";
};

void on_error(png_structp png, png_const_charp message) {
  auto* state = static_cast<ErrorState*>(png_get_error_ptr(png));
  std::snprintf(state->message, sizeof state->message, "%s", message);
  png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using FilePointer = std::unique_ptr<std::FILE, FileCloser>;

void append_to_string(png_structp png, png_bytep data, png_size_t length) {
  static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<const char*>(data), length);
}

void flush_nothing(png_structp) {}

// The PNG file of height rows of width pixels of channels samples of bit_depth bits (16-bit
// samples in the host's byte order), in memory.
std::string encode_png(std::int64_t height, std::int64_t width, const void* pixels, int bit_depth, int color_type,
                       int channels) {
  SALIENT_CHECK(height > 0 && width > 0, "cannot encode an empty {}x{} PNG", height, width);
  std::string encoded;
  ErrorState error;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &error, on_error, on_warning);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  SALIENT_CHECK(png && info, "libpng could not start encoding a {}x{} PNG", height, width);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    throw Error(fmt::format("cannot encode a {}x{} PNG: {}", height, width, error.message));
  }
  png_set_write_fn(png, &encoded, append_to_string, flush_nothing);
  png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), bit_depth, color_type,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  if (bit_depth == 16) png_set_swap(png);  // PNG stores big-endian samples
  const auto* bytes = static_cast<const std::uint8_t*>(pixels);
  const std::int64_t row_bytes = width * channels * (bit_depth / 8);
  for (std::int64_t row = 0; row < height; ++row) png_write_row(png, const_cast<png_bytep>(bytes + row * row_bytes));
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return encoded;
}

// Decodes into *image; false (with error->message set) when libpng fails. The objects
// written after setjmp live in the caller's frame, so the jump leaves them well defined.
bool decode_png(png_structp png, png_infop info, std::FILE* file, GrayImage* image, std::vector<png_bytep>* rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_init_io(png, file);
  png_set_sig_bytes(png, 8);
  png_read_info(png, info);
  const int color = png_get_color_type(png, info);
  const int depth = png_get_bit_depth(png, info);
  if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (color & PNG_COLOR_MASK_ALPHA) png_set_strip_alpha(png);
  if ((color & PNG_COLOR_MASK_COLOR) || color == PNG_COLOR_TYPE_PALETTE) {
    png_set_rgb_to_gray_fixed(png, 1, -1, -1);  // default weights: ITU-R BT.709
  }
  if (depth == 16) png_set_swap(png);  // PNG stores big-endian samples
  png_read_update_info(png, info);
  image->height = png_get_image_height(png, info);
  image->width = png_get_image_width(png, info);
  image->bit_depth = png_get_bit_depth(png, info) == 16 ? 16 : 8;
  const auto pixels = static_cast<std::size_t>(image->height * image->width);
  if (image->bit_depth == 16) {
    image->gray16.resize(pixels);
  } else {
    image->gray8.resize(pixels);
  }
  rows->resize(static_cast<std::size_t>(image->height));
  for (std::int64_t row = 0; row < image->height; ++row) {
    (*rows)[static_cast<std::size_t>(row)] =
        image->bit_depth == 16 ? reinterpret_cast<png_bytep>(image->gray16.data() + row * image->width)
                               : image->gray8.data() + row * image->width;
  }
  png_read_image(png, rows->data());
  png_read_end(png, nullptr);
  return true;
}

}  // namespace

GrayImage read_png(const std::string& path) {
  FilePointer file(std::fopen(path.c_str(), "rb"));
  SALIENT_CHECK(file, "cannot open image '{}'", path);
  png_byte signature[8] = {};
  SALIENT_CHECK(std::fread(signature, 1, 8, file.get()) == 8 && png_sig_cmp(signature, 0, 8) == 0,
                "'{}' is not a PNG file", path);
  ErrorState error;
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &error, on_error, on_warning);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  SALIENT_CHECK(png && info, "libpng could not start reading '{}'", path);
  GrayImage image;
  std::vector<png_bytep> rows;
  const bool decoded = decode_png(png, info, file.get(), &image, &rows);
  png_destroy_read_struct(&png, &info, nullptr);
  SALIENT_CHECK(decoded, "cannot decode PNG '{}': {}", path, error.message);
  return image;
}

std::string encode_png_rgb(std::int64_t height, std::int64_t width, const std::uint8_t* rgb) {
  return encode_png(height, width, rgb, 8, PNG_COLOR_TYPE_RGB, 3);
}

std::string encode_png_rgba(std::int64_t height, std::int64_t width, const std::uint8_t* rgba) {
  return encode_png(height, width, rgba, 8, PNG_COLOR_TYPE_RGB_ALPHA, 4);
}

std::string encode_png_gray(std::int64_t height, std::int64_t width, const std::uint8_t* gray) {
  return encode_png(height, width, gray, 8, PNG_COLOR_TYPE_GRAY, 1);
}

std::string encode_png_gray16(std::int64_t height, std::int64_t width, const std::uint16_t* gray) {
  return encode_png(height, width, gray, 16, PNG_COLOR_TYPE_GRAY, 1);
}

void write_png_rgb(const std::string& path, std::int64_t height, std::int64_t width, const std::uint8_t* rgb) {
  write_file_atomically(path, encode_png_rgb(height, width, rgb));
}

void write_png_gray(const std::string& path, std::int64_t height, std::int64_t width, const std::uint8_t* gray) {
  write_file_atomically(path, encode_png_gray(height, width, gray));
}

}  // namespace salient::io
