#include "salient/io/montage.h"

#include <algorithm>
#include <cmath>

#include "salient/check.h"
#include "salient/io/png_image.h"

namespace salient::io {

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
    SALIENT_CHECK(static_cast<std::int64_t>(tile.gray.size()) == tile_size * tile_size, "montage tile {} has {} pixels",
                  t, tile.gray.size());
    const std::int64_t top = gap + static_cast<std::int64_t>(t) / cols * (tile_size + gap);
    const std::int64_t left = gap + static_cast<std::int64_t>(t) % cols * (tile_size + gap);
    const auto inside = [&](std::int64_t r, std::int64_t c) {
      return r >= 0 && c >= 0 && r < tile_size && c < tile_size && tile.roi[static_cast<std::size_t>(r * tile_size + c)];
    };
    for (std::int64_t r = 0; r < tile_size; ++r) {
      for (std::int64_t c = 0; c < tile_size; ++c) {
        const std::uint8_t v = tile.gray[static_cast<std::size_t>(r * tile_size + c)];
        // An ROI pixel with a neighbour outside the ROI is on its outline.
        const bool outline = !tile.roi.empty() && inside(r, c) &&
                             !(inside(r - 1, c) && inside(r + 1, c) && inside(r, c - 1) && inside(r, c + 1));
        std::uint8_t* out = rgb.data() + ((top + r) * width + left + c) * 3;
        out[0] = outline ? 255 : v;
        out[1] = outline ? 40 : v;
        out[2] = outline ? 40 : v;
      }
    }
  }
  write_png_rgb(path, height, width, rgb.data());
}

}  // namespace salient::io
