#include "salient/io/png_image.h"

#include <png.h>

#include <cerrno>
#include <csetjmp>
#include <cstdio>
#include <cstring>
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
  int system_error = 0;  ///< errno when libpng gave up: why a write failed ("Write Error")
};

void on_error(png_structp png, png_const_charp message) {
  auto* state = static_cast<ErrorState*>(png_get_error_ptr(png));
  state->system_error = errno;
  std::snprintf(state->message, sizeof state->message, "%s", message);
  png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using FilePointer = std::unique_ptr<std::FILE, FileCloser>;

void write_png(const std::string& path, std::int64_t height, std::int64_t width, const std::uint8_t* pixels,
               int color_type, int channels) {
  SALIENT_CHECK(height > 0 && width > 0, "cannot write an empty {}x{} PNG '{}'", height, width, path);
  AtomicOutput output(path);
  {
    FilePointer file(std::fopen(output.temporary_path().c_str(), "wb"));
    SALIENT_CHECK(file, "cannot create '{}'", output.temporary_path());
    ErrorState error;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &error, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    SALIENT_CHECK(png && info, "libpng could not start writing '{}'", path);
    if (setjmp(png_jmpbuf(png))) {
      png_destroy_write_struct(&png, &info);
      throw Error(fmt::format("cannot write PNG '{}': {}{}", path, error.message,
                              error.system_error ? fmt::format(" ({})", std::strerror(error.system_error)) : ""));
    }
    png_init_io(png, file.get());
    errno = 0;  // from here, an errno is the failed write's
    png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8, color_type,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (std::int64_t row = 0; row < height; ++row) png_write_row(png, pixels + row * width * channels);
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    SALIENT_CHECK(std::fflush(file.get()) == 0, "cannot write '{}': {}", output.temporary_path(), std::strerror(errno));
  }
  output.commit();
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

void write_png_rgb(const std::string& path, std::int64_t height, std::int64_t width, const std::uint8_t* rgb) {
  write_png(path, height, width, rgb, PNG_COLOR_TYPE_RGB, 3);
}

void write_png_gray(const std::string& path, std::int64_t height, std::int64_t width, const std::uint8_t* gray) {
  write_png(path, height, width, gray, PNG_COLOR_TYPE_GRAY, 1);
}

}  // namespace salient::io
