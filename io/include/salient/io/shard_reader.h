// Streams one rank's share of a pool (see batch_partition.h) as batches, read ahead by a
// background thread into a fixed set of host buffers (pinned when CUDA is usable), so
// memory stays constant whatever the pool size. Batches wholly inside shards listed as
// done are skipped, which makes a job restartable at any shard boundary. The images (and
// masks) of every shard read are checked against the manifest's CRCs as they are copied
// (shard_checksum.h): a shard read whole when its last rows arrive, a shard read in part by
// the caller, from partial_checksums().
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "salient/io/batch_partition.h"
#include "salient/io/host_buffer.h"
#include "salient/io/pool.h"
#include "salient/io/shard_checksum.h"

namespace salient::io {

struct ReaderOptions {
  std::int64_t batch_size = 64;
  int rank = 0;
  int world = 1;
  /// Batches read ahead of the one being used; buffers = prefetch + 1.
  int prefetch = 2;
  bool pinned = true;      ///< page-locked buffers when a CUDA device is usable
  bool with_roi = false;   ///< also read ROI masks (the pool must have them)
  /// Shards whose results already exist. A batch whose rows all lie in these shards is not
  /// read; any other batch is read whole, rows of these shards included, so that a batch
  /// always holds the same images (bit-identical results after a resume): the caller drops
  /// the results of those rows.
  std::vector<std::int64_t> skip_shards;
  /// false: a shard that cannot be opened or read, or whose checksum differs from the
  /// manifest's, makes next() throw (naming its file and dataset).
  /// true: its rows are delivered with zeroed pixels, labels and ROI and empty ids, and
  /// listed in ImageBatch::unreadable; the shard is not tried again by this reader. A
  /// checksum is known only once the shard's last row is read: the caller drops the rows of
  /// the shard it was given before.
  bool skip_unreadable_shards = false;
};

/// A shard that could not be read, and why.
struct UnreadableShard {
  std::int64_t shard = 0;
  std::string message;
};

/// One batch of images, with the global indices and ids of its rows.
struct ImageBatch {
  std::int64_t batch_index = 0;       ///< k: the batch of the global index grid
  std::vector<std::int64_t> indices;  ///< global index of each row
  std::vector<std::string> ids;
  const void* pixels = nullptr;       ///< size() × H × W, the pool's pixel type
  const std::int8_t* labels = nullptr;///< size() × C
  const std::uint8_t* roi = nullptr;  ///< size() × H × W, when asked for
  /// Shards with rows in this batch that could not be read (skip_unreadable_shards): their
  /// rows hold zeros and empty ids.
  std::vector<UnreadableShard> unreadable;
  std::int64_t size() const { return static_cast<std::int64_t>(indices.size()); }
};

class ShardReader {
  struct Slot;

 public:
  /// A batch on loan from the reader: its buffers return to the reader when it is
  /// destroyed. An empty lease (false) marks the end of the share.
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();
    const ImageBatch& operator*() const;
    const ImageBatch* operator->() const { return &**this; }
    explicit operator bool() const { return slot_ != nullptr; }

   private:
    friend class ShardReader;
    Lease(ShardReader* reader, Slot* slot) : reader_(reader), slot_(slot) {}
    ShardReader* reader_ = nullptr;
    Slot* slot_ = nullptr;
  };

  ShardReader(const Pool& pool, ReaderOptions options);
  ~ShardReader();
  ShardReader(const ShardReader&) = delete;
  ShardReader& operator=(const ShardReader&) = delete;

  const RankShare& share() const { return share_; }
  /// Images this reader will deliver: the share minus the batches wholly in skipped shards.
  std::int64_t images_to_read() const { return images_to_read_; }
  /// The next batch in index order, or an empty lease at the end. Rethrows a read error.
  Lease next();
  /// After the end: the CRCs of the shards this reader read only in part (every shard it
  /// read whole was checked), for io::check_shard_checksums once every reader is done.
  /// Shards in skip_shards and unreadable shards are left out.
  std::vector<RowRangeChecksum> partial_checksums();

 private:
  struct Segment {
    std::int64_t shard, row, count, offset;
  };
  struct Plan {
    std::int64_t batch_index;
    std::vector<Segment> segments;
    std::int64_t size;
  };
  struct Slot {
    HostBuffer pixels, labels, roi;
    ImageBatch batch;
  };

  void plan_batches();
  void prefetch_loop();
  void fill(Slot& slot, const Plan& plan);
  bool read_segment(Slot& slot, const Segment& segment);
  void copy_segment(Slot& slot, const Segment& segment);
  void checksum_segment(const Segment& segment, const void* pixels, const std::uint8_t* roi);
  void zero_segment(Slot& slot, const Segment& segment);
  void give_back(Slot* slot);

  const Pool& pool_;
  ReaderOptions options_;
  RankShare share_;
  std::vector<Plan> plans_;
  std::int64_t images_to_read_ = 0;

  // Shard currently open in the prefetch thread.
  std::optional<ShardFile> open_shard_;
  std::int64_t open_shard_index_ = -1;
  // Shards that failed to read (skip_unreadable_shards), with the error.
  std::map<std::int64_t, std::string> unreadable_;
  // CRCs of the rows read so far of each shard not yet read whole; shards in skip_shards.
  std::map<std::int64_t, RowRangeChecksum> checksums_;
  std::vector<bool> skipped_;

  std::vector<Slot> slots_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Slot*> free_;
  std::deque<Slot*> ready_;
  bool finished_ = false;
  bool stopping_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace salient::io
