#include "salient/io/shard_checksum.h"

#include <algorithm>

#include <fmt/format.h>

#include "salient/check.h"
#include "salient/io/checksum.h"
#include "salient/io/shard_schema.h"

namespace salient::io {

void expect_checksum(const std::string& where, std::uint32_t computed, const std::optional<std::uint32_t>& recorded) {
  SALIENT_CHECK(!recorded || computed == *recorded,
                "{}: CRC-32 {:08x} differs from the manifest's {:08x}: the shard changed after the pool was written "
                "(`salient inspect --verify POOL` checks every shard)",
                where, computed, *recorded);
}

void check_shard_checksums(const Pool& pool, std::vector<RowRangeChecksum> ranges, bool with_roi) {
  SALIENT_CHECK(!ranges.empty(), "no rows to check");
  const std::int64_t shard = ranges.front().shard;
  const ShardEntry& entry = pool.manifest().shards.at(static_cast<std::size_t>(shard));
  std::sort(ranges.begin(), ranges.end(), [](const auto& a, const auto& b) { return a.first_row < b.first_row; });
  const std::int64_t image_bytes = pool.image_bytes();
  const std::int64_t mask_bytes = pool.manifest().height * pool.manifest().width;
  std::uint32_t images = 0, roi = 0;
  std::int64_t next_row = 0;
  for (const auto& range : ranges) {
    SALIENT_CHECK(range.shard == shard && range.first_row == next_row,
                  "the checksums of shard {} cover rows from {} where row {} was expected", shard, range.first_row,
                  next_row);
    images = crc32_concat(images, range.images, range.rows * image_bytes);
    roi = crc32_concat(roi, range.roi, range.rows * mask_bytes);
    next_row += range.rows;
  }
  SALIENT_CHECK(next_row == entry.count, "the checksums of shard {} cover {} of its {} rows", shard, next_row,
                entry.count);
  const std::string path = pool.shard_path(shard);
  expect_checksum(fmt::format("'{}', dataset '{}'", path, shard_schema::kImages), images, entry.crc32);
  if (with_roi) expect_checksum(fmt::format("'{}', dataset '{}'", path, shard_schema::kRoi), roi, entry.roi_crc32);
}

}  // namespace salient::io
