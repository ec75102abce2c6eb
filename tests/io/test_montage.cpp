#include <gtest/gtest.h>
#include <png.h>

#include <array>
#include <cstdint>
#include <vector>

#include "salient/check.h"
#include "salient/io/montage.h"
#include "support/temp_dir.h"

namespace salient::io {
namespace {

using Rgb = std::array<int, 3>;

// A montage of one 3×3 tile is 7×7 pixels: the tile at rows and columns 2–4 inside a
// 2-pixel gap.
class OneTileMontage {
 public:
  OneTileMontage(const std::string& path, const MontageTile& tile) {
    write_montage(path, {tile}, 3, 1);
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    EXPECT_NE(png_image_begin_read_from_file(&image, path.c_str()), 0) << image.message;
    EXPECT_EQ(image.width, 7u);
    EXPECT_EQ(image.height, 7u);
    image.format = PNG_FORMAT_RGB;
    rgb_.resize(PNG_IMAGE_SIZE(image));
    EXPECT_NE(png_image_finish_read(&image, nullptr, rgb_.data(), 0, nullptr), 0) << image.message;
  }
  /// The colour of pixel (row, col) of the tile.
  Rgb at(int row, int col) const {
    const std::size_t first = static_cast<std::size_t>(((2 + row) * 7 + 2 + col) * 3);
    return {rgb_[first], rgb_[first + 1], rgb_[first + 2]};
  }

 private:
  std::vector<std::uint8_t> rgb_;
};

TEST(Montage, BlendsTheInfernoMapOverGrayByHeat) {
  salient::testing::TempDir dir;
  MontageTile tile;
  tile.gray = std::vector<std::uint8_t>(9, 100);
  tile.heat = {0, 255, 204, 102, 0, 0, 0, 0, 0};
  tile.gray[3] = 0;
  const OneTileMontage montage(dir / "heat.png", tile);
  // Heat 0: the gray image unchanged.
  EXPECT_EQ(montage.at(0, 0), (Rgb{100, 100, 100}));
  // Heat 255, h = 1, a·h = 0.6, last knot (0.988362, 0.998364, 0.644924):
  //   0.4·100 + 0.6·255·0.988362 = 191.22, + 0.6·255·0.998364 = 192.75, + 0.6·255·0.644924 = 138.67.
  EXPECT_EQ(montage.at(0, 1), (Rgb{191, 193, 139}));
  // Heat 204, h = 0.8, a·h = 0.48, knot (0.987622, 0.645320, 0.039886):
  //   0.52·100 + 0.48·255·0.987622 = 172.89, 52 + 78.99 = 130.99, 52 + 4.88 = 56.88.
  EXPECT_EQ(montage.at(0, 2), (Rgb{173, 131, 57}));
  // Heat 102 over black, h = 0.4, a·h = 0.24, knot (0.578304, 0.148039, 0.404411):
  //   0.24·255·0.578304 = 35.39, 0.24·255·0.148039 = 9.06, 0.24·255·0.404411 = 24.75.
  EXPECT_EQ(montage.at(1, 0), (Rgb{35, 9, 25}));
}

TEST(Montage, DrawsTheRoiOutlineOverTheHeat) {
  salient::testing::TempDir dir;
  MontageTile tile;
  tile.gray = std::vector<std::uint8_t>(9, 100);
  tile.heat = std::vector<std::uint8_t>(9, 255);
  tile.roi = {0, 0, 0, 0, 1, 0, 0, 0, 0};
  const OneTileMontage montage(dir / "roi.png", tile);
  EXPECT_EQ(montage.at(1, 1), (Rgb{255, 40, 40}));
  EXPECT_EQ(montage.at(0, 0), (Rgb{191, 193, 139}));
}

TEST(Montage, RefusesHeatOfAnotherSize) {
  salient::testing::TempDir dir;
  MontageTile tile;
  tile.gray = std::vector<std::uint8_t>(9, 100);
  tile.heat = std::vector<std::uint8_t>(8, 1);
  EXPECT_THROW(write_montage(dir / "bad.png", {tile}, 3, 1), salient::Error);
}

}  // namespace
}  // namespace salient::io
