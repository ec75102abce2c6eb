#include <gtest/gtest.h>

#include <filesystem>

#include "salient/check.h"
#include "salient/io/checksum.h"
#include "salient/io/pool.h"
#include "support/temp_dir.h"
#include "test_pool_support.h"

namespace salient::io {
namespace {

using namespace salient::io::testing;

TEST(Crc32, MatchesTheStandardCheckValue) {
  // The CRC-32 check value of "123456789" is 0xCBF43926 (also Python's zlib.crc32).
  EXPECT_EQ(crc32_update(0, "123456789", 9), 0xCBF43926u);
  EXPECT_EQ(crc32_update(crc32_update(0, "1234", 4), "56789", 5), 0xCBF43926u);
  // Two ranks' CRCs of consecutive runs give the CRC of the whole.
  EXPECT_EQ(crc32_concat(crc32_update(0, "1234", 4), crc32_update(0, "56789", 5), 5), 0xCBF43926u);
  EXPECT_EQ(crc32_concat(0, crc32_update(0, "123456789", 9), 9), 0xCBF43926u);
}

TEST(Crc32, OfStringsEndsEachWithANul) {
  // Python: hex(zlib.crc32(b"ab\0c\0")), hex(zlib.crc32(b"a\0bc\0")).
  EXPECT_EQ(crc32_of_strings({"ab", "c"}), 0xbd8fae0cu);
  EXPECT_EQ(crc32_of_strings({"a", "bc"}), 0x67f38ecau);
  EXPECT_EQ(crc32_of_strings({}), 0u);
}

TEST(PoolWriter, WritesShardsOfShardSizeAndAShorterLastOne) {
  salient::testing::TempDir dir;
  const auto manifest = write_small_pool(dir / "pool", small_spec(23, 10, true));
  ASSERT_EQ(manifest.shards.size(), 3u);
  EXPECT_EQ(manifest.shards[0].count, 10);
  EXPECT_EQ(manifest.shards[2].count, 3);
  EXPECT_EQ(manifest.shards[1].path, "shard-00001.h5");
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "pool")) {
    EXPECT_EQ(entry.path().string().find(".tmp-"), std::string::npos) << "left behind: " << entry.path();
  }
}

TEST(Pool, ReadsBackEveryImageLabelIdAndMask) {
  salient::testing::TempDir dir;
  write_small_pool(dir / "pool", small_spec(23, 10, true));
  const Pool pool = Pool::open(dir / "pool");
  ASSERT_EQ(pool.size(), 23);
  EXPECT_EQ(pool.manifest().label_names, (std::vector<std::string>{"Effusion", "Nodule"}));
  for (std::int64_t shard = 0; shard < pool.shard_count(); ++shard) {
    const ShardFile file = pool.open_shard(shard);
    std::vector<std::uint8_t> pixels(static_cast<std::size_t>(file.count() * 35)), roi(pixels.size());
    std::vector<std::int8_t> labels(static_cast<std::size_t>(file.count() * 2));
    file.read_images(0, file.count(), pixels.data());
    file.read_roi(0, file.count(), roi.data());
    file.read_labels(0, file.count(), labels.data());
    const auto ids = file.ids();
    std::uint32_t crc = 0;
    for (std::int64_t row = 0; row < file.count(); ++row) {
      const std::int64_t index = pool.first_index(shard) + row;
      EXPECT_EQ(ids[static_cast<std::size_t>(row)], expected_id(index));
      EXPECT_EQ(labels[static_cast<std::size_t>(row * 2 + 1)], expected_label(index, 1));
      for (std::int64_t p = 0; p < 35; ++p) {
        ASSERT_EQ(pixels[static_cast<std::size_t>(row * 35 + p)], expected_pixel(index, p));
        ASSERT_EQ(roi[static_cast<std::size_t>(row * 35 + p)], expected_roi(index, p));
      }
    }
    crc = crc32_update(crc, pixels.data(), pixels.size());
    EXPECT_EQ(crc, pool.manifest().shards[static_cast<std::size_t>(shard)].crc32);
    const auto boxes = file.boxes();
    ASSERT_FALSE(boxes.empty());
    EXPECT_EQ((pool.first_index(shard) + boxes[0].row) % 4, 0);
    EXPECT_EQ(boxes[0].label, 1);
    EXPECT_FLOAT_EQ(boxes[0].h, 1.5f);
  }
}

TEST(Pool, LocatesAnyIndexInConstantTime) {
  salient::testing::TempDir dir;
  write_small_pool(dir / "pool", small_spec(23, 10));
  const Pool pool = Pool::open(dir / "pool");
  EXPECT_EQ(pool.locate(0).shard, 0);
  EXPECT_EQ(pool.locate(9).row, 9);
  EXPECT_EQ(pool.locate(10).shard, 1);
  EXPECT_EQ(pool.locate(22).shard, 2);
  EXPECT_EQ(pool.locate(22).row, 2);
  EXPECT_THROW(pool.locate(23), salient::Error);
  EXPECT_THROW(pool.locate(-1), salient::Error);
}

}  // namespace
}  // namespace salient::io
