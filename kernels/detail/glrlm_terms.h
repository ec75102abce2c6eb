// The runs of one map along one angle and the average of the angles' features, written once
// for both twins (symbols: glrlm.h). An angle's features are size_matrix_statistics
// (detail/size_matrix_terms.h) of its (level, run length) matrix, whose order glrlm::Column
// follows.
#pragma once

#include <cmath>
#include <cstdint>

#include "detail/host_device.h"
#include "detail/size_matrix_terms.h"
#include "salient/kernels/glrlm.h"

namespace salient::kernels::detail {

static_assert(int{glrlm::kColumns} == int{kSizeStatistics} && int{glrlm::kShortRunEmphasis} == int{kSmallEmphasis} &&
                  int{glrlm::kRunPercentage} == int{kPercentage} && int{glrlm::kRunEntropy} == int{kEntropy} &&
                  int{glrlm::kLongRunHighGrayLevelEmphasis} == int{kLargeHighGrayEmphasis},
              "glrlm::Column follows SizeStatistic");

/// The length of the run that starts at (y, x) along (dy, dx), or 0 when no run starts there:
/// the pixel is outside the mask (level 0), or its predecessor holds the same level.
SALIENT_HOST_DEVICE inline int glrlm_run_at(const std::int32_t* levels, std::int64_t h, std::int64_t w,
                                            std::int64_t y, std::int64_t x, int dy, int dx) {
  const std::int32_t level = levels[y * w + x];
  if (level <= 0) return 0;
  const std::int64_t py = y - dy, px = x - dx;
  if (py >= 0 && px >= 0 && px < w && levels[py * w + px] == level) return 0;
  int length = 1;
  for (std::int64_t ny = y + dy, nx = x + dx; ny < h && nx >= 0 && nx < w && levels[ny * w + nx] == level;
       ny += dy, nx += dx) {
    ++length;
  }
  return length;
}

/// The row of one map: the mean of each feature over the angles that have runs.
SALIENT_HOST_DEVICE inline void glrlm_average_angles(const double* per_angle, const std::uint8_t* nonempty,
                                                     int angles, const TextureMapStatus& status, int max_gray_levels,
                                                     double* row, FeatureReason* reasons) {
  if (!texture_map_usable(status, max_gray_levels, row, reasons, glrlm::kColumns)) return;
  // A 1 × 1 map has no angle; otherwise every masked pixel is a run in every angle.
  if (angles == 0) return write_undefined_row(row, reasons, glrlm::kColumns, FeatureReason::degenerate_shape);
  for (int c = 0; c < glrlm::kColumns; ++c) {
    double sum = 0;
    int used = 0;
    for (int a = 0; a < angles; ++a) {
      if (!nonempty[a]) continue;
      sum += per_angle[a * glrlm::kColumns + c];
      ++used;
    }
    row[c] = sum / used;
    reasons[c] = FeatureReason::ok;
  }
}

}  // namespace salient::kernels::detail
