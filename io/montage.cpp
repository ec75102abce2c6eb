#include "salient/io/montage.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "salient/check.h"
#include "salient/io/png_image.h"

namespace salient::io {
namespace {

using Rgb = std::array<std::uint8_t, 3>;

// matplotlib's "inferno" (lib/matplotlib/_cm_listed.py, _inferno_data) at entries 0, 51,
// 102, 153, 204 and 255 of its 256: a perceptually uniform map that stays readable in
// gray print, sampled where h = k/5 exactly.
constexpr std::array<std::array<double, 3>, 6> kInfernoKnots = {{
    {0.001462, 0.000466, 0.013866},
    {0.258234, 0.038571, 0.406485},
    {0.578304, 0.148039, 0.404411},
    {0.865006, 0.316822, 0.226055},
    {0.987622, 0.645320, 0.039886},
    {0.988362, 0.998364, 0.644924},
}};

// Opacity of the colour map at full heat: the anatomy stays visible under the hottest spots.
constexpr double kHeatOpacity = 0.6;

// The inferno colour of @p h in [0, 1], channels in [0, 1], linear between knots.
std::array<double, 3> inferno(double h) {
  const double position = h * static_cast<double>(kInfernoKnots.size() - 1);
  const std::size_t below = std::min(static_cast<std::size_t>(position), kInfernoKnots.size() - 2);
  const double t = position - static_cast<double>(below);
  std::array<double, 3> colour{};
  for (std::size_t c = 0; c < 3; ++c) colour[c] = (1 - t) * kInfernoKnots[below][c] + t * kInfernoKnots[below + 1][c];
  return colour;
}

// out = (1 − a·h)·gray + a·h·255·inferno(h), h = heat/255: the formula of write_montage.
Rgb heat_over_gray(std::uint8_t gray, std::uint8_t heat) {
  const double h = heat / 255.0, weight = kHeatOpacity * h;
  const auto colour = inferno(h);
  Rgb out{};
  for (std::size_t c = 0; c < 3; ++c) {
    out[c] = static_cast<std::uint8_t>(std::lround((1 - weight) * gray + weight * 255.0 * colour[c]));
  }
  return out;
}

void check_tile(const MontageTile& tile, std::size_t t, std::int64_t tile_size) {
  const auto pixels = static_cast<std::size_t>(tile_size * tile_size);
  SALIENT_CHECK(tile.gray.size() == pixels, "montage tile {} has {} pixels, expected {}", t, tile.gray.size(), pixels);
  SALIENT_CHECK(tile.roi.empty() || tile.roi.size() == pixels, "montage tile {} has an ROI of {} pixels, expected {}",
                t, tile.roi.size(), pixels);
  SALIENT_CHECK(tile.heat.empty() || tile.heat.size() == pixels, "montage tile {} has {} heat values, expected {}", t,
                tile.heat.size(), pixels);
}

}  // namespace

std::vector<std::uint8_t> heat_rgba(const std::vector<float>& heat) {
  std::vector<std::uint8_t> rgba(heat.size() * 4);
  for (std::size_t i = 0; i < heat.size(); ++i) {
    const double h = std::isfinite(heat[i]) ? std::clamp(static_cast<double>(heat[i]), 0.0, 1.0) : 0.0;
    const auto colour = inferno(h);
    for (std::size_t c = 0; c < 3; ++c) rgba[i * 4 + c] = static_cast<std::uint8_t>(std::lround(255.0 * colour[c]));
    rgba[i * 4 + 3] = static_cast<std::uint8_t>(std::lround(255.0 * kHeatOpacity * h));
  }
  return rgba;
}

std::vector<std::uint8_t> resize_square(const std::vector<std::uint8_t>& image, std::int64_t from, std::int64_t size) {
  SALIENT_CHECK(static_cast<std::int64_t>(image.size()) == from * from && size > 0, "cannot resize a {}-pixel image",
                image.size());
  std::vector<std::uint8_t> out(static_cast<std::size_t>(size * size));
  for (std::int64_t row = 0; row < size; ++row) {
    const std::int64_t r0 = row * from / size, r1 = std::max(r0 + 1, (row + 1) * from / size);
    for (std::int64_t col = 0; col < size; ++col) {
      const std::int64_t c0 = col * from / size, c1 = std::max(c0 + 1, (col + 1) * from / size);
      double sum = 0.0;
      for (std::int64_t r = r0; r < r1; ++r)
        for (std::int64_t c = c0; c < c1; ++c) sum += image[static_cast<std::size_t>(r * from + c)];
      out[static_cast<std::size_t>(row * size + col)] =
          static_cast<std::uint8_t>(std::lround(sum / static_cast<double>((r1 - r0) * (c1 - c0))));
    }
  }
  return out;
}

void write_montage(const std::string& path, const std::vector<MontageTile>& tiles, std::int64_t tile_size,
                   int columns) {
  SALIENT_CHECK(!tiles.empty() && columns > 0 && tile_size > 0, "a montage needs tiles and columns");
  constexpr std::int64_t gap = 2;
  const std::int64_t cols = std::min<std::int64_t>(columns, static_cast<std::int64_t>(tiles.size()));
  const std::int64_t rows = (static_cast<std::int64_t>(tiles.size()) + cols - 1) / cols;
  const std::int64_t width = cols * tile_size + (cols + 1) * gap, height = rows * tile_size + (rows + 1) * gap;
  std::vector<std::uint8_t> rgb(static_cast<std::size_t>(width * height * 3), 24);
  for (std::size_t t = 0; t < tiles.size(); ++t) {
    const MontageTile& tile = tiles[t];
    check_tile(tile, t, tile_size);
    const std::int64_t top = gap + static_cast<std::int64_t>(t) / cols * (tile_size + gap);
    const std::int64_t left = gap + static_cast<std::int64_t>(t) % cols * (tile_size + gap);
    const auto inside = [&](std::int64_t r, std::int64_t c) {
      return r >= 0 && c >= 0 && r < tile_size && c < tile_size && tile.roi[static_cast<std::size_t>(r * tile_size + c)];
    };
    for (std::int64_t r = 0; r < tile_size; ++r) {
      for (std::int64_t c = 0; c < tile_size; ++c) {
        const auto pixel = static_cast<std::size_t>(r * tile_size + c);
        const std::uint8_t v = tile.gray[pixel];
        // An ROI pixel with a neighbour outside the ROI is on its outline.
        const bool outline = !tile.roi.empty() && inside(r, c) &&
                             !(inside(r - 1, c) && inside(r + 1, c) && inside(r, c - 1) && inside(r, c + 1));
        const Rgb colour = outline             ? Rgb{255, 40, 40}
                           : tile.heat.empty() ? Rgb{v, v, v}
                                               : heat_over_gray(v, tile.heat[pixel]);
        std::copy(colour.begin(), colour.end(), rgb.data() + ((top + r) * width + left + c) * 3);
      }
    }
  }
  write_png_rgb(path, height, width, rgb.data());
}

}  // namespace salient::io
