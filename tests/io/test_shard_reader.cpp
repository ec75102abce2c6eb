#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <tuple>

#include "salient/check.h"
#include "salient/io/batch_partition.h"
#include "salient/io/checksum.h"
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

TEST(ShardReader, SkipsOnlyBatchesWhollyInsideDoneShards) {
  salient::testing::TempDir dir;
  write_small_pool(dir / "pool", small_spec(53, 10));
  const Pool pool = Pool::open(dir / "pool");
  ReaderOptions options;
  options.batch_size = 4;
  std::map<std::int64_t, std::vector<std::int64_t>> all_batches;
  read_share(pool, options, &all_batches);
  options.skip_shards = {0, 1, 3};
  std::map<std::int64_t, std::vector<std::int64_t>> batches;
  const auto seen = read_share(pool, options, &batches);
  // Batches 0–4 (images 0–19) lie in shards 0 and 1, batches 8 and 9 (32–39) in shard 3;
  // batch 7 (28–31) straddles shards 2 and 3 and is read whole, 30 and 31 included.
  std::vector<std::int64_t> expected;
  for (std::int64_t i = 20; i < 32; ++i) expected.push_back(i);
  for (std::int64_t i = 40; i < 53; ++i) expected.push_back(i);
  EXPECT_EQ(seen, expected);
  for (const auto& [k, indices] : batches) EXPECT_EQ(indices, all_batches[k]) << "batch " << k << " changed";
}

TEST(ShardReader, ReadsABatchWholeWhenItBeginsInADoneShard) {
  salient::testing::TempDir dir;
  write_small_pool(dir / "pool", small_spec(30, 10));
  const Pool pool = Pool::open(dir / "pool");
  ReaderOptions options;
  options.batch_size = 4;
  options.skip_shards = {0};
  ShardReader reader(pool, options);
  // Batches 0 and 1 (0–7) are done; batch 2 (8–11) holds 8 and 9 of shard 0 too.
  EXPECT_EQ(reader.images_to_read(), 22);
  const auto batch = reader.next();
  EXPECT_EQ(batch->batch_index, 2);
  EXPECT_EQ(batch->indices, (std::vector<std::int64_t>{8, 9, 10, 11}));
  EXPECT_EQ(batch->ids[0], expected_id(8));
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

// Damages shard 1 of a pool of three 10-image shards as a failing disk or an interrupted
// copy would.
enum class Damage { truncated, deleted };

void damage_shard_1(const salient::testing::TempDir& dir, Damage damage) {
  const std::string path = dir / "pool/shard-00001.h5";
  if (damage == Damage::deleted) {
    std::filesystem::remove(path);
  } else {
    std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
  }
}

TEST(ShardReader, AnUnreadableShardStopsTheReaderByDefaultNamingItsFile) {
  for (const Damage damage : {Damage::truncated, Damage::deleted}) {
    salient::testing::TempDir dir;
    write_small_pool(dir / "pool", small_spec(30, 10));
    damage_shard_1(dir, damage);
    const Pool pool = Pool::open(dir / "pool");
    ReaderOptions options;
    options.batch_size = 4;
    ShardReader reader(pool, options);
    EXPECT_EQ(reader.next()->batch_index, 0);
    EXPECT_EQ(reader.next()->batch_index, 1);
    try {
      reader.next();  // batch 2: images 8–11, 10 and 11 in shard 1
      FAIL() << "the unreadable shard must be reported";
    } catch (const salient::Error& error) {
      EXPECT_NE(std::string(error.what()).find("shard-00001.h5"), std::string::npos) << error.what();
    }
  }
}

TEST(ShardReader, SkipsAnUnreadableShardWithZeroedRowsListedInEachBatch) {
  for (const Damage damage : {Damage::truncated, Damage::deleted}) {
    salient::testing::TempDir dir;
    write_small_pool(dir / "pool", small_spec(30, 10, true));
    damage_shard_1(dir, damage);
    const Pool pool = Pool::open(dir / "pool");
    ReaderOptions options;
    options.batch_size = 4;
    options.with_roi = true;
    options.skip_unreadable_shards = true;
    ShardReader reader(pool, options);
    EXPECT_EQ(reader.images_to_read(), 30);
    std::int64_t delivered = 0;
    while (auto batch = reader.next()) {
      const auto* pixels = static_cast<const std::uint8_t*>(batch->pixels);
      for (std::int64_t i = 0; i < batch->size(); ++i) {
        const std::int64_t index = batch->indices[static_cast<std::size_t>(i)];
        const bool lost = index >= 10 && index < 20;
        EXPECT_EQ(batch->ids[static_cast<std::size_t>(i)], lost ? "" : expected_id(index));
        EXPECT_EQ(batch->labels[i * 2 + 1], lost ? 0 : expected_label(index, 1)) << "image " << index;
        for (std::int64_t p = 0; p < 35; ++p) {
          EXPECT_EQ(pixels[i * 35 + p], lost ? 0 : expected_pixel(index, p)) << "image " << index;
          EXPECT_EQ(batch->roi[i * 35 + p], lost ? 0 : expected_roi(index, p)) << "image " << index;
        }
      }
      // Batches 2, 3 and 4 (images 8–19) have rows of shard 1.
      const bool has_lost_rows = batch->batch_index >= 2 && batch->batch_index <= 4;
      ASSERT_EQ(batch->unreadable.size(), has_lost_rows ? 1u : 0u) << "batch " << batch->batch_index;
      if (has_lost_rows) {
        EXPECT_EQ(batch->unreadable[0].shard, 1);
        EXPECT_NE(batch->unreadable[0].message.find("shard-00001.h5"), std::string::npos);
      }
      delivered += batch->size();
    }
    EXPECT_EQ(delivered, 30);
  }
}

TEST(ShardReader, DoesNotRetryAShardThatFailed) {
  salient::testing::TempDir dir;
  write_small_pool(dir / "pool", small_spec(30, 10));
  const std::string shard = dir / "pool/shard-00001.h5";
  std::filesystem::copy_file(shard, dir / "intact.h5");
  damage_shard_1(dir, Damage::truncated);
  const Pool pool = Pool::open(dir / "pool");
  ReaderOptions options;
  options.batch_size = 5;
  options.prefetch = 0;  // one buffer: batch k+1 is read only once batch k is given back
  options.skip_unreadable_shards = true;
  ShardReader reader(pool, options);
  reader.next();
  reader.next();
  {
    const auto failed = reader.next();  // images 10–14
    ASSERT_EQ(failed->unreadable.size(), 1u);
    std::filesystem::copy_file(dir / "intact.h5", shard, std::filesystem::copy_options::overwrite_existing);
  }
  const auto after_repair = reader.next();  // images 15–19, read after the repair
  ASSERT_EQ(after_repair->unreadable.size(), 1u);
  EXPECT_EQ(after_repair->ids[0], "");
}

TEST(ShardReader, ChecksumsOfRanksSharingAShardCombineToTheManifests) {
  salient::testing::TempDir dir;
  write_small_pool(dir / "pool", small_spec(30, 10, true));
  const Pool pool = Pool::open(dir / "pool");
  std::vector<RowRangeChecksum> ranges;
  for (int rank = 0; rank < 3; ++rank) {
    ReaderOptions options;
    options.batch_size = 4;
    options.rank = rank;
    options.world = 3;
    options.with_roi = true;
    ShardReader reader(pool, options);
    while (reader.next()) {
    }
    for (const auto& range : reader.partial_checksums()) ranges.push_back(range);
  }
  // 8 batches of 4 over 3 ranks: rows 0–7, 8–19 and 20–29. Shards 1 and 2 are read whole (and
  // checked by their reader); shard 0 is split into rows 0–7 and 8–9.
  ASSERT_EQ(ranges.size(), 2u);
  EXPECT_EQ(std::make_tuple(ranges[0].shard, ranges[0].first_row, ranges[0].rows), std::make_tuple(0L, 0L, 8L));
  EXPECT_EQ(std::make_tuple(ranges[1].shard, ranges[1].first_row, ranges[1].rows), std::make_tuple(0L, 8L, 2L));
  std::vector<std::uint8_t> pixels, roi;
  for (std::int64_t index = 8; index < 10; ++index) {
    for (std::int64_t p = 0; p < 35; ++p) {
      pixels.push_back(expected_pixel(index, p));
      roi.push_back(expected_roi(index, p));
    }
  }
  EXPECT_EQ(ranges[1].images, crc32_update(0, pixels.data(), pixels.size()));
  EXPECT_EQ(ranges[1].roi, crc32_update(0, roi.data(), roi.size()));
  EXPECT_NO_THROW(check_shard_checksums(pool, {ranges[1], ranges[0]}, true));
  EXPECT_THROW(check_shard_checksums(pool, {ranges[1]}, true), salient::Error);  // rows 0–7 missing

  // The manifest records other CRCs for shard 0's images and shard 1's masks.
  PoolManifest manifest = pool.manifest();
  manifest.shards[0].crc32 ^= 1u;
  manifest.shards[1].roi_crc32 = *manifest.shards[1].roi_crc32 ^ 1u;
  write_manifest(dir / "pool", manifest);
  const Pool changed = Pool::open(dir / "pool");
  const auto error_of = [](const std::function<void()>& read) {
    try {
      read();
    } catch (const salient::Error& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error_of([&] { check_shard_checksums(changed, ranges, true); }).find("shard-00000.h5', dataset 'images'"),
            std::string::npos);
  for (const bool with_roi : {false, true}) {
    ReaderOptions options;
    options.batch_size = 4;
    options.with_roi = with_roi;
    ShardReader reader(changed, options);
    const std::string error = error_of([&] {
      while (reader.next()) {
      }
    });
    // Shard 0 fails first; read without masks, shard 1 passes, and with them it would fail.
    EXPECT_NE(error.find("shard-00000.h5', dataset 'images': CRC-32"), std::string::npos) << error;
  }
  ReaderOptions masks;
  masks.batch_size = 4;
  masks.with_roi = true;
  masks.skip_unreadable_shards = true;
  ShardReader reader(changed, masks);
  std::map<std::int64_t, std::string> unreadable;
  while (auto batch = reader.next()) {
    for (const auto& bad : batch->unreadable) unreadable.emplace(bad.shard, bad.message);
  }
  ASSERT_EQ(unreadable.size(), 2u);
  EXPECT_NE(unreadable[0].find("dataset 'images': CRC-32"), std::string::npos) << unreadable[0];
  EXPECT_NE(unreadable[1].find("shard-00001.h5', dataset 'roi': CRC-32"), std::string::npos) << unreadable[1];
}

}  // namespace
}  // namespace salient::io
