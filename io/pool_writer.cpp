#include "salient/io/pool_writer.h"

#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "salient/check.h"
#include "salient/io/atomic_file.h"
#include "salient/io/checksum.h"
#include "salient/io/shard_schema.h"

namespace salient::io {
namespace schema = shard_schema;

namespace {

void write_pixel_rows(h5::Dataset& images, PixelType type, std::uint64_t row, const void* pixels) {
  switch (type) {
    case PixelType::uint8: images.write_rows(row, 1, static_cast<const std::uint8_t*>(pixels)); break;
    case PixelType::uint16: images.write_rows(row, 1, static_cast<const std::uint16_t*>(pixels)); break;
    case PixelType::float32: images.write_rows(row, 1, static_cast<const float*>(pixels)); break;
  }
}

}  // namespace

// A shard being filled: its file under a temporary name, and what is written at the end.
class PoolWriter::OpenShard {
 public:
  OpenShard(const std::string& path, const PoolSpec& spec, std::int64_t image_count, std::int64_t first_index)
      : output(path), file(h5::File::create(output.temporary_path())), count(image_count) {
    const auto n = static_cast<std::uint64_t>(count);
    const auto h = static_cast<std::uint64_t>(spec.height), w = static_cast<std::uint64_t>(spec.width);
    const h5::Layout per_image{{1, h, w}, spec.image_deflate_level};
    switch (spec.pixel_type) {
      case PixelType::uint8: images = file.create_dataset<std::uint8_t>(schema::kImages, {n, h, w}, per_image); break;
      case PixelType::uint16: images = file.create_dataset<std::uint16_t>(schema::kImages, {n, h, w}, per_image); break;
      case PixelType::float32: images = file.create_dataset<float>(schema::kImages, {n, h, w}, per_image); break;
    }
    labels.resize(count * static_cast<std::int64_t>(spec.label_names.size()));
    if (spec.with_roi) {
      // Masks are mostly zeros: deflate shrinks them ~50× at little cost.
      roi = file.create_dataset<std::uint8_t>(schema::kRoi, {n, h, w}, {{1, h, w}, 4});
    }
    file.set_attribute(schema::kFormatAttribute, std::string(schema::kFormatName));
    file.set_attribute(schema::kFirstIndexAttribute, first_index);
  }

  AtomicOutput output;
  h5::File file;
  std::optional<h5::Dataset> images;
  std::optional<h5::Dataset> roi;
  std::vector<std::int8_t> labels;
  std::vector<std::string> ids, patient_ids, views;
  std::vector<Box> boxes;
  std::int64_t count;
  std::int64_t rows = 0;
  std::uint32_t images_crc = 0;
  std::uint32_t roi_crc = 0;
};

PoolWriter::PoolWriter(std::string pool_dir, PoolSpec spec) : dir_(std::move(pool_dir)), spec_(std::move(spec)) {
  SALIENT_CHECK(spec_.total > 0, "a pool needs at least one image");
  SALIENT_CHECK(spec_.height > 0 && spec_.width > 0, "image shape {}x{} must be positive", spec_.height, spec_.width);
  SALIENT_CHECK(spec_.shard_size > 0, "shard size must be positive");
  std::filesystem::create_directories(dir_);
  manifest_.height = spec_.height;
  manifest_.width = spec_.width;
  manifest_.pixel_type = spec_.pixel_type;
  manifest_.label_names = spec_.label_names;
  manifest_.shard_size = spec_.shard_size;
  manifest_.source = spec_.source;
  manifest_.pool_id = new_pool_id();
}

PoolWriter::~PoolWriter() = default;

void PoolWriter::start_shard() {
  const auto index = static_cast<std::int64_t>(manifest_.shards.size());
  const std::string name = fmt::format("shard-{:05d}.h5", index);
  const std::int64_t count = std::min(spec_.shard_size, spec_.total - added_);
  shard_ = std::make_unique<OpenShard>((std::filesystem::path(dir_) / name).string(), spec_, count, added_);
  manifest_.shards.push_back({name, count, 0, {}, {}, {}});
}

void PoolWriter::close_shard() {
  OpenShard& shard = *shard_;
  const auto n = static_cast<std::uint64_t>(shard.count);
  shard.file.write(schema::kLabels, {n, spec_.label_names.size()}, shard.labels.data());
  shard.file.write_strings(schema::kIds, shard.ids);
  if (spec_.with_patient_ids) shard.file.write_strings(schema::kPatientIds, shard.patient_ids);
  if (spec_.with_views) shard.file.write_strings(schema::kViews, shard.views);
  if (!shard.boxes.empty()) {
    std::vector<std::int64_t> rows;
    std::vector<std::int32_t> labels;
    std::vector<float> xywh;
    for (const auto& box : shard.boxes) {
      rows.push_back(box.row);
      labels.push_back(box.label);
      xywh.insert(xywh.end(), {box.x, box.y, box.w, box.h});
    }
    shard.file.write(schema::kBoxRow, {rows.size()}, rows.data());
    shard.file.write(schema::kBoxLabel, {labels.size()}, labels.data());
    shard.file.write(schema::kBoxXywh, {rows.size(), 4}, xywh.data());
  }
  shard.file.flush();
  ShardEntry& entry = manifest_.shards.back();
  entry.crc32 = shard.images_crc;
  entry.labels_crc32 = crc32_update(0, shard.labels.data(), shard.labels.size());
  entry.ids_crc32 = crc32_of_strings(shard.ids);
  if (spec_.with_roi) entry.roi_crc32 = shard.roi_crc;
  {
    // Close the HDF5 file before the rename makes it visible.
    const h5::File closing = std::move(shard.file);
  }
  shard.output.commit();
  shard_.reset();
}

void PoolWriter::add(const ImageRecord& record) {
  const std::int64_t index = added_;
  SALIENT_CHECK(index < spec_.total, "pool '{}' was declared with {} images; image '{}' is one too many", dir_,
                spec_.total, record.id);
  SALIENT_CHECK(!record.id.empty(), "image {} has an empty id", index);
  SALIENT_CHECK(record.labels.size() == spec_.label_names.size(), "image {} ('{}') has {} labels, the pool has {}",
                index, record.id, record.labels.size(), spec_.label_names.size());
  for (std::size_t c = 0; c < record.labels.size(); ++c) {
    SALIENT_CHECK(record.labels[c] >= -1 && record.labels[c] <= 1,
                  "image {} ('{}'), label '{}': {} is not 1, 0 or -1 (unknown)", index, record.id, spec_.label_names[c],
                  record.labels[c]);
  }
  SALIENT_CHECK(!spec_.with_roi || record.roi, "image {} ('{}') has no ROI mask, the pool stores one per image", index,
                record.id);
  const auto pixels = spec_.height * spec_.width;
  if (spec_.pixel_type == PixelType::float32) {
    const auto* values = static_cast<const float*>(record.pixels);
    for (std::int64_t p = 0; p < pixels; ++p) {
      SALIENT_CHECK(std::isfinite(values[p]), "image {} ('{}'), pixel ({}, {}): {} is not a finite number", index,
                    record.id, p / spec_.width, p % spec_.width, values[p]);
    }
  }
  SALIENT_CHECK(ids_.insert(record.id).second, "image {}: id '{}' is already in the pool (ids must be unique)", index,
                record.id);
  if (!shard_) start_shard();
  OpenShard& shard = *shard_;
  const auto row = static_cast<std::uint64_t>(shard.rows);
  write_pixel_rows(*shard.images, spec_.pixel_type, row, record.pixels);
  shard.images_crc =
      crc32_update(shard.images_crc, record.pixels, static_cast<std::size_t>(pixels) * pixel_bytes(spec_.pixel_type));
  if (shard.roi) {
    shard.roi->write_rows(row, 1, record.roi);
    shard.roi_crc = crc32_update(shard.roi_crc, record.roi, static_cast<std::size_t>(pixels));
  }
  std::copy(record.labels.begin(), record.labels.end(),
            shard.labels.begin() + shard.rows * static_cast<std::int64_t>(spec_.label_names.size()));
  shard.ids.push_back(record.id);
  if (spec_.with_patient_ids) shard.patient_ids.push_back(record.patient_id);
  if (spec_.with_views) shard.views.push_back(record.view);
  for (Box box : record.boxes) {
    box.row = shard.rows;
    shard.boxes.push_back(box);
  }
  ++shard.rows;
  ++added_;
  if (shard.rows == shard.count) close_shard();
}

PoolManifest PoolWriter::finish() {
  SALIENT_CHECK(added_ == spec_.total, "pool '{}' was declared with {} images but {} were added", dir_, spec_.total,
                added_);
  write_manifest(dir_, manifest_);
  return manifest_;
}

}  // namespace salient::io
