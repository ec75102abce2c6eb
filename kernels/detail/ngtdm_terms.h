// A pixel's neighbourhood difference and the NGTDM row from n_i and s_i, written once for both
// twins (symbols and formulas: ngtdm.h).
#pragma once

#include <cmath>
#include <cstdint>

#include "detail/host_device.h"
#include "detail/size_matrix_terms.h"
#include "salient/kernels/ngtdm.h"

namespace salient::kernels::detail {

/// |i − Ā| of (y, x), Ā the mean level of its neighbours inside the image and the mask, or 0
/// when it has no such neighbour (PyRadiomics' code counts it in n_i and adds nothing to s_i);
/// false when (y, x) is outside the mask.
SALIENT_HOST_DEVICE inline bool ngtdm_difference_at(const std::int32_t* levels, std::int64_t h, std::int64_t w,
                                                    std::int64_t y, std::int64_t x, double* difference) {
  const std::int32_t level = levels[y * w + x];
  if (level <= 0) return false;
  double sum = 0;
  int count = 0;
  for (int dy = -1; dy <= 1; ++dy) {
    for (int dx = -1; dx <= 1; ++dx) {
      const std::int64_t ny = y + dy, nx = x + dx;
      if ((dy == 0 && dx == 0) || ny < 0 || ny >= h || nx < 0 || nx >= w || levels[ny * w + nx] <= 0) continue;
      sum += levels[ny * w + nx];
      ++count;
    }
  }
  *difference = count > 0 ? fabs(level - sum / count) : 0.0;
  return true;
}

/// The row of one map from n_i = counts[i] and s_i = differences[i], i = 1..gray_dim − 1.
SALIENT_HOST_DEVICE inline void ngtdm_row(const std::uint32_t* counts, const double* differences, int gray_dim,
                                          const TextureMapStatus& status, int max_gray_levels, double* row,
                                          FeatureReason* reasons) {
  if (!texture_map_usable(status, max_gray_levels, row, reasons, ngtdm::kColumns)) return;
  double valid = 0, sum_s = 0, sum_ps = 0;
  int present = 0;
  for (int i = 1; i < gray_dim; ++i) {
    valid += counts[i];
    sum_s += differences[i];
    present += counts[i] > 0 ? 1 : 0;
  }
  double spread = 0, busy = 0, complexity = 0, strength = 0;
  for (int i = 1; i < gray_dim; ++i) {
    if (counts[i] == 0) continue;
    const double p_i = counts[i] / valid;
    sum_ps += p_i * differences[i];
    for (int j = 1; j < gray_dim; ++j) {
      if (counts[j] == 0) continue;
      const double p_j = counts[j] / valid;
      const double d = static_cast<double>(i - j);
      spread += p_i * p_j * d * d;
      busy += fabs(i * p_i - j * p_j);
      complexity += fabs(d) * (p_i * differences[i] + p_j * differences[j]) / (p_i + p_j);
      strength += (p_i + p_j) * d * d;
    }
  }
  const double nan = quiet_nan_double();
  row[ngtdm::kCoarseness] = sum_ps != 0 ? 1 / sum_ps : nan;
  row[ngtdm::kContrast] = present > 1 ? spread * (sum_s / valid) / (present * (present - 1.0)) : nan;
  row[ngtdm::kBusyness] = busy != 0 ? sum_ps / busy : nan;
  row[ngtdm::kComplexity] = complexity / valid;
  row[ngtdm::kStrength] = sum_s != 0 ? strength / sum_s : nan;
  for (int c = 0; c < ngtdm::kColumns; ++c) {
    reasons[c] = row[c] == row[c] ? FeatureReason::ok : FeatureReason::constant_map;  // row[c] != row[c]: NaN
  }
}

}  // namespace salient::kernels::detail
