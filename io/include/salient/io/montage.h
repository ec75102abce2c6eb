// A grid of grayscale images as one RGB picture, with each image's region of interest
// outlined in red: how a selection (montage.png) or a pool is shown to a person.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace salient::io {

struct MontageTile {
  std::vector<std::uint8_t> gray;  ///< tile_size × tile_size
  std::vector<std::uint8_t> roi;   ///< tile_size × tile_size, nonzero inside; empty = none
};

/// Lays @p tiles out row by row, @p columns per row, with a 2-pixel dark gap, and writes
/// the PNG atomically.
void write_montage(const std::string& path, const std::vector<MontageTile>& tiles, std::int64_t tile_size,
                   int columns);

/// Resamples a square 8-bit image to @p size pixels a side by area averaging (box filter)
/// when shrinking and nearest neighbour when enlarging.
std::vector<std::uint8_t> resize_square(const std::vector<std::uint8_t>& image, std::int64_t from, std::int64_t size);

}  // namespace salient::io
