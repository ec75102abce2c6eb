// `salient inspect`: what a pool holds (counts, shapes, label prevalence, ROI coverage)
// and, with verification, whether every shard is intact (every image read and its
// checksum compared with the manifest's, ids unique, float pixels finite).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "salient/io/pool.h"

namespace salient::io {

struct LabelPrevalence {
  std::string name;
  std::int64_t positive = 0, negative = 0, unknown = 0;
};

struct PoolReport {
  std::int64_t images = 0;
  std::int64_t shards = 0;
  std::int64_t patients = 0;           ///< distinct patient ids (0 when the pool has none)
  std::int64_t images_with_roi = 0;    ///< images whose ROI mask is not empty
  double mean_roi_fraction = 0.0;      ///< mean fraction of pixels inside the ROI, over those images
  std::int64_t boxes = 0;
  std::vector<LabelPrevalence> labels;
  bool verified = false;
  /// Each problem names the file, dataset and index; empty = the pool is sound.
  std::vector<std::string> problems;
};

/// Reads the pool's metadata (and, with @p verify, every image); @p progress is called with
/// the images checked so far.
PoolReport inspect_pool(const Pool& pool, bool verify, const std::function<void(std::int64_t)>& progress = {});

}  // namespace salient::io
