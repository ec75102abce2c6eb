// `salient pack`: a dataset (pack_source.h) into a pool, once. Two passes, so that the
// pool is exact and appears whole or not at all:
//   1. decode: threads decode the files, resize each to size × size and write its pixels
//      to a staging file at the slot of its index (order kept, memory constant);
//   2. write: the images that decoded go, in order, through PoolWriter, whose shard sizes
//      need the final count up front.
// Everything is written to "<pool>.tmp-<pid>" beside the pool, renamed to <pool> at the end
// and removed when packing fails.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "salient/io/image_resize.h"
#include "salient/io/pack_source.h"
#include "salient/io/pixel_type.h"
#include "salient/io/pool_manifest.h"

namespace salient::io {

/// What to do with a file that cannot be decoded: stop with an error naming it, or leave it
/// out and list it.
enum class BadImagePolicy { fail, skip };

enum class PackStage { decode, write };

struct PackOptions {
  std::int64_t size = 320;                  ///< side of the stored square images
  PixelType pixel_type = PixelType::uint8;  ///< uint8 or uint16
  ResizeFilter filter = ResizeFilter::triangle;
  BadImagePolicy on_bad_image = BadImagePolicy::fail;
  std::int64_t shard_size = 1024;
  int deflate_level = 0;
  int threads = 0;  ///< 0: one per hardware thread
  /// Called from the calling thread with the images done so far in each stage.
  std::function<void(PackStage stage, std::int64_t done, std::int64_t total)> progress;
};

struct BadImage {
  std::string path;
  std::string reason;
};

struct PackReport {
  PoolManifest manifest;
  std::vector<BadImage> skipped;  ///< in the order of the source
  std::vector<std::string> removed_leftovers;  ///< staging folders of killed packs removed
};

/// The rows of the metadata whose image file was missing (PackSource::missing), as a CSV
/// (id, line) inside the pool; only in pools packed without them.
inline constexpr const char* kMissingImagesFile = "missing-images.csv";

/// Packs @p source into the new pool @p pool_dir, which must not exist or be empty. Boxes
/// are scaled with their images. The pool has patient ids when every image has one. The
/// source's missing rows are listed in kMissingImagesFile; if none of its rows has a file,
/// nothing is packed.
PackReport pack_pool(const PackSource& source, const std::string& pool_dir, const PackOptions& options);

}  // namespace salient::io
