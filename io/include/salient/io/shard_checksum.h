// The manifest's per-shard CRC-32s (docs/pool-format.md) checked against the bytes a reader
// already holds, never by a second read: labels and ids when a shard is opened (they are
// read whole then, pool.h), images and ROI masks as the shard reader streams them. A reader
// that reads a shard whole checks it as its last rows arrive; a shard split between ranks is
// checked by rank 0 from each rank's CRC of its rows, concatenated in row order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "salient/io/pool.h"

namespace salient::io {

/// CRC-32s of a run of consecutive rows of one shard, as one reader read them.
struct RowRangeChecksum {
  std::int64_t shard = 0;
  std::int64_t first_row = 0;
  std::int64_t rows = 0;
  std::uint32_t images = 0;
  std::uint32_t roi = 0;  ///< when the reader reads ROI masks
};

/// Throws salient::Error when @p computed differs from @p recorded (when there is one),
/// naming @p where ("'FILE', dataset 'NAME'") and both CRCs.
void expect_checksum(const std::string& where, std::uint32_t computed, const std::optional<std::uint32_t>& recorded);

/// Checks the images of one shard (and its ROI masks, @p with_roi) against the manifest from
/// the CRCs of row runs that together cover it once, in any order. Throws salient::Error
/// naming the file and dataset on a mismatch, and on runs that leave a gap or overlap.
void check_shard_checksums(const Pool& pool, std::vector<RowRangeChecksum> ranges, bool with_roi);

}  // namespace salient::io
