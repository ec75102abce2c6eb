// LungAtlas on masks drawn here, whose outlines follow by hand from the rectangles.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "salient/check.h"
#include "salient/io/lung_atlas.h"
#include "salient/io/png_image.h"
#include "support/temp_dir.h"

namespace salient::io {
namespace {

struct Rectangle {
  int x0, y0, x1, y1;  // [x0, x1) × [y0, y1)
};

void write_mask(const std::string& path, int width, int height, const std::vector<Rectangle>& lungs) {
  std::vector<std::uint8_t> pixels(static_cast<std::size_t>(width * height), 0);
  for (const Rectangle& r : lungs) {
    for (int y = r.y0; y < r.y1; ++y) {
      for (int x = r.x0; x < r.x1; ++x) pixels[static_cast<std::size_t>(y * width + x)] = 255;
    }
  }
  write_png_gray(path, height, width, pixels.data());
}

// Right lung (image left) x 20–80, y 20–180; left lung x 120–180, y 40–180: the box around
// both is x 20–180, y 20–180, 160 pixels a side, so u = (x − 20)/160 and v = (y − 20)/160.
TEST(LungAtlas, OutlinesFollowTheMaskRectangles) {
  salient::testing::TempDir temp;
  write_mask(temp / "a.png", 200, 200, {{20, 20, 80, 180}, {120, 40, 180, 180}});
  const LungAtlas atlas = LungAtlas::load(temp.path().string(), 2);
  ASSERT_EQ(atlas.size(), 1u);
  const LungShape& shape = atlas.shape(0);
  EXPECT_EQ(shape.file, "a.png");
  EXPECT_DOUBLE_EQ(shape.aspect, 1.0);
  const LungOutline& right = shape.lungs[0];
  const LungOutline& left = shape.lungs[1];
  EXPECT_DOUBLE_EQ(right.u0, 0.0);
  EXPECT_DOUBLE_EQ(right.u1, 0.375);  // 60 / 160
  EXPECT_DOUBLE_EQ(right.v0, 0.0);
  EXPECT_DOUBLE_EQ(right.v1, 1.0);
  EXPECT_DOUBLE_EQ(left.u0, 0.625);  // 100 / 160
  EXPECT_DOUBLE_EQ(left.v0, 0.125);  // 20 / 160
  EXPECT_NEAR(right.cu, 0.1875, 1e-12);
  EXPECT_NEAR(right.cv, 0.5, 1e-12);
  EXPECT_NEAR(left.cu, 0.8125, 1e-12);
  EXPECT_NEAR(left.cv, 0.5625, 1e-12);
  EXPECT_DOUBLE_EQ(shape.midline, 0.5);
  // Columns of the right lung reach from the top to the bottom; beside it, its nearest column's.
  EXPECT_FLOAT_EQ(right.top[10], 0.5f / kAtlasSide);
  EXPECT_FLOAT_EQ(right.bottom[10], 1.0f - 0.5f / kAtlasSide);
  EXPECT_FLOAT_EQ(left.top[10], left.top[80]);
  EXPECT_FLOAT_EQ(left.top[80], 16.5f / kAtlasSide);
  EXPECT_DOUBLE_EQ(shape.field(0, 0.2, 0.5), 1.0);
  EXPECT_DOUBLE_EQ(shape.field(1, 0.2, 0.5), 0.0);
  EXPECT_DOUBLE_EQ(shape.field(1, 0.8, 0.05), 0.0);
  EXPECT_DOUBLE_EQ(shape.field(0, 1.5, 0.5), 0.0);
}

TEST(LungAtlas, MasksWithoutTwoLungsSideBySideAreLeftOutWithTheirReason) {
  salient::testing::TempDir temp;
  write_mask(temp / "a-good.png", 200, 200, {{20, 20, 80, 180}, {120, 40, 180, 180}});
  write_mask(temp / "b-one.png", 200, 200, {{20, 20, 80, 180}});
  write_mask(temp / "c-small.png", 200, 200, {{20, 20, 80, 180}, {120, 40, 130, 50}});
  write_mask(temp / "d-stacked.png", 200, 200, {{20, 20, 180, 80}, {20, 120, 180, 180}});
  const LungAtlas atlas = LungAtlas::load(temp.path().string(), 1);
  ASSERT_EQ(atlas.size(), 1u);
  EXPECT_EQ(atlas.shape(0).file, "a-good.png");
  ASSERT_EQ(atlas.rejected().size(), 3u);
  EXPECT_EQ(atlas.rejected()[0].file, "b-one.png");
  EXPECT_EQ(atlas.rejected()[0].reason, "1 white region(s), not two lungs");
  EXPECT_EQ(atlas.rejected()[1].reason, "one lung only: the second region is 1 % of the first");
  EXPECT_EQ(atlas.rejected()[2].reason, "the two regions are not side by side");
}

TEST(LungAtlas, AFolderWithoutLungsIsAnErrorNamingIt) {
  salient::testing::TempDir temp;
  write_mask(temp / "blank.png", 50, 50, {});
  try {
    LungAtlas::load(temp.path().string(), 1);
    FAIL() << "a folder without lungs was accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("none of the 1 masks in '" + temp.path().string()), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace salient::io
