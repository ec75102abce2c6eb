// Statistics of a (gray level, size) count matrix, shared by the texture families whose
// matrix counts things of a level and a size: GLRLM (runs of a length), GLSZM (zones of an
// area) and GLDM (pixels with a number of dependent neighbours). PyRadiomics computes the same
// sums in radiomics/glrlm.py, glszm.py and gldm.py (3.0.1); here they are written once for
// every family and both twins. With P(i,j) the count of level i and size j,
//   N = Σ P,  p_g(i) = Σ_j P(i,j),  p_s(j) = Σ_i P(i,j),  N_p = Σ_j j p_s(j),  p = P / N:
// the sixteen statistics of SizeStatistic below.
#pragma once

#include <cmath>
#include <cstdint>

#include "detail/feature_rows.h"
#include "detail/host_device.h"
#include "salient/kernels/feature_registry.h"

namespace salient::kernels::detail {

/// numpy.spacing(1), PyRadiomics' ε in the entropies.
constexpr double kTextureEpsilon = 2.220446049250313e-16;

/// The statistics size_matrix_statistics writes, in this order.
enum SizeStatistic : int {
  kSmallEmphasis,                ///< Σ p_s(j)/j² / N
  kLargeEmphasis,                ///< Σ p_s(j) j² / N
  kGrayNonUniformity,            ///< Σ p_g(i)² / N
  kGrayNonUniformityNormalized,  ///< Σ p_g(i)² / N²
  kSizeNonUniformity,            ///< Σ p_s(j)² / N
  kSizeNonUniformityNormalized,  ///< Σ p_s(j)² / N²
  kPercentage,                   ///< N / N_p
  kGrayVariance,                 ///< Σ p (i − μ_i)²
  kSizeVariance,                 ///< Σ p (j − μ_j)²
  kEntropy,                      ///< −Σ p log2(p + ε)
  kLowGrayEmphasis,              ///< Σ p_g(i)/i² / N
  kHighGrayEmphasis,             ///< Σ p_g(i) i² / N
  kSmallLowGrayEmphasis,         ///< Σ P/(i² j²) / N
  kSmallHighGrayEmphasis,        ///< Σ P i²/j² / N
  kLargeLowGrayEmphasis,         ///< Σ P j²/i² / N
  kLargeHighGrayEmphasis,        ///< Σ P i² j² / N
  kSizeStatistics
};

/// What decides whether a map has a texture row at all.
struct TextureMapStatus {
  std::int64_t masked = 0;  ///< pixels inside the mask
  bool finite = true;       ///< every masked pixel finite
  int gray_levels = 0;      ///< Ng
};

/// False, with the row NaN and its reason, when the map has no masked pixel, a non-finite
/// one, or more than @p max_gray_levels levels.
SALIENT_HOST_DEVICE inline bool texture_map_usable(const TextureMapStatus& status, int max_gray_levels, double* row,
                                                   FeatureReason* reasons, int columns) {
  if (status.masked == 0) {
    write_undefined_row(row, reasons, columns, FeatureReason::empty_mask);
  } else if (!status.finite) {
    write_undefined_row(row, reasons, columns, FeatureReason::non_finite_value);
  } else if (status.gray_levels > max_gray_levels) {
    write_undefined_row(row, reasons, columns, FeatureReason::too_many_gray_levels);
  } else {
    return true;
  }
  return false;
}

/// The sixteen statistics of P(i, j) = counts[i * size_dim + j] (i = 1..gray_dim − 1,
/// j = 1..size_dim − 1) into out[SizeStatistic]. Returns false when the matrix is empty.
SALIENT_HOST_DEVICE inline bool size_matrix_statistics(const std::uint32_t* counts, int gray_dim, int size_dim,
                                                       double* out) {
  double total = 0, pixels = 0;
  double small = 0, large = 0, low = 0, high = 0, small_low = 0, small_high = 0, large_low = 0, large_high = 0;
  double gray_squares = 0, gray_mean = 0, entropy_sum = 0;
  for (int i = 1; i < gray_dim; ++i) {
    double row = 0;
    const double i2 = static_cast<double>(i) * i;
    for (int j = 1; j < size_dim; ++j) {
      const double p = counts[i * size_dim + j];
      if (p == 0) continue;
      const double j2 = static_cast<double>(j) * j;
      row += p;
      small_low += p / (i2 * j2);
      small_high += p * i2 / j2;
      large_low += p * j2 / i2;
      large_high += p * i2 * j2;
    }
    total += row;
    gray_squares += row * row;
    low += row / i2;
    high += row * i2;
    gray_mean += row * i;
  }
  if (total == 0) return false;
  double size_squares = 0, size_mean = 0;
  for (int j = 1; j < size_dim; ++j) {
    double column = 0;
    for (int i = 1; i < gray_dim; ++i) column += counts[i * size_dim + j];
    const double j2 = static_cast<double>(j) * j;
    small += column / j2;
    large += column * j2;
    size_squares += column * column;
    pixels += column * j;
  }
  size_mean = pixels / total;
  gray_mean /= total;
  double gray_variance = 0, size_variance = 0;
  for (int i = 1; i < gray_dim; ++i) {
    double row = 0;
    for (int j = 1; j < size_dim; ++j) {
      const double p = counts[i * size_dim + j] / total;
      row += p;
      if (p > 0) entropy_sum += p * log2(p + kTextureEpsilon);
    }
    gray_variance += row * (i - gray_mean) * (i - gray_mean);
  }
  for (int j = 1; j < size_dim; ++j) {
    double column = 0;
    for (int i = 1; i < gray_dim; ++i) column += counts[i * size_dim + j];
    size_variance += column / total * (j - size_mean) * (j - size_mean);
  }
  out[kSmallEmphasis] = small / total;
  out[kLargeEmphasis] = large / total;
  out[kGrayNonUniformity] = gray_squares / total;
  out[kGrayNonUniformityNormalized] = gray_squares / (total * total);
  out[kSizeNonUniformity] = size_squares / total;
  out[kSizeNonUniformityNormalized] = size_squares / (total * total);
  out[kPercentage] = total / pixels;
  out[kGrayVariance] = gray_variance;
  out[kSizeVariance] = size_variance;
  out[kEntropy] = -entropy_sum;
  out[kLowGrayEmphasis] = low / total;
  out[kHighGrayEmphasis] = high / total;
  out[kSmallLowGrayEmphasis] = small_low / total;
  out[kSmallHighGrayEmphasis] = small_high / total;
  out[kLargeLowGrayEmphasis] = large_low / total;
  out[kLargeHighGrayEmphasis] = large_high / total;
  return true;
}

}  // namespace salient::kernels::detail
