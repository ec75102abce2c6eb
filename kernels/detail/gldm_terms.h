// A pixel's dependence and the GLDM row from the dependence matrix, written once for both
// twins (symbols: gldm.h). The features are the statistics of detail/size_matrix_terms.h on
// the (level, dependence) matrix, less the two PyRadiomics deprecates.
#pragma once

#include <cstdint>

#include "detail/host_device.h"
#include "detail/size_matrix_terms.h"
#include "salient/kernels/gldm.h"

namespace salient::kernels::detail {

/// 1 + the number of the 8 neighbours of (y, x) inside the image and the mask (level > 0)
/// with its level (α = 0); 0 when (y, x) is outside the mask.
SALIENT_HOST_DEVICE inline int gldm_dependence_at(const std::int32_t* levels, std::int64_t h, std::int64_t w,
                                                  std::int64_t y, std::int64_t x) {
  const std::int32_t level = levels[y * w + x];
  if (level <= 0) return 0;
  int dependence = 1;
  for (int dy = -1; dy <= 1; ++dy) {
    for (int dx = -1; dx <= 1; ++dx) {
      const std::int64_t ny = y + dy, nx = x + dx;
      if ((dy == 0 && dx == 0) || ny < 0 || ny >= h || nx < 0 || nx >= w) continue;
      dependence += levels[ny * w + nx] == level ? 1 : 0;
    }
  }
  return dependence;
}

/// The row of one map from its dependence counts P(i, j) = counts[i * gldm::kDependenceSizes + j].
SALIENT_HOST_DEVICE inline void gldm_row(const std::uint32_t* counts, const TextureMapStatus& status,
                                         int max_gray_levels, double* row, FeatureReason* reasons) {
  if (!texture_map_usable(status, max_gray_levels, row, reasons, gldm::kColumns)) return;
  double statistics[kSizeStatistics] = {};
  size_matrix_statistics(counts, status.gray_levels + 1, gldm::kDependenceSizes, statistics);
  constexpr int kFrom[gldm::kColumns] = {
      kSmallEmphasis,         kLargeEmphasis,        kGrayNonUniformity,     kSizeNonUniformity,
      kSizeNonUniformityNormalized, kGrayVariance,   kSizeVariance,          kEntropy,
      kLowGrayEmphasis,       kHighGrayEmphasis,     kSmallLowGrayEmphasis,  kSmallHighGrayEmphasis,
      kLargeLowGrayEmphasis,  kLargeHighGrayEmphasis};
  for (int c = 0; c < gldm::kColumns; ++c) {
    row[c] = statistics[kFrom[c]];
    reasons[c] = FeatureReason::ok;
  }
}

}  // namespace salient::kernels::detail
