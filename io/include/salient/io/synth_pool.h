// `salient synth`: writes a pool of phantom chest X-rays (phantom.h) with labels, ROI
// masks and patient ids, drawing images on several threads and writing them in order.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "salient/io/phantom.h"
#include "salient/io/pool_manifest.h"

namespace salient::io {

struct SynthOptions {
  PhantomOptions phantom;
  std::int64_t count = 1000;
  PixelType pixel_type = PixelType::uint8;
  std::int64_t shard_size = 1024;
  int deflate_level = 0;  ///< compression of `images` (docs/pool-format.md)
  int threads = 0;  ///< 0: one per hardware thread
  /// Called after each block of images with the number written so far.
  std::function<void(std::int64_t)> progress;
};

/// Stored value of a phantom intensity v ∈ [0, 1]: round(255·v) for uint8, round(4095·v)
/// for uint16 (a 12-bit detector in 16-bit words, as in most DICOM radiographs), v itself
/// for float32.
double stored_value(PixelType type, float intensity);

/// Intensities in [0, 1] stored in @p type (stored_value), as raw bytes.
std::vector<std::uint8_t> encode_intensities(const std::vector<float>& intensities, PixelType type);

struct SynthReport {
  PoolManifest manifest;
  std::vector<std::string> removed_leftovers;  ///< staging folders of killed builds removed
};

/// Writes the pool as `salient pack` does: in "<pool_dir>.tmp-<pid>", renamed into place when
/// complete (io/staging_directory.h); an existing @p pool_dir must be an empty folder.
SynthReport synthesize_pool(const std::string& pool_dir, const SynthOptions& options);

}  // namespace salient::io
