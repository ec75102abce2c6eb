// The pool manifest, pool.json at the top of a pool directory: which shard files hold the
// images, their shape and type, the label names, and a checksum per shard.
// The format is documented in docs/pool-format.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "salient/io/pixel_type.h"

namespace salient::io {

struct ShardEntry {
  std::string path;         ///< relative to the pool directory, never escaping it
  std::int64_t count = 0;   ///< images in this shard
  std::uint32_t crc32 = 0;  ///< CRC-32 (zlib) of the shard's image bytes in row order
  /// CRC-32s of the shard's other datasets (docs/pool-format.md): labels (int8, row-major),
  /// ids (each id's bytes and a NUL), ROI masks (uint8, row-major; pools with masks only).
  /// Absent in pools written before 2026-12-06, which are checked for their images only.
  std::optional<std::uint32_t> labels_crc32, ids_crc32, roi_crc32;
};

struct PoolManifest {
  static constexpr int kFormatVersion = 1;
  std::int64_t height = 0;
  std::int64_t width = 0;
  PixelType pixel_type = PixelType::uint8;
  std::vector<std::string> label_names;
  /// Images per shard; every shard but the last holds exactly this many, so a global
  /// index maps to (index / shard_size, index % shard_size).
  std::int64_t shard_size = 0;
  std::vector<ShardEntry> shards;
  /// Free-form provenance ("synth --seed 7", "pack nih ...").
  std::string source;
  /// Random at creation (32 hex digits), so that two pools built alike stay two pools; ""
  /// in pools written before pool ids.
  std::string pool_id;

  std::int64_t total_images() const;
};

/// Manifest file name inside a pool directory.
inline constexpr const char* kManifestName = "pool.json";

/// Reads and validates DIR/pool.json: types, shard sizes, and that no shard path escapes
/// the pool directory. Errors name the file and the offending entry.
PoolManifest read_manifest(const std::string& pool_dir);
/// Validates manifest text; errors name it as @p name.
PoolManifest parse_manifest(const std::string& text, const std::string& name);
/// Writes DIR/pool.json atomically.
void write_manifest(const std::string& pool_dir, const PoolManifest& manifest);

/// The pool's identity: "POOL_ID:HASH", HASH the FNV-1a 64 of the manifest (image shape and
/// type, labels, shard counts and CRCs, source, pool id), not of its path, so a moved pool
/// keeps it and a replaced or rebuilt one does not.
std::string pool_fingerprint(const PoolManifest& manifest);

/// A fresh pool id: 128 random bits as 32 hex digits.
std::string new_pool_id();

}  // namespace salient::io
