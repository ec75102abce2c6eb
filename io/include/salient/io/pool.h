// A pool opened for reading: its manifest, O(1) global index → (shard, row), and shard
// files whose datasets are checked against the manifest when they are opened.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "salient/io/hdf5.h"
#include "salient/io/pool_manifest.h"

namespace salient::io {

struct ImageLocation {
  std::int64_t shard = 0;
  std::int64_t row = 0;
};

/// An expert's box around a finding, in pixels of the stored image.
struct Box {
  std::int64_t row = 0;    ///< row of the image inside its shard
  std::int32_t label = -1; ///< label column, or -1 when the box names none
  float x = 0, y = 0, w = 0, h = 0;
};

/// One shard file, open, with its datasets validated against the manifest.
class ShardFile {
 public:
  std::int64_t count() const { return count_; }
  const std::string& path() const { return file_.path(); }
  bool has_roi() const { return roi_.has_value(); }
  bool has_patient_ids() const;

  /// Copies rows [first, first+count) of `images` into @p out (pixel type of the pool).
  void read_images(std::int64_t first, std::int64_t count, void* out) const;
  /// Copies rows [first, first+count) of `labels` (int8, count × C) into @p out.
  void read_labels(std::int64_t first, std::int64_t count, std::int8_t* out) const;
  /// Copies rows [first, first+count) of `roi` into @p out; the shard must have one.
  void read_roi(std::int64_t first, std::int64_t count, std::uint8_t* out) const;
  /// The ids, as read and validated when the shard was opened.
  const std::vector<std::string>& ids() const { return ids_; }
  std::vector<std::string> patient_ids() const;
  /// The projection of each image (PA, AP, …); empty when the pool does not record views.
  std::vector<std::string> views() const;
  std::vector<Box> boxes() const;

 private:
  friend class Pool;
  ShardFile(h5::File file, const PoolManifest& manifest, std::int64_t shard);
  std::vector<std::string> optional_strings(const char* name) const;  ///< [count] strings, or none
  h5::File file_;
  h5::Dataset images_;
  h5::Dataset labels_;
  std::optional<h5::Dataset> roi_;
  std::vector<std::string> ids_;
  PixelType pixel_type_;
  std::int64_t count_;
};

class Pool {
 public:
  /// Reads and validates DIR/pool.json. Shard files are opened on demand.
  static Pool open(const std::string& pool_dir);

  const std::string& dir() const { return dir_; }
  const PoolManifest& manifest() const { return manifest_; }
  std::int64_t size() const { return total_; }
  std::int64_t shard_count() const { return static_cast<std::int64_t>(manifest_.shards.size()); }
  std::int64_t image_bytes() const;

  /// Where image @p global_index is stored: O(1), shards hold shard_size images each.
  ImageLocation locate(std::int64_t global_index) const;
  /// Global index of row 0 of shard @p shard.
  std::int64_t first_index(std::int64_t shard) const { return shard * manifest_.shard_size; }
  std::string shard_path(std::int64_t shard) const;
  /// Opens shard @p shard and checks its datasets' shapes and types against the manifest, its
  /// labels (1, 0 or −1) and ids (non-empty, unique), and their CRC-32s (shard_checksum.h).
  ShardFile open_shard(std::int64_t shard) const;
  /// Every image id mapped to its global index (reads the ids of every shard; errors on a
  /// repeated id, naming both images). Labels CSVs are validated against it.
  std::unordered_map<std::string, std::int64_t> id_index() const;

 private:
  Pool(std::string dir, PoolManifest manifest);
  std::string dir_;
  PoolManifest manifest_;
  std::int64_t total_;
};

}  // namespace salient::io
