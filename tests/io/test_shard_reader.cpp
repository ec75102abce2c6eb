#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "salient/check.h"
#include "salient/io/batch_partition.h"
#include "salient/io/shard_reader.h"
#include "support/temp_dir.h"
#include "test_pool_support.h"

namespace salient::io {
namespace {

using namespace salient::io::testing;

TEST(BatchPartition, RanksOwnBalancedContiguousRunsOfWholeBatches) {
  // 10 images in batches of 3: batches {0,1,2} {3,4,5} {6,7,8} {9}; K = 4.
  EXPECT_EQ(batch_count(10, 3), 4);
  const RankShare r0 = rank_share(10, 3, 0, 3), r1 = rank_share(10, 3, 1, 3), r2 = rank_share(10, 3, 2, 3);
  // ⌊4·r/3⌋ = 0, 1, 2, 4.
  EXPECT_EQ(r0.first_batch, 0);
  EXPECT_EQ(r0.end_batch, 1);
  EXPECT_EQ(r1.end_batch, 2);
  EXPECT_EQ(r2.first_batch, 2);
  EXPECT_EQ(r2.end_batch, 4);
  EXPECT_EQ(r2.begin, 6);
  EXPECT_EQ(r2.end, 10);
  EXPECT_THROW(rank_share(10, 3, 3, 3), salient::Error);
  EXPECT_THROW(rank_share(10, 0, 0, 1), salient::Error);
}

TEST(BatchPartition, EveryImageIsOwnedExactlyOnceForAnyRankCount) {
  for (const std::int64_t images : {1, 7, 64, 1000, 1001}) {
    for (const int world : {1, 2, 3, 7}) {
      std::int64_t next = 0, fewest = images, most = 0;
      for (int rank = 0; rank < world; ++rank) {
        const RankShare share = rank_share(images, 16, rank, world);
        EXPECT_EQ(share.begin, next) << images << " images, rank " << rank << " of " << world;
        next = share.end;
        fewest = std::min(fewest, share.end_batch - share.first_batch);
        most = std::max(most, share.end_batch - share.first_batch);
      }
      EXPECT_EQ(next, images);
      EXPECT_LE(most - fewest, 1) << "runs of batches differ by more than one";
    }
  }
}

// Reads a rank's whole share, checking every pixel, label and id against the formulas.
std::vector<std::int64_t> read_share(const Pool& pool, ReaderOptions options,
                                     std::map<std::int64_t, std::vector<std::int64_t>>* batches = nullptr) {
  ShardReader reader(pool, options);
  std::vector<std::int64_t> seen;
  while (auto batch = reader.next()) {
    const auto* pixels = static_cast<const std::uint8_t*>(batch->pixels);
    for (std::int64_t i = 0; i < batch->size(); ++i) {
      const std::int64_t index = batch->indices[static_cast<std::size_t>(i)];
      EXPECT_EQ(index / options.batch_size, batch->batch_index);
      EXPECT_EQ(batch->ids[static_cast<std::size_t>(i)], expected_id(index));
      EXPECT_EQ(batch->labels[i * 2], expected_label(index, 0));
      for (std::int64_t p = 0; p < 35; ++p) {
        EXPECT_EQ(pixels[i * 35 + p], expected_pixel(index, p));
        if (batch->roi) {
          EXPECT_EQ(batch->roi[i * 35 + p], expected_roi(index, p));
        }
      }
      seen.push_back(index);
      if (batches) (*batches)[batch->batch_index].push_back(index);
    }
  }
  EXPECT_EQ(static_cast<std::int64_t>(seen.size()), reader.images_to_read());
  return seen;
}

TEST(ShardReader, RanksTogetherReadEveryImageOnceInTheSameBatches) {
  salient::testing::TempDir dir;
  write_small_pool(dir / "pool", small_spec(53, 10, true));
  const Pool pool = Pool::open(dir / "pool");
  std::map<std::int64_t, std::vector<std::int64_t>> batches_one_rank;
  for (const int world : {1, 2, 3, 7}) {
    std::vector<std::int64_t> all;
    std::map<std::int64_t, std::vector<std::int64_t>> batches;
    for (int rank = 0; rank < world; ++rank) {
      ReaderOptions options;
      options.batch_size = 4;  // batches straddle the 10-image shards
      options.rank = rank;
      options.world = world;
      options.with_roi = true;
      const auto seen = read_share(pool, options, &batches);
      all.insert(all.end(), seen.begin(), seen.end());
    }
    std::vector<std::int64_t> expected(53);
    for (std::int64_t i = 0; i < 53; ++i) expected[static_cast<std::size_t>(i)] = i;
    EXPECT_EQ(all, expected) << world << " ranks";
    if (world == 1) batches_one_rank = batches;
    EXPECT_EQ(batches, batches_one_rank) << "batch composition changed with " << world << " ranks";
  }
}

TEST(ShardReader, SkipsShardsThatAreDoneAndResumesAtTheBoundary) {
  salient::testing::TempDir dir;
  write_small_pool(dir / "pool", small_spec(53, 10));
  const Pool pool = Pool::open(dir / "pool");
  ReaderOptions options;
  options.batch_size = 4;
  options.skip_shards = {0, 1, 3};
  const auto seen = read_share(pool, options);
  std::vector<std::int64_t> expected;
  for (std::int64_t i = 20; i < 30; ++i) expected.push_back(i);
  for (std::int64_t i = 40; i < 53; ++i) expected.push_back(i);
  EXPECT_EQ(seen, expected);
}

TEST(ShardReader, WorksWithoutReadAheadAndWithDeepReadAhead) {
  salient::testing::TempDir dir;
  write_small_pool(dir / "pool", small_spec(31, 8));
  const Pool pool = Pool::open(dir / "pool");
  for (const int prefetch : {0, 1, 6}) {
    ReaderOptions options;
    options.batch_size = 5;
    options.prefetch = prefetch;
    EXPECT_EQ(read_share(pool, options).size(), 31u) << "prefetch " << prefetch;
  }
}

TEST(ShardReader, ReportsACorruptShardAfterTheBatchesBeforeIt) {
  salient::testing::TempDir dir;
  write_small_pool(dir / "pool", small_spec(30, 10));
  {
    std::ofstream corrupt(dir / "pool/shard-00002.h5", std::ios::binary | std::ios::trunc);
    corrupt << "not an HDF5 file";
  }
  const Pool pool = Pool::open(dir / "pool");
  ReaderOptions options;
  options.batch_size = 10;
  ShardReader reader(pool, options);
  EXPECT_EQ(reader.next()->indices.front(), 0);
  EXPECT_EQ(reader.next()->indices.front(), 10);
  try {
    reader.next();
    FAIL() << "the corrupt shard must be reported";
  } catch (const salient::Error& error) {
    EXPECT_NE(std::string(error.what()).find("shard-00002.h5"), std::string::npos) << error.what();
  }
}

TEST(ShardReader, StopsCleanlyWhenDestroyedMidway) {
  salient::testing::TempDir dir;
  write_small_pool(dir / "pool", small_spec(100, 10));
  const Pool pool = Pool::open(dir / "pool");
  ReaderOptions options;
  options.batch_size = 3;
  ShardReader reader(pool, options);
  auto first = reader.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->size(), 3);
}

}  // namespace
}  // namespace salient::io
