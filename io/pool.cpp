#include "salient/io/pool.h"

#include <filesystem>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "salient/check.h"
#include "salient/io/checksum.h"
#include "salient/io/shard_checksum.h"
#include "salient/io/shard_schema.h"

namespace salient::io {
namespace schema = shard_schema;

// ---- ShardFile -------------------------------------------------------------------------

namespace {
std::string shape_text(const std::vector<std::uint64_t>& shape) { return fmt::format("[{}]", fmt::join(shape, ", ")); }

void expect_shape(const h5::Dataset& dataset, const std::vector<std::uint64_t>& expected) {
  SALIENT_CHECK(dataset.shape() == expected, "{} has shape {}, the manifest says {}", dataset.where(),
                shape_text(dataset.shape()), shape_text(expected));
}

// Every label is 1, 0 or −1 (unknown): anything else would be copied into a study's labels.
// Then the manifest's CRC, over the bytes just read.
void expect_valid_labels(const h5::Dataset& labels, const std::vector<std::string>& names, std::uint64_t rows,
                         const std::optional<std::uint32_t>& crc) {
  std::vector<std::int8_t> values(rows * names.size());
  labels.read_rows(0, rows, values.data());
  for (std::size_t k = 0; k < values.size(); ++k) {
    SALIENT_CHECK(values[k] >= -1 && values[k] <= 1, "{} index {}, column {} ('{}'): label {} is not 1, 0 or -1",
                  labels.where(), k / names.size(), k % names.size(), names[k % names.size()],
                  static_cast<int>(values[k]));
  }
  expect_checksum(labels.where(), crc32_update(0, values.data(), values.size()), crc);
}

// Ids name images in labels.csv and selections: none empty, none twice in a shard (across
// shards Pool::id_index checks). Then the manifest's CRC. Returns them.
std::vector<std::string> read_valid_ids(const h5::Dataset& dataset, const std::optional<std::uint32_t>& crc) {
  auto ids = dataset.read_strings();
  std::unordered_map<std::string_view, std::size_t> seen;
  for (std::size_t row = 0; row < ids.size(); ++row) {
    SALIENT_CHECK(!ids[row].empty(), "{} index {}: the id is empty", dataset.where(), row);
    const auto [at, fresh] = seen.emplace(ids[row], row);
    SALIENT_CHECK(fresh, "{} index {}: id '{}' repeats index {}", dataset.where(), row, ids[row], at->second);
  }
  expect_checksum(dataset.where(), crc32_of_strings(ids), crc);
  return ids;
}
}  // namespace

ShardFile::ShardFile(h5::File file, const PoolManifest& manifest, std::int64_t shard)
    : file_(std::move(file)),
      // Images are read once each, in whole chunks: no cache, straight into the batch.
      images_(file_.dataset(schema::kImages, 0)),
      labels_(file_.dataset(schema::kLabels)),
      pixel_type_(manifest.pixel_type),
      count_(manifest.shards[static_cast<std::size_t>(shard)].count) {
  const auto n = static_cast<std::uint64_t>(count_);
  const auto h = static_cast<std::uint64_t>(manifest.height), w = static_cast<std::uint64_t>(manifest.width);
  expect_shape(images_, {n, h, w});
  SALIENT_CHECK(images_.element_name() == pixel_type_name(pixel_type_), "{} holds {} pixels, the manifest says {}",
                images_.where(), images_.element_name(), pixel_type_name(pixel_type_));
  expect_shape(labels_, {n, manifest.label_names.size()});
  SALIENT_CHECK(labels_.holds<std::int8_t>(), "{} holds {}, expected int8", labels_.where(), labels_.element_name());
  const ShardEntry& entry = manifest.shards[static_cast<std::size_t>(shard)];
  expect_valid_labels(labels_, manifest.label_names, n, entry.labels_crc32);
  const h5::Dataset ids = file_.dataset(schema::kIds);
  expect_shape(ids, {n});
  SALIENT_CHECK(ids.element_name() == "string", "{} holds {}, expected strings", ids.where(), ids.element_name());
  ids_ = read_valid_ids(ids, entry.ids_crc32);
  if (file_.has_dataset(schema::kRoi)) {
    roi_ = file_.dataset(schema::kRoi);
    expect_shape(*roi_, {n, h, w});
    SALIENT_CHECK(roi_->holds<std::uint8_t>(), "{} holds {}, expected uint8", roi_->where(), roi_->element_name());
  }
}

bool ShardFile::has_patient_ids() const { return file_.has_dataset(schema::kPatientIds); }

void ShardFile::read_images(std::int64_t first, std::int64_t count, void* out) const {
  const auto f = static_cast<std::uint64_t>(first), c = static_cast<std::uint64_t>(count);
  switch (pixel_type_) {
    case PixelType::uint8: images_.read_rows(f, c, static_cast<std::uint8_t*>(out)); break;
    case PixelType::uint16: images_.read_rows(f, c, static_cast<std::uint16_t*>(out)); break;
    case PixelType::float32: images_.read_rows(f, c, static_cast<float*>(out)); break;
  }
}

void ShardFile::read_labels(std::int64_t first, std::int64_t count, std::int8_t* out) const {
  labels_.read_rows(static_cast<std::uint64_t>(first), static_cast<std::uint64_t>(count), out);
}

void ShardFile::read_roi(std::int64_t first, std::int64_t count, std::uint8_t* out) const {
  SALIENT_CHECK(roi_.has_value(), "'{}' has no '{}' dataset", path(), schema::kRoi);
  roi_->read_rows(static_cast<std::uint64_t>(first), static_cast<std::uint64_t>(count), out);
}

std::vector<std::string> ShardFile::optional_strings(const char* name) const {
  if (!file_.has_dataset(name)) return {};
  auto values = file_.read_strings(name);
  SALIENT_CHECK(static_cast<std::int64_t>(values.size()) == count_, "'{}', dataset '{}' has {} entries, expected {}",
                path(), name, values.size(), count_);
  return values;
}

std::vector<std::string> ShardFile::patient_ids() const { return optional_strings(schema::kPatientIds); }

std::vector<std::string> ShardFile::views() const { return optional_strings(schema::kViews); }

std::vector<Box> ShardFile::boxes() const {
  if (!file_.has_dataset(schema::kBoxRow)) return {};
  const auto rows = file_.read<std::int64_t>(schema::kBoxRow);
  const auto labels = file_.read<std::int32_t>(schema::kBoxLabel);
  const auto xywh = file_.read<float>(schema::kBoxXywh);
  SALIENT_CHECK(labels.size() == rows.size() && xywh.size() == 4 * rows.size(),
                "'{}': the datasets under 'boxes' disagree in length", path());
  std::vector<Box> boxes(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    SALIENT_CHECK(rows[i] >= 0 && rows[i] < count_, "'{}', dataset '{}' index {}: row {} outside 0..{}", path(),
                  schema::kBoxRow, i, rows[i], count_ - 1);
    boxes[i] = {rows[i], labels[i], xywh[4 * i], xywh[4 * i + 1], xywh[4 * i + 2], xywh[4 * i + 3]};
  }
  return boxes;
}

// ---- Pool ------------------------------------------------------------------------------

Pool::Pool(std::string dir, PoolManifest manifest)
    : dir_(std::move(dir)), manifest_(std::move(manifest)), total_(manifest_.total_images()) {}

Pool Pool::open(const std::string& pool_dir) { return Pool(pool_dir, read_manifest(pool_dir)); }

std::int64_t Pool::image_bytes() const {
  return manifest_.height * manifest_.width * static_cast<std::int64_t>(pixel_bytes(manifest_.pixel_type));
}

ImageLocation Pool::locate(std::int64_t global_index) const {
  SALIENT_CHECK(global_index >= 0 && global_index < total_, "image index {} is outside the pool '{}' (0..{})",
                global_index, dir_, total_ - 1);
  return {global_index / manifest_.shard_size, global_index % manifest_.shard_size};
}

std::string Pool::shard_path(std::int64_t shard) const {
  SALIENT_CHECK(shard >= 0 && shard < shard_count(), "shard {} is outside the pool '{}' (0..{})", shard, dir_,
                shard_count() - 1);
  return (std::filesystem::path(dir_) / manifest_.shards[static_cast<std::size_t>(shard)].path).string();
}

ShardFile Pool::open_shard(std::int64_t shard) const {
  return ShardFile(h5::File::open(shard_path(shard)), manifest_, shard);
}

std::unordered_map<std::string, std::int64_t> Pool::id_index() const {
  std::unordered_map<std::string, std::int64_t> index;
  index.reserve(static_cast<std::size_t>(total_));
  for (std::int64_t shard = 0; shard < shard_count(); ++shard) {
    const auto ids = open_shard(shard).ids();
    for (std::size_t row = 0; row < ids.size(); ++row) {
      const std::int64_t global = first_index(shard) + static_cast<std::int64_t>(row);
      const auto [at, fresh] = index.emplace(ids[row], global);
      SALIENT_CHECK(fresh, "'{}', dataset '{}' index {}: id '{}' repeats image {}", shard_path(shard), schema::kIds, row,
                    ids[row], at->second);
    }
  }
  return index;
}

}  // namespace salient::io
