#include "salient/io/shard_reader.h"

#include <algorithm>
#include <cstring>

#include "salient/check.h"
#include "salient/io/checksum.h"

namespace salient::io {

ShardReader::Lease::Lease(Lease&& other) noexcept
    : reader_(std::exchange(other.reader_, nullptr)), slot_(std::exchange(other.slot_, nullptr)) {}

ShardReader::Lease::~Lease() {
  if (reader_) reader_->give_back(slot_);
}

const ImageBatch& ShardReader::Lease::operator*() const { return slot_->batch; }

ShardReader::ShardReader(const Pool& pool, ReaderOptions options)
    : pool_(pool), options_(std::move(options)),
      share_(rank_share(pool.size(), options_.batch_size, options_.rank, options_.world)) {
  SALIENT_CHECK(options_.prefetch >= 0, "prefetch depth must not be negative");
  SALIENT_CHECK(!options_.with_roi || pool.open_shard(0).has_roi(), "pool '{}' has no ROI masks to read", pool.dir());
  for (const auto shard : options_.skip_shards) {
    SALIENT_CHECK(shard >= 0 && shard < pool.shard_count(), "shard {} to skip is outside the pool '{}' (0..{})", shard,
                  pool.dir(), pool.shard_count() - 1);
  }
  plan_batches();

  const auto b = static_cast<std::size_t>(options_.batch_size);
  const auto image = static_cast<std::size_t>(pool.image_bytes());
  const auto pixels_per_image = static_cast<std::size_t>(pool.manifest().height * pool.manifest().width);
  slots_.resize(static_cast<std::size_t>(options_.prefetch) + 1);
  for (auto& slot : slots_) {
    slot.pixels = HostBuffer(b * image, options_.pinned);
    slot.labels = HostBuffer(b * pool.manifest().label_names.size(), false);
    if (options_.with_roi) slot.roi = HostBuffer(b * pixels_per_image, options_.pinned);
    free_.push_back(&slot);
  }
  thread_ = std::thread([this] { prefetch_loop(); });
}

ShardReader::~ShardReader() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void ShardReader::plan_batches() {
  const std::int64_t b = options_.batch_size;
  const std::int64_t shard_size = pool_.manifest().shard_size;
  skipped_.assign(static_cast<std::size_t>(pool_.shard_count()), false);
  for (const auto shard : options_.skip_shards) skipped_[static_cast<std::size_t>(shard)] = true;

  for (std::int64_t k = share_.first_batch; k < share_.end_batch; ++k) {
    Plan plan{k, {}, 0};
    bool all_skipped = true;
    const std::int64_t end = std::min(pool_.size(), (k + 1) * b);
    for (std::int64_t index = k * b; index < end;) {
      const ImageLocation at = pool_.locate(index);
      const std::int64_t run = std::min(end - index, shard_size - at.row);
      plan.segments.push_back({at.shard, at.row, run, plan.size});
      plan.size += run;
      all_skipped = all_skipped && skipped_[static_cast<std::size_t>(at.shard)];
      index += run;
    }
    // A batch is read whole or not at all, so that it holds the same images on every run.
    if (!all_skipped) {
      images_to_read_ += plan.size;
      plans_.push_back(std::move(plan));
    }
  }
}

void ShardReader::fill(Slot& slot, const Plan& plan) {
  ImageBatch& batch = slot.batch;
  batch.batch_index = plan.batch_index;
  batch.indices.clear();
  batch.ids.clear();
  batch.unreadable.clear();
  for (const Segment& segment : plan.segments) {
    const bool readable = read_segment(slot, segment);
    if (!readable) batch.unreadable.push_back({segment.shard, unreadable_.at(segment.shard)});
    const std::int64_t first_index = pool_.first_index(segment.shard) + segment.row;
    for (std::int64_t i = 0; i < segment.count; ++i) {
      batch.indices.push_back(first_index + i);
      batch.ids.push_back(readable ? open_shard_->ids()[static_cast<std::size_t>(segment.row + i)] : std::string());
    }
  }
  batch.pixels = slot.pixels.data();
  batch.labels = static_cast<const std::int8_t*>(slot.labels.data());
  batch.roi = options_.with_roi ? static_cast<const std::uint8_t*>(slot.roi.data()) : nullptr;
}

// Copies the segment's rows into the slot and returns true, or, when its shard cannot be
// read and skip_unreadable_shards is set, remembers the shard, zeroes the rows and
// returns false (a shard that failed is not opened again: it would fail again, slowly).
bool ShardReader::read_segment(Slot& slot, const Segment& segment) {
  if (unreadable_.count(segment.shard) == 0) {
    try {
      copy_segment(slot, segment);
      return true;
    } catch (const salient::Error& error) {
      if (!options_.skip_unreadable_shards) throw;
      unreadable_.emplace(segment.shard, error.what());
      checksums_.erase(segment.shard);
      open_shard_.reset();
      open_shard_index_ = -1;
    }
  }
  zero_segment(slot, segment);
  return false;
}

void ShardReader::copy_segment(Slot& slot, const Segment& segment) {
  if (segment.shard != open_shard_index_) {
    open_shard_.reset();
    open_shard_index_ = -1;
    open_shard_ = pool_.open_shard(segment.shard);
    open_shard_index_ = segment.shard;
  }
  const std::int64_t first = segment.offset, image = pool_.image_bytes();
  const std::int64_t pixels = pool_.manifest().height * pool_.manifest().width;
  const auto labels = static_cast<std::int64_t>(pool_.manifest().label_names.size());
  auto* segment_pixels = static_cast<std::uint8_t*>(slot.pixels.data()) + first * image;
  open_shard_->read_images(segment.row, segment.count, segment_pixels);
  open_shard_->read_labels(segment.row, segment.count, static_cast<std::int8_t*>(slot.labels.data()) + first * labels);
  std::uint8_t* segment_roi = nullptr;
  if (options_.with_roi) {
    segment_roi = static_cast<std::uint8_t*>(slot.roi.data()) + first * pixels;
    open_shard_->read_roi(segment.row, segment.count, segment_roi);
  }
  checksum_segment(segment, segment_pixels, segment_roi);
}

// Extends the CRCs of the segment's shard with its rows; once the shard is read whole, checks
// them against the manifest. A shard's rows arrive in order, so the rows read form one run.
void ShardReader::checksum_segment(const Segment& segment, const void* pixels, const std::uint8_t* roi) {
  if (skipped_[static_cast<std::size_t>(segment.shard)]) return;
  RowRangeChecksum& range =
      checksums_.try_emplace(segment.shard, RowRangeChecksum{segment.shard, segment.row, 0, 0, 0}).first->second;
  SALIENT_ASSERT(range.first_row + range.rows == segment.row);
  range.images = crc32_update(range.images, pixels, static_cast<std::size_t>(segment.count * pool_.image_bytes()));
  if (roi != nullptr) {
    const std::int64_t mask_bytes = pool_.manifest().height * pool_.manifest().width;
    range.roi = crc32_update(range.roi, roi, static_cast<std::size_t>(segment.count * mask_bytes));
  }
  range.rows += segment.count;
  if (range.first_row == 0 && range.rows == open_shard_->count()) {
    const RowRangeChecksum whole = range;
    checksums_.erase(segment.shard);
    check_shard_checksums(pool_, {whole}, options_.with_roi);
  }
}

std::vector<RowRangeChecksum> ShardReader::partial_checksums() {
  std::lock_guard lock(mutex_);
  SALIENT_CHECK(finished_ && ready_.empty(), "partial checksums are known once the reader has delivered its share");
  std::vector<RowRangeChecksum> ranges;
  for (const auto& [shard, range] : checksums_) ranges.push_back(range);
  return ranges;
}

void ShardReader::zero_segment(Slot& slot, const Segment& segment) {
  const auto zero = [&](HostBuffer& buffer, std::int64_t row_bytes) {
    std::memset(static_cast<std::uint8_t*>(buffer.data()) + segment.offset * row_bytes, 0,
                static_cast<std::size_t>(segment.count * row_bytes));
  };
  zero(slot.pixels, pool_.image_bytes());
  zero(slot.labels, static_cast<std::int64_t>(pool_.manifest().label_names.size()));
  if (options_.with_roi) zero(slot.roi, pool_.manifest().height * pool_.manifest().width);
}

void ShardReader::prefetch_loop() {
  try {
    for (const Plan& plan : plans_) {
      Slot* slot = nullptr;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return stopping_ || !free_.empty(); });
        if (stopping_) return;
        slot = free_.back();
        free_.pop_back();
      }
      fill(*slot, plan);
      {
        std::lock_guard lock(mutex_);
        ready_.push_back(slot);
      }
      changed_.notify_all();
    }
  } catch (...) {
    std::lock_guard lock(mutex_);
    error_ = std::current_exception();
  }
  {
    std::lock_guard lock(mutex_);
    finished_ = true;
  }
  changed_.notify_all();
}

ShardReader::Lease ShardReader::next() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !ready_.empty() || finished_; });
  if (!ready_.empty()) {
    Slot* slot = ready_.front();
    ready_.pop_front();
    return Lease(this, slot);
  }
  if (error_) std::rethrow_exception(error_);
  return {};
}

void ShardReader::give_back(Slot* slot) {
  {
    std::lock_guard lock(mutex_);
    free_.push_back(slot);
  }
  changed_.notify_all();
}

}  // namespace salient::io
