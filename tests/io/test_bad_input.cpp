// Every kind of bad input gets an error that names the file, the dataset and the index.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "salient/check.h"
#include "salient/io/pool.h"
#include "salient/io/shard_schema.h"
#include "support/expect_error.h"
#include "support/temp_dir.h"
#include "test_pool_support.h"

namespace salient::io {
namespace {

using namespace salient::io::testing;

using salient::testing::expect_error_naming;

void rewrite_manifest(const std::string& pool_dir, const std::string& from, const std::string& to) {
  const std::string path = pool_dir + "/pool.json";
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  std::ofstream(path, std::ios::trunc) << text;
}

class BadInput : public ::testing::Test {
 protected:
  void SetUp() override { write_small_pool(pool_dir(), small_spec(20, 10, true)); }
  std::string pool_dir() const { return dir_ / "pool"; }
  std::string shard(int i) const { return pool_dir() + "/shard-0000" + std::to_string(i) + ".h5"; }
  salient::testing::TempDir dir_;
};

TEST_F(BadInput, MissingManifest) {
  std::filesystem::remove(pool_dir() + "/pool.json");
  expect_error_naming([&] { Pool::open(pool_dir()); }, {"pool.json"});
}

TEST_F(BadInput, ManifestThatIsNotJson) {
  std::ofstream(pool_dir() + "/pool.json", std::ios::trunc) << "{\"format\": ";
  expect_error_naming([&] { Pool::open(pool_dir()); }, {"pool.json", "not valid JSON"});
}

TEST_F(BadInput, ManifestPathEscapingThePoolIsRejected) {
  rewrite_manifest(pool_dir(), "\"shard-00001.h5\"", "\"../../etc/passwd\"");
  expect_error_naming([&] { Pool::open(pool_dir()); }, {"pool.json", "shards[1]", "escapes the pool directory"});
}

TEST_F(BadInput, AbsoluteManifestPathIsRejected) {
  rewrite_manifest(pool_dir(), "\"shard-00000.h5\"", "\"/tmp/shard.h5\"");
  expect_error_naming([&] { Pool::open(pool_dir()); }, {"shards[0]", "escapes the pool directory"});
}

TEST_F(BadInput, ShardCountsThatBreakTheFixedShardSize) {
  rewrite_manifest(pool_dir(), "\"count\": 10", "\"count\": 9");
  expect_error_naming([&] { Pool::open(pool_dir()); }, {"shards[0]", "holds 9 images"});
}

TEST_F(BadInput, ManifestFieldOfTheWrongTypeIsAnErrorNotACrash) {
  std::ifstream in(pool_dir() + "/pool.json");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto key = text.find("\"source\": \"");
  ASSERT_NE(key, std::string::npos);
  const auto end = text.find('\n', key);
  text.replace(key, end - key, "\"source\": 7,");
  std::ofstream(pool_dir() + "/pool.json", std::ios::trunc) << text;
  expect_error_naming([&] { Pool::open(pool_dir()); }, {"pool.json", "'source' has the wrong type"});
}

TEST_F(BadInput, TruncatedShard) {
  std::filesystem::resize_file(shard(1), std::filesystem::file_size(shard(1)) / 2);
  const Pool pool = Pool::open(pool_dir());
  expect_error_naming([&] { pool.open_shard(1).read_images(0, 10, std::vector<std::uint8_t>(350).data()); },
                      {"shard-00001.h5"});
}

TEST_F(BadInput, ShardThatIsNotHdf5) {
  std::ofstream(shard(0), std::ios::trunc | std::ios::binary) << "PNG\x89 certainly not HDF5";
  const Pool pool = Pool::open(pool_dir());
  expect_error_naming([&] { pool.open_shard(0); }, {"shard-00000.h5", "cannot open HDF5 file"});
}

TEST_F(BadInput, MissingDataset) {
  {
    // Rewrite shard 0 with everything but 'labels'.
    const auto images = h5::File::open(shard(0)).read<std::uint8_t>("images");
    const auto ids = h5::File::open(shard(0)).read_strings("ids");
    auto file = h5::File::create(shard(0));
    file.write("images", {10, 5, 7}, images.data());
    file.write_strings("ids", ids);
  }
  const Pool pool = Pool::open(pool_dir());
  expect_error_naming([&] { pool.open_shard(0); }, {"shard-00000.h5", "'labels'", "missing"});
}

TEST_F(BadInput, PixelTypeMismatch) {
  {
    auto file = h5::File::open(shard(1), h5::Access::read_write);
    H5Ldelete(file.id(), "images", H5P_DEFAULT);
    const std::vector<std::uint16_t> wide(350, 1000);
    file.write("images", {10, 5, 7}, wide.data());
  }
  const Pool pool = Pool::open(pool_dir());
  expect_error_naming([&] { pool.open_shard(1); }, {"shard-00001.h5", "'images'", "uint16", "uint8"});
}

TEST_F(BadInput, ImageShapeMismatch) {
  {
    auto file = h5::File::open(shard(1), h5::Access::read_write);
    H5Ldelete(file.id(), "images", H5P_DEFAULT);
    const std::vector<std::uint8_t> other(10 * 7 * 5);
    file.write("images", {10, 7, 5}, other.data());
  }
  const Pool pool = Pool::open(pool_dir());
  expect_error_naming([&] { pool.open_shard(1); }, {"shard-00001.h5", "'images'", "[10, 7, 5]", "[10, 5, 7]"});
}

TEST(PoolWriterBadInput, DuplicateIdsAreRejectedWithBothIndices) {
  salient::testing::TempDir dir;
  PoolWriter writer(dir / "pool", small_spec(3, 10));
  std::vector<std::uint8_t> pixels(35, 1);
  ImageRecord record;
  record.pixels = pixels.data();
  record.labels = {0, 1};
  record.id = "a";
  writer.add(record);
  record.id = "b";
  writer.add(record);
  record.id = "a";
  expect_error_naming([&] { writer.add(record); }, {"image 2", "'a'", "already in the pool"});
}

TEST(PoolWriterBadInput, NonFinitePixelsAreRejectedWithTheirPosition) {
  salient::testing::TempDir dir;
  PoolSpec spec = small_spec(1, 10);
  spec.pixel_type = PixelType::float32;
  PoolWriter writer(dir / "pool", spec);
  std::vector<float> pixels(35, 0.5f);
  pixels[2 * 7 + 3] = std::numeric_limits<float>::quiet_NaN();
  ImageRecord record;
  record.id = "x";
  record.pixels = pixels.data();
  record.labels = {0, 0};
  expect_error_naming([&] { writer.add(record); }, {"image 0", "'x'", "pixel (2, 3)", "not a finite number"});
}

TEST(PoolWriterBadInput, AnUnfinishedPoolHasNoManifest) {
  salient::testing::TempDir dir;
  {
    PoolWriter writer(dir / "pool", small_spec(15, 10));
    std::vector<std::uint8_t> pixels(35, 1);
    for (int i = 0; i < 12; ++i) {
      ImageRecord record;
      record.id = std::to_string(i);
      record.pixels = pixels.data();
      record.labels = {0, 0};
      writer.add(record);
    }
    EXPECT_THROW(writer.finish(), salient::Error);
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "pool/pool.json"));
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "pool")) {
    EXPECT_EQ(entry.path().string().find(".tmp-"), std::string::npos) << "left behind: " << entry.path();
  }
}

}  // namespace
}  // namespace salient::io
