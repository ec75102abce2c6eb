// A grid of grayscale images as one RGB picture, with each image's saliency shown in a
// colour map and its region of interest outlined in red: how a selection (montage.png),
// saliency maps or a pool are shown to a person.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace salient::io {

struct MontageTile {
  std::vector<std::uint8_t> gray;  ///< tile_size × tile_size
  std::vector<std::uint8_t> roi;   ///< tile_size × tile_size, nonzero inside; empty = none
  std::vector<std::uint8_t> heat;  ///< tile_size × tile_size saliency, 0–255; empty = none
};

/// Lays @p tiles out row by row, @p columns per row, with a 2-pixel dark gap, and writes
/// the PNG atomically. Where a tile has heat, each channel is
///   out = round((1 − a·h)·gray + a·h·255·colour(h)),  h = heat/255, a = 0.6,
/// colour = matplotlib's "inferno" map (black, purple, orange, pale yellow) interpolated
/// linearly between its entries 0, 51, 102, 153, 204 and 255 (h = 0, 0.2, …, 1): heat 0
/// leaves the gray image as it is. The ROI outline is drawn over the heat.
void write_montage(const std::string& path, const std::vector<MontageTile>& tiles, std::int64_t tile_size,
                   int columns);

/// The heat overlay of write_montage as RGBA pixels (4 bytes each) for @p heat in [0, 1]:
/// colour inferno(h), alpha round(255·a·h). Drawn over a gray image with alpha blending it
/// gives write_montage's formula (the review page draws it so, at the opacity chosen there).
std::vector<std::uint8_t> heat_rgba(const std::vector<float>& heat);

/// Resamples a square 8-bit image to @p size pixels a side by area averaging (box filter)
/// when shrinking and nearest neighbour when enlarging.
std::vector<std::uint8_t> resize_square(const std::vector<std::uint8_t>& image, std::int64_t from, std::int64_t size);

}  // namespace salient::io
