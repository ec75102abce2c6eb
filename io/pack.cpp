#include "salient/io/pack.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "salient/check.h"
#include "salient/io/atomic_file.h"
#include "salient/io/csv.h"
#include "salient/io/image_file.h"
#include "salient/io/pool_writer.h"
#include "salient/io/staging_directory.h"

namespace salient::io {
namespace {

namespace fs = std::filesystem;

// Decoded images as fixed-size records, one slot per source item, written and read at
// offsets so that threads need no ordering. Deleted when closed.
class StagingFile {
 public:
  StagingFile(fs::path path, std::size_t record_bytes) : path_(std::move(path)), record_bytes_(record_bytes) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
    SALIENT_CHECK(fd_ >= 0, "cannot create staging file '{}': {}", path_.string(), std::strerror(errno));
  }
  StagingFile(const StagingFile&) = delete;
  StagingFile& operator=(const StagingFile&) = delete;
  ~StagingFile() {
    ::close(fd_);
    ::unlink(path_.c_str());
  }

  void write(std::size_t slot, const std::vector<std::uint8_t>& record) {
    SALIENT_ASSERT(record.size() == record_bytes_);
    std::size_t written = 0;
    while (written < record_bytes_) {
      const ssize_t n =
          ::pwrite(fd_, record.data() + written, record_bytes_ - written, offset(slot) + static_cast<off_t>(written));
      if (n < 0 && errno == EINTR) continue;
      SALIENT_CHECK(n > 0, "cannot write staging file '{}': {}", path_.string(), std::strerror(errno));
      written += static_cast<std::size_t>(n);
    }
  }

  void read(std::size_t slot, std::vector<std::uint8_t>& record) const {
    record.resize(record_bytes_);
    std::size_t done = 0;
    while (done < record_bytes_) {
      const ssize_t n =
          ::pread(fd_, record.data() + done, record_bytes_ - done, offset(slot) + static_cast<off_t>(done));
      if (n < 0 && errno == EINTR) continue;
      SALIENT_CHECK(n > 0, "cannot read staging file '{}': {}", path_.string(),
                    n == 0 ? "unexpected end" : std::strerror(errno));
      done += static_cast<std::size_t>(n);
    }
  }

 private:
  off_t offset(std::size_t slot) const { return static_cast<off_t>(slot * record_bytes_); }
  fs::path path_;
  std::size_t record_bytes_;
  int fd_ = -1;
};

// What the write stage needs to know of a decoded item, besides its pixels.
struct DecodeResult {
  bool decoded = false;
  std::string problem;                  ///< why it was not
  std::string patient_id;               ///< the metadata's, else the file's
  double scale_x = 1.0, scale_y = 1.0;  ///< stored size / size in the file
};

class Decoder {
 public:
  Decoder(const PackSource& source, const PackOptions& options, StagingFile& staging)
      : source_(source), options_(options), staging_(staging), results_(source.items.size()) {}

  // Decodes every item on the options' threads, reporting progress from this thread.
  std::vector<DecodeResult> run() {
    const auto total = static_cast<std::int64_t>(results_.size());
    const std::int64_t wanted = options_.threads > 0
                                    ? options_.threads
                                    : static_cast<std::int64_t>(std::max(1u, std::thread::hardware_concurrency()));
    const auto threads = static_cast<int>(std::min(wanted, total));
    running_ = threads;
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) workers.emplace_back([this] { work(); });
    {
      std::unique_lock<std::mutex> lock(mutex_);
      while (running_ > 0) {
        changed_.wait_for(lock, std::chrono::milliseconds(200));
        if (options_.progress) options_.progress(PackStage::decode, done_, total);
      }
    }
    for (auto& worker : workers) worker.join();
    if (fatal_) std::rethrow_exception(fatal_);
    return std::move(results_);
  }

 private:
  void work() {
    std::vector<std::uint8_t> pixels;
    while (!stop_) {
      const std::size_t index = next_++;
      if (index >= results_.size()) break;
      decode(source_.items[index], results_[index], pixels);
      if (results_[index].decoded) {
        try {
          staging_.write(index, pixels);
        } catch (...) {
          std::lock_guard<std::mutex> lock(mutex_);
          fatal_ = std::current_exception();
          stop_ = true;
        }
      } else if (options_.on_bad_image == BadImagePolicy::fail) {
        stop_ = true;
      }
      ++done_;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --running_;
    }
    changed_.notify_one();
  }

  void decode(const PackItem& item, DecodeResult& result, std::vector<std::uint8_t>& pixels) const {
    if (!item.problem.empty()) {
      result.problem = item.problem;
      return;
    }
    try {
      const DecodedImage image = read_gray_image(item.path, options_.pixel_type == PixelType::uint16 ? 16 : 8);
      pixels = resize_gray_image(image.image, options_.size, options_.pixel_type, options_.filter);
      result.patient_id = item.patient_id.empty() ? image.patient_id : item.patient_id;
      result.scale_x = static_cast<double>(options_.size) / static_cast<double>(image.image.width);
      result.scale_y = static_cast<double>(options_.size) / static_cast<double>(image.image.height);
      result.decoded = true;
    } catch (const std::exception& error) {
      result.problem = error.what();
    }
  }

  const PackSource& source_;
  const PackOptions& options_;
  StagingFile& staging_;
  std::vector<DecodeResult> results_;
  std::atomic<std::size_t> next_{0};
  std::atomic<std::int64_t> done_{0};
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable changed_;
  int running_ = 0;
  std::exception_ptr fatal_;
};

std::vector<Box> scaled_boxes(const std::vector<Box>& boxes, const DecodeResult& result) {
  std::vector<Box> scaled = boxes;
  for (Box& box : scaled) {
    box.x = static_cast<float>(box.x * result.scale_x);
    box.w = static_cast<float>(box.w * result.scale_x);
    box.y = static_cast<float>(box.y * result.scale_y);
    box.h = static_cast<float>(box.h * result.scale_y);
  }
  return scaled;
}

}  // namespace

PackReport pack_pool(const PackSource& source, const std::string& pool_dir, const PackOptions& options) {
  SALIENT_CHECK(source.missing.empty() || !source.items.empty(), "none of the {} images {} lists was found",
                source.missing.size(), source.description);
  SALIENT_CHECK(!source.items.empty(), "{} lists no images{}", source.description,
                source.excluded > 0 ? fmt::format(" ({} left out: {})", source.excluded, source.excluded_because) : "");
  SALIENT_CHECK(options.size > 0, "the image size must be positive, not {}", options.size);
  SALIENT_CHECK(options.pixel_type == PixelType::uint8 || options.pixel_type == PixelType::uint16,
                "images are packed as uint8 or uint16, not {}", pixel_type_name(options.pixel_type));
  for (const PackItem& item : source.items) SALIENT_ASSERT(item.labels.size() == source.label_names.size());

  StagingDirectory staging_dir(prepare_pool_destination(pool_dir), "pack");
  PackReport report;
  report.removed_leftovers = staging_dir.removed_leftovers();
  std::vector<std::size_t> kept;
  {
    StagingFile staging(staging_dir.path() / "decoded.raw",
                        static_cast<std::size_t>(options.size * options.size) * pixel_bytes(options.pixel_type));
    const std::vector<DecodeResult> results = Decoder(source, options, staging).run();
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (results[i].decoded) {
        kept.push_back(i);
      } else if (!results[i].problem.empty()) {
        SALIENT_CHECK(options.on_bad_image == BadImagePolicy::skip,
                      "bad image '{}': {} (nothing was written; --on-bad-image=skip packs the others)",
                      source.items[i].path, results[i].problem);
        report.skipped.push_back({source.items[i].path, results[i].problem});
      }
    }
    SALIENT_CHECK(!kept.empty(), "none of the {} images of {} could be read", source.items.size(), source.description);

    PoolSpec spec;
    spec.total = static_cast<std::int64_t>(kept.size());
    spec.height = spec.width = options.size;
    spec.pixel_type = options.pixel_type;
    spec.label_names = source.label_names;
    spec.shard_size = options.shard_size;
    spec.with_patient_ids =
        std::all_of(kept.begin(), kept.end(), [&](std::size_t i) { return !results[i].patient_id.empty(); });
    spec.with_views =
        std::all_of(kept.begin(), kept.end(), [&](std::size_t i) { return !source.items[i].view.empty(); });
    spec.image_deflate_level = options.deflate_level;
    spec.source = fmt::format(
        "salient pack {} --size {} --dtype {} --filter {}: {} image(s), {} bad one(s) left out, {} missing", source.description,
        options.size, pixel_type_name(options.pixel_type), resize_filter_name(options.filter), kept.size(),
        report.skipped.size(), source.missing.size());
    PoolWriter writer(staging_dir.path().string(), spec);
    std::vector<std::uint8_t> pixels;
    for (std::size_t n = 0; n < kept.size(); ++n) {
      const std::size_t i = kept[n];
      const PackItem& item = source.items[i];
      staging.read(i, pixels);
      ImageRecord record;
      record.id = item.id;
      record.patient_id = results[i].patient_id;
      record.view = item.view;
      record.pixels = pixels.data();
      record.labels = item.labels;
      record.boxes = scaled_boxes(item.boxes, results[i]);
      writer.add(record);
      if (options.progress) options.progress(PackStage::write, static_cast<std::int64_t>(n + 1), spec.total);
    }
    report.manifest = writer.finish();
  }
  if (!source.missing.empty()) {
    std::string listing = "id,line\n";
    for (const MissingImage& row : source.missing) listing += fmt::format("{},{}\n", csv_field(row.id), row.line);
    write_file_atomically((staging_dir.path() / kMissingImagesFile).string(), listing);
  }
  staging_dir.commit();
  return report;
}

}  // namespace salient::io
