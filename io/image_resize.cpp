#include "salient/io/image_resize.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "salient/check.h"

namespace salient::io {
namespace {

constexpr double kPi = 3.14159265358979323846;

double sinc(double x) { return x == 0.0 ? 1.0 : std::sin(kPi * x) / (kPi * x); }

double kernel(ResizeFilter filter, double x) {
  switch (filter) {
    case ResizeFilter::box:
      return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
    case ResizeFilter::triangle:
      return std::max(0.0, 1.0 - std::abs(x));
    case ResizeFilter::lanczos3:
      return x >= -3.0 && x < 3.0 ? sinc(x) * sinc(x / 3.0) : 0.0;
  }
  SALIENT_ASSERT(false);
}

double support(ResizeFilter filter) {
  switch (filter) {
    case ResizeFilter::box:
      return 0.5;
    case ResizeFilter::triangle:
      return 1.0;
    case ResizeFilter::lanczos3:
      return 3.0;
  }
  SALIENT_ASSERT(false);
}

// For each output index along one axis: the first source index it reads and its weights.
struct AxisWeights {
  std::size_t taps = 0;  ///< weights stored per output index (unused ones are 0)
  std::vector<std::int64_t> first;
  std::vector<double> weights;
};

AxisWeights axis_weights(std::int64_t in, std::int64_t out, ResizeFilter filter) {
  const double scale = static_cast<double>(in) / static_cast<double>(out);
  const double stretch = std::max(scale, 1.0);
  const double reach = support(filter) * stretch;
  AxisWeights axis;
  axis.taps = static_cast<std::size_t>(std::ceil(reach)) * 2 + 1;
  axis.first.resize(static_cast<std::size_t>(out));
  axis.weights.assign(static_cast<std::size_t>(out) * axis.taps, 0.0);
  for (std::int64_t i = 0; i < out; ++i) {
    const double center = (static_cast<double>(i) + 0.5) * scale;
    const std::int64_t lo = std::max<std::int64_t>(static_cast<std::int64_t>(std::floor(center - reach + 0.5)), 0);
    const std::int64_t hi = std::min<std::int64_t>(static_cast<std::int64_t>(std::floor(center + reach + 0.5)), in);
    double* w = axis.weights.data() + static_cast<std::size_t>(i) * axis.taps;
    double sum = 0.0;
    for (std::int64_t x = lo; x < hi; ++x) {
      // Distance from the output centre to the centre of source pixel x, in kernel units.
      w[x - lo] = kernel(filter, (static_cast<double>(x) + 0.5 - center) / stretch);
      sum += w[x - lo];
    }
    if (sum != 0.0) {
      for (std::int64_t x = lo; x < hi; ++x) w[x - lo] /= sum;
    }
    axis.first[static_cast<std::size_t>(i)] = lo;
  }
  return axis;
}

// Resamples the second axis of a rows × in array (stride in) to rows × out.
std::vector<float> resample_rows(const std::vector<float>& plane, std::int64_t rows, std::int64_t in, std::int64_t out,
                                 ResizeFilter filter) {
  if (in == out) return plane;
  const AxisWeights axis = axis_weights(in, out, filter);
  std::vector<float> result(static_cast<std::size_t>(rows * out));
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* source = plane.data() + r * in;
    for (std::int64_t i = 0; i < out; ++i) {
      const std::int64_t first = axis.first[static_cast<std::size_t>(i)];
      const double* w = axis.weights.data() + static_cast<std::size_t>(i) * axis.taps;
      const auto taps = std::min<std::int64_t>(static_cast<std::int64_t>(axis.taps), in - first);
      double sum = 0.0;
      for (std::int64_t k = 0; k < taps; ++k) sum += w[k] * source[first + k];
      result[static_cast<std::size_t>(r * out + i)] = static_cast<float>(sum);
    }
  }
  return result;
}

// Resamples the first axis of an in × columns array to out × columns.
std::vector<float> resample_columns(const std::vector<float>& plane, std::int64_t in, std::int64_t columns,
                                    std::int64_t out, ResizeFilter filter) {
  if (in == out) return plane;
  const AxisWeights axis = axis_weights(in, out, filter);
  std::vector<double> sums(static_cast<std::size_t>(columns));
  std::vector<float> result(static_cast<std::size_t>(out * columns));
  for (std::int64_t i = 0; i < out; ++i) {
    const std::int64_t first = axis.first[static_cast<std::size_t>(i)];
    const double* w = axis.weights.data() + static_cast<std::size_t>(i) * axis.taps;
    const auto taps = std::min<std::int64_t>(static_cast<std::int64_t>(axis.taps), in - first);
    std::fill(sums.begin(), sums.end(), 0.0);
    for (std::int64_t k = 0; k < taps; ++k) {
      const float* source = plane.data() + (first + k) * columns;
      for (std::int64_t c = 0; c < columns; ++c) sums[static_cast<std::size_t>(c)] += w[k] * source[c];
    }
    std::transform(sums.begin(), sums.end(), result.begin() + i * columns,
                   [](double v) { return static_cast<float>(v); });
  }
  return result;
}

}  // namespace

std::string resize_filter_name(ResizeFilter filter) {
  switch (filter) {
    case ResizeFilter::box:
      return "box";
    case ResizeFilter::triangle:
      return "triangle";
    case ResizeFilter::lanczos3:
      return "lanczos3";
  }
  SALIENT_ASSERT(false);
}

ResizeFilter parse_resize_filter(const std::string& name) {
  for (const auto filter : {ResizeFilter::box, ResizeFilter::triangle, ResizeFilter::lanczos3}) {
    if (resize_filter_name(filter) == name) return filter;
  }
  throw Error("unknown resize filter '" + name + "' (expected box, triangle or lanczos3)");
}

std::vector<float> resize_plane(const std::vector<float>& plane, std::int64_t height, std::int64_t width,
                                std::int64_t out_height, std::int64_t out_width, ResizeFilter filter) {
  SALIENT_CHECK(height > 0 && width > 0 && out_height > 0 && out_width > 0, "cannot resize {}x{} to {}x{}", height,
                width, out_height, out_width);
  SALIENT_CHECK(plane.size() == static_cast<std::size_t>(height * width), "a {}x{} plane needs {} values, got {}",
                height, width, height * width, plane.size());
  return resample_columns(resample_rows(plane, height, width, out_width, filter), height, out_width, out_height,
                          filter);
}

std::vector<std::uint8_t> resize_gray_image(const GrayImage& image, std::int64_t size, PixelType type,
                                            ResizeFilter filter) {
  SALIENT_CHECK(type == PixelType::uint8 || type == PixelType::uint16, "images are packed as uint8 or uint16, not {}",
                pixel_type_name(type));
  const double in_max = image.bit_depth == 16 ? 65535.0 : 255.0;
  const double out_max = type == PixelType::uint16 ? 65535.0 : 255.0;
  const double gain = out_max / in_max;
  const auto count = static_cast<std::size_t>(image.height * image.width);
  std::vector<float> plane(count);
  for (std::size_t p = 0; p < count; ++p) {
    const double sample = image.bit_depth == 16 ? image.gray16[p] : image.gray8[p];
    plane[p] = static_cast<float>(sample * gain);
  }
  const std::vector<float> resized = resize_plane(plane, image.height, image.width, size, size, filter);
  std::vector<std::uint8_t> bytes(resized.size() * pixel_bytes(type));
  for (std::size_t p = 0; p < resized.size(); ++p) {
    const double value = std::clamp(std::round(static_cast<double>(resized[p])), 0.0, out_max);
    if (type == PixelType::uint16) {
      const auto sample = static_cast<std::uint16_t>(value);
      std::memcpy(bytes.data() + 2 * p, &sample, 2);
    } else {
      bytes[p] = static_cast<std::uint8_t>(value);
    }
  }
  return bytes;
}

}  // namespace salient::io
