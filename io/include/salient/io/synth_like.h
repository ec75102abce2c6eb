// `salient synth --like`: a phantom pool whose rows follow a real metadata file in NIH
// ChestX-ray14's Data_Entry format (nih_phantom.h draws each row). The file is read twice,
// one row at a time: first to count each patient's images (and check every row), then to
// draw the rows kept. Memory holds the patients, one block of images and the pool's ids.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "salient/io/nih_phantom.h"
#include "salient/io/pool_manifest.h"

namespace salient::io {

struct LikeSynthOptions {
  std::string entries;     ///< Data_Entry_2017*.csv
  std::string boxes;       ///< BBox_List_2017.csv, or empty
  std::string lung_masks;  ///< folder of lung masks (lung_atlas.h)
  /// Images to keep, as whole patients (0: every row). Patients are taken in an order drawn
  /// from @p sample_seed, each while it fits, so the pool holds exactly this many images
  /// whenever the file's patients allow it.
  std::int64_t rows = 0;
  std::uint64_t sample_seed = 0;
  /// With rows: whole patients for this many images are first set aside, in the same order,
  /// as `rows = skip_rows` would take them; the pool's patients come from the rest. Pools of
  /// one sample seed whose [skip_rows, skip_rows + rows) do not overlap share no patient.
  std::int64_t skip_rows = 0;
  NihPhantomOptions phantom;
  PixelType pixel_type = PixelType::uint8;
  std::int64_t shard_size = 1024;
  int deflate_level = 0;
  int threads = 0;  ///< 0: one per hardware thread
  /// Called after each block of images with the number written so far and the total.
  std::function<void(std::int64_t, std::int64_t)> progress;
};

struct LikeSynthReport {
  PoolManifest manifest;
  std::vector<std::string> removed_leftovers;  ///< staging folders of killed builds removed
  std::int64_t file_rows = 0, file_patients = 0, patients = 0;
  std::size_t masks = 0;                       ///< lung masks used
  std::vector<RejectedMask> rejected_masks;
};

/// Writes the pool as `salient synth` does (in a staging folder renamed into place).
LikeSynthReport synthesize_like_pool(const std::string& pool_dir, const LikeSynthOptions& options);

}  // namespace salient::io
