// The GLSZM row from the zone count matrix, written once for both twins (symbols: glszm.h).
// The features are the statistics of detail/size_matrix_terms.h, in its order.
#pragma once

#include <cstdint>

#include "detail/host_device.h"
#include "detail/size_matrix_terms.h"
#include "salient/kernels/glszm.h"

namespace salient::kernels::detail {

static_assert(int{glszm::kColumns} == int{kSizeStatistics} && int{glszm::kSmallAreaEmphasis} == int{kSmallEmphasis} &&
                  int{glszm::kZonePercentage} == int{kPercentage} && int{glszm::kZoneEntropy} == int{kEntropy} &&
                  int{glszm::kLargeAreaHighGrayLevelEmphasis} == int{kLargeHighGrayEmphasis},
              "glszm::Column follows SizeStatistic");

/// The zones' neighbours: each of the 8-connected pairs once, from the first pixel in row-major order.
SALIENT_HOST_DEVICE constexpr int glszm_forward_dy(int k) { return k == 0 ? 0 : 1; }
SALIENT_HOST_DEVICE constexpr int glszm_forward_dx(int k) { return k == 0 ? 1 : k - 2; }  // (0,1), (1,−1), (1,0), (1,1)

/// The row of one map from its zone counts P(i, j) = counts[i * size_dim + j].
SALIENT_HOST_DEVICE inline void glszm_row(const std::uint32_t* counts, int size_dim, const TextureMapStatus& status,
                                          int max_gray_levels, double* row, FeatureReason* reasons) {
  if (!texture_map_usable(status, max_gray_levels, row, reasons, glszm::kColumns)) return;
  size_matrix_statistics(counts, status.gray_levels + 1, size_dim, row);
  for (int c = 0; c < glszm::kColumns; ++c) reasons[c] = FeatureReason::ok;
}

}  // namespace salient::kernels::detail
