// The runs of one map along one angle, the GLRLM features of one angle's run counts and their
// average over the angles, written once for both twins (symbols: glrlm.h). Each feature
// follows the code of radiomics/glrlm.py (PyRadiomics 3.0.1).
#pragma once

#include <cmath>
#include <cstdint>

#include "detail/feature_rows.h"
#include "detail/host_device.h"
#include "salient/kernels/glrlm.h"

namespace salient::kernels::detail {

/// numpy.spacing(1), PyRadiomics' ε.
constexpr double kGlrlmEpsilon = 2.220446049250313e-16;

struct GlrlmMapStatus {
  std::int64_t masked = 0;  ///< pixels inside the mask
  bool finite = true;       ///< every masked pixel finite
  int gray_levels = 0;      ///< Ng
};

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

/// The 16 features of one angle from its run counts P(i, j) = counts[i * run_dim + j]
/// (i = 1..Ng, j = 1..run_dim − 1). Returns false when the angle has no run.
SALIENT_HOST_DEVICE inline bool glrlm_angle_features(const std::uint32_t* counts, int gray_dim, int run_dim,
                                                     double* out) {
  double runs = 0, pixels = 0;
  double sre = 0, lre = 0, lglre = 0, hglre = 0, srlgle = 0, srhgle = 0, lrlgle = 0, lrhgle = 0;
  double gln = 0, gray_mean = 0, entropy_sum = 0;
  for (int i = 1; i < gray_dim; ++i) {
    double row = 0;
    const double i2 = static_cast<double>(i) * i;
    for (int j = 1; j < run_dim; ++j) {
      const double p = counts[i * run_dim + j];
      if (p == 0) continue;
      const double j2 = static_cast<double>(j) * j;
      row += p;
      srlgle += p / (i2 * j2);
      srhgle += p * i2 / j2;
      lrlgle += p * j2 / i2;
      lrhgle += p * i2 * j2;
    }
    runs += row;
    gln += row * row;
    lglre += row / i2;
    hglre += row * i2;
    gray_mean += row * i;
  }
  if (runs == 0) return false;
  double rln = 0, run_mean = 0;
  for (int j = 1; j < run_dim; ++j) {
    double column = 0;
    for (int i = 1; i < gray_dim; ++i) column += counts[i * run_dim + j];
    const double j2 = static_cast<double>(j) * j;
    sre += column / j2;
    lre += column * j2;
    rln += column * column;
    pixels += column * j;
    run_mean += column * j;
  }
  gray_mean /= runs;
  run_mean /= runs;
  double gray_variance = 0, run_variance = 0;
  for (int i = 1; i < gray_dim; ++i) {
    double row = 0;
    for (int j = 1; j < run_dim; ++j) {
      const double p = counts[i * run_dim + j] / runs;
      row += p;
      if (p > 0) entropy_sum += p * log2(p + kGlrlmEpsilon);
    }
    gray_variance += row * (i - gray_mean) * (i - gray_mean);
  }
  for (int j = 1; j < run_dim; ++j) {
    double column = 0;
    for (int i = 1; i < gray_dim; ++i) column += counts[i * run_dim + j];
    run_variance += column / runs * (j - run_mean) * (j - run_mean);
  }
  out[glrlm::kShortRunEmphasis] = sre / runs;
  out[glrlm::kLongRunEmphasis] = lre / runs;
  out[glrlm::kGrayLevelNonUniformity] = gln / runs;
  out[glrlm::kGrayLevelNonUniformityNormalized] = gln / (runs * runs);
  out[glrlm::kRunLengthNonUniformity] = rln / runs;
  out[glrlm::kRunLengthNonUniformityNormalized] = rln / (runs * runs);
  out[glrlm::kRunPercentage] = runs / pixels;
  out[glrlm::kGrayLevelVariance] = gray_variance;
  out[glrlm::kRunVariance] = run_variance;
  out[glrlm::kRunEntropy] = -entropy_sum;
  out[glrlm::kLowGrayLevelRunEmphasis] = lglre / runs;
  out[glrlm::kHighGrayLevelRunEmphasis] = hglre / runs;
  out[glrlm::kShortRunLowGrayLevelEmphasis] = srlgle / runs;
  out[glrlm::kShortRunHighGrayLevelEmphasis] = srhgle / runs;
  out[glrlm::kLongRunLowGrayLevelEmphasis] = lrlgle / runs;
  out[glrlm::kLongRunHighGrayLevelEmphasis] = lrhgle / runs;
  return true;
}

/// The row of one map: the mean of each feature over the angles that have runs.
SALIENT_HOST_DEVICE inline void glrlm_average_angles(const double* per_angle, const std::uint8_t* nonempty,
                                                     int angles, const GlrlmMapStatus& status, int max_gray_levels,
                                                     double* row, FeatureReason* reasons) {
  if (status.masked == 0) return write_undefined_row(row, reasons, glrlm::kColumns, FeatureReason::empty_mask);
  if (!status.finite) return write_undefined_row(row, reasons, glrlm::kColumns, FeatureReason::non_finite_value);
  if (status.gray_levels > max_gray_levels) {
    return write_undefined_row(row, reasons, glrlm::kColumns, FeatureReason::too_many_gray_levels);
  }
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
