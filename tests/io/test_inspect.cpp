#include <gtest/gtest.h>

#include "salient/io/checksum.h"
#include "salient/io/pool_inspect.h"
#include "support/temp_dir.h"
#include "test_pool_support.h"

namespace salient::io {
namespace {

using namespace salient::io::testing;

TEST(Inspect, CountsLabelsRoiAndPatientsOfASmallPool) {
  salient::testing::TempDir dir;
  write_small_pool(dir / "pool", small_spec(12, 5, true));
  const PoolReport report = inspect_pool(Pool::open(dir / "pool"), true);
  EXPECT_TRUE(report.problems.empty());
  EXPECT_EQ(report.images, 12);
  EXPECT_EQ(report.shards, 3);
  EXPECT_EQ(report.patients, 6);  // patient i/2
  EXPECT_EQ(report.boxes, 3);     // images 0, 4, 8
  // Label 0 of image i is (i mod 3) − 1: four each of −1, 0, 1 over 12 images.
  EXPECT_EQ(report.labels[0].positive, 4);
  EXPECT_EQ(report.labels[0].negative, 4);
  EXPECT_EQ(report.labels[0].unknown, 4);
  // ROI pixel p of image i is set when (i + p) mod 5 = 0: 7 of 35 pixels in every image.
  EXPECT_EQ(report.images_with_roi, 12);
  EXPECT_DOUBLE_EQ(report.mean_roi_fraction, 7.0 / 35.0);
}

TEST(Inspect, VerificationFindsAChangedPixelAndNamesShardAndDataset) {
  salient::testing::TempDir dir;
  write_small_pool(dir / "pool", small_spec(12, 5));
  {
    auto file = h5::File::open(dir / "pool/shard-00001.h5", h5::Access::read_write);
    std::vector<std::uint8_t> image(35);
    file.dataset("images").read_rows(2, 1, image.data());
    image[17] ^= 1;
    file.dataset("images").write_rows(2, 1, image.data());
  }
  const Pool pool = Pool::open(dir / "pool");
  EXPECT_TRUE(inspect_pool(pool, false).problems.empty()) << "without --verify images are not read";
  const PoolReport report = inspect_pool(pool, true);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_NE(report.problems[0].find("shard-00001.h5"), std::string::npos) << report.problems[0];
  EXPECT_NE(report.problems[0].find("'images'"), std::string::npos) << report.problems[0];
  EXPECT_NE(report.problems[0].find("checksum"), std::string::npos) << report.problems[0];
}

TEST(Inspect, VerificationFindsIdsRepeatedAcrossShards) {
  salient::testing::TempDir dir;
  write_small_pool(dir / "pool", small_spec(10, 5));
  {
    auto file = h5::File::open(dir / "pool/shard-00001.h5", h5::Access::read_write);
    H5Ldelete(file.id(), "ids", H5P_DEFAULT);
    file.write_strings("ids", {"img000005", "img000006", "img000001", "img000008", "img000009"});
  }
  // A pool written by another tool, whose manifest agrees with its ids: each shard is valid
  // alone, the repeat is across shards.
  PoolManifest manifest = read_manifest(dir / "pool");
  manifest.shards[1].ids_crc32 = crc32_of_strings({"img000005", "img000006", "img000001", "img000008", "img000009"});
  write_manifest(dir / "pool", manifest);
  const PoolReport report = inspect_pool(Pool::open(dir / "pool"), true);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_NE(report.problems[0].find("index 2: id 'img000001' repeats image 1"), std::string::npos) << report.problems[0];
}

}  // namespace
}  // namespace salient::io
