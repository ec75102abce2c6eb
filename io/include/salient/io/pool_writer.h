// Writes a pool: shards of shard_size images, each written under a temporary name and
// renamed when complete, then the manifest (with per-shard CRC-32) last, so an
// interrupted writer never leaves a pool that looks whole.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "salient/io/hdf5.h"
#include "salient/io/pool.h"
#include "salient/io/pool_manifest.h"

namespace salient::io {

struct PoolSpec {
  std::int64_t total = 0;  ///< images the pool will hold (known up front: shard sizes follow)
  std::int64_t height = 0;
  std::int64_t width = 0;
  PixelType pixel_type = PixelType::uint8;
  std::vector<std::string> label_names;
  std::int64_t shard_size = 1024;
  bool with_roi = false;
  bool with_patient_ids = false;
  bool with_views = false;
  /// deflate level for `images` (0: none; see docs/pool-format.md for the measurement).
  int image_deflate_level = 0;
  std::string source;
};

/// One image and what is known about it; pointers must stay valid during add().
struct ImageRecord {
  std::string id;
  std::string patient_id;
  std::string view;                  ///< projection (PA, AP, …), when the pool stores views
  const void* pixels = nullptr;      ///< height × width of the pool's pixel type
  std::vector<std::int8_t> labels;   ///< one per label name: 1, 0 or -1 (unknown)
  const std::uint8_t* roi = nullptr; ///< height × width mask, when the pool has ROIs
  std::vector<Box> boxes;            ///< row is ignored: the writer sets it
};

class PoolWriter {
 public:
  PoolWriter(std::string pool_dir, PoolSpec spec);
  ~PoolWriter();
  PoolWriter(const PoolWriter&) = delete;
  PoolWriter& operator=(const PoolWriter&) = delete;

  /// Appends the next image (global index = number of images added before it).
  void add(const ImageRecord& record);
  /// Writes the manifest; every one of spec.total images must have been added.
  PoolManifest finish();

 private:
  class OpenShard;
  void start_shard();
  void close_shard();

  std::string dir_;
  PoolSpec spec_;
  PoolManifest manifest_;
  std::int64_t added_ = 0;
  std::unordered_set<std::string> ids_;
  std::unique_ptr<OpenShard> shard_;
};

}  // namespace salient::io
