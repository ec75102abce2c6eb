// The GLCM features of one angle's co-occurrence counts, and their average over the angles,
// written once for both twins (symbols: glcm.h). Each feature follows the code of
// radiomics/glcm.py (PyRadiomics 3.0.1); identities that hold because p is symmetric are used
// to save passes and are named where used.
#pragma once

#include <cmath>
#include <cstdint>

#include "detail/feature_rows.h"
#include "detail/host_device.h"
#include "detail/symmetric_eigen.h"
#include "salient/kernels/feature_registry.h"

namespace salient::kernels::detail {

/// numpy.spacing(1), PyRadiomics' ε.
constexpr double kGlcmEpsilon = 2.220446049250313e-16;

/// Scratch arrays for one angle of a matrix with `dim` = Ng + 1 rows (row 0 = outside the mask).
struct GlcmWorkspace {
  double* marginal;    ///< dim: p_x(i)
  double* sum_prob;    ///< 2 dim: p_{x+y}(k)
  double* diff_prob;   ///< dim: p_{x-y}(k)
  double* eigen;       ///< dim²: the matrix of the MCC eigenproblem
  double* diagonal;    ///< dim
  double* off;         ///< dim
  int* compact;        ///< dim: position of level i among the levels with p_x(i) > 0
};

/// Doubles and ints one GlcmWorkspace needs for @p dim.
SALIENT_HOST_DEVICE constexpr std::int64_t glcm_workspace_doubles(std::int64_t dim) { return dim * dim + 6 * dim; }
SALIENT_HOST_DEVICE constexpr std::int64_t glcm_workspace_ints(std::int64_t dim) { return dim; }

SALIENT_HOST_DEVICE inline GlcmWorkspace glcm_workspace(double* doubles, int* ints, std::int64_t dim) {
  return {doubles, doubles + dim, doubles + 3 * dim, doubles + 4 * dim, doubles + 4 * dim + dim * dim,
          doubles + 5 * dim + dim * dim, ints};
}

SALIENT_HOST_DEVICE inline double entropy_term(double p) { return p * log2(p + kGlcmEpsilon); }

/// MCC of one angle: sqrt of the second-largest eigenvalue of Q(i,j) = Σ_k p(i,k) p(j,k) /
/// (p_x(i) p_y(k)). With D = diag(p_x) and p symmetric, Q = D⁻¹ p D⁻¹ p is similar to
/// S = D^-½ p D⁻¹ p D^-½ = B², B = D^-½ p D^-½ symmetric, so the eigenvalues of Q are the
/// squares of B's and MCC = the second-largest |eigenvalue| of B (the largest is 1, with
/// eigenvector √p_x). Levels with p_x = 0 give zero rows of Q (eigenvalue 0) and are left
/// out. PyRadiomics adds ε to p_x p_y in Q; its relative effect ε / (p_x p_y) is below 1e-9
/// for any level holding 1 in 30,000 of the pairs, and is ignored here.
SALIENT_HOST_DEVICE inline double glcm_mcc(const std::uint32_t* counts, int dim, double total,
                                           const GlcmWorkspace& ws) {
  int n = 0;
  for (int i = 1; i < dim; ++i) ws.compact[i] = ws.marginal[i] > 0 ? n++ : -1;
  if (n < 2) return 0;  // Q has one nonzero row: eigenvalues {1, 0, ...}
  for (int i = 1; i < dim; ++i) {
    if (ws.compact[i] < 0) continue;
    for (int j = 1; j <= i; ++j) {
      if (ws.compact[j] < 0) continue;
      const double p = static_cast<double>(counts[i * dim + j] + counts[j * dim + i]) / total;
      ws.eigen[ws.compact[i] * n + ws.compact[j]] = p / sqrt(ws.marginal[i] * ws.marginal[j]);
    }
  }
  householder_tridiagonalize(ws.eigen, n, ws.diagonal, ws.off);
  if (!tridiagonal_eigenvalues(ws.diagonal, ws.off, n)) return quiet_nan_double();
  double first = 0, second = 0;
  for (int k = 0; k < n; ++k) {
    const double magnitude = fabs(ws.diagonal[k]);
    if (magnitude > first) {
      second = first;
      first = magnitude;
    } else if (magnitude > second) {
      second = magnitude;
    }
  }
  return second;
}

/// The glcm::kColumns features of one angle. @p counts is the (Ng+1)×(Ng+1) row-major matrix of
/// ordered pairs (level a, level b) at this offset (row and column 0: outside the mask, not
/// read); the symmetric matrix is counts + countsᵀ. @p gray_levels is the map's Ng (Idn, Idmn).
/// Returns false, writing nothing, when the angle has no pair (PyRadiomics drops the angle).
SALIENT_HOST_DEVICE inline bool glcm_angle_features(const std::uint32_t* counts, int dim, int gray_levels,
                                                   const GlcmWorkspace& ws, double* out) {
  std::uint64_t pairs = 0;
  for (int i = 1; i < dim; ++i)
    for (int j = 1; j < dim; ++j) pairs += counts[i * dim + j];
  if (pairs == 0) return false;
  const double total = 2.0 * static_cast<double>(pairs);
  for (int k = 0; k < dim; ++k) ws.marginal[k] = ws.diff_prob[k] = 0;
  for (int k = 0; k < 2 * dim; ++k) ws.sum_prob[k] = 0;

  // Pass over the entries: sums that need p(i,j) itself.
  double autocorrelation = 0, energy = 0, hxy = 0, maximum = 0;
  for (int i = 1; i < dim; ++i) {
    for (int j = 1; j < dim; ++j) {
      const std::uint32_t count = counts[i * dim + j] + counts[j * dim + i];
      if (count == 0) continue;
      const double p = static_cast<double>(count) / total;
      ws.marginal[i] += p;
      ws.sum_prob[i + j] += p;
      ws.diff_prob[i > j ? i - j : j - i] += p;
      autocorrelation += static_cast<double>(i) * static_cast<double>(j) * p;
      energy += p * p;
      hxy -= entropy_term(p);
      maximum = p > maximum ? p : maximum;
    }
  }
  double mean = 0, hx = 0;  // μ = μx = μy, HX = HY (p symmetric)
  for (int i = 1; i < dim; ++i) {
    mean += static_cast<double>(i) * ws.marginal[i];
    hx -= entropy_term(ws.marginal[i]);
  }
  double hxy1 = 0, hxy2 = 0, sum_squares = 0;
  for (int i = 1; i < dim; ++i) {
    if (ws.marginal[i] == 0) continue;
    sum_squares += (i - mean) * (i - mean) * ws.marginal[i];
    for (int j = 1; j < dim; ++j) {
      if (ws.marginal[j] == 0) continue;
      const double product = ws.marginal[i] * ws.marginal[j];
      hxy2 -= product * log2(product + kGlcmEpsilon);
      const std::uint32_t count = counts[i * dim + j] + counts[j * dim + i];
      if (count != 0) hxy1 -= static_cast<double>(count) / total * log2(product + kGlcmEpsilon);
    }
  }

  // Sums over i + j = k: the cluster moments Σ p (i + j - μx - μy)^m group by k.
  double sum_average = 0, sum_entropy = 0, tendency = 0, shade = 0, prominence = 0;
  for (int k = 2; k < 2 * dim; ++k) {
    const double p = ws.sum_prob[k], d = k - 2 * mean;
    sum_average += k * p;
    sum_entropy -= entropy_term(p);
    tendency += d * d * p;
    shade += d * d * d * p;
    prominence += d * d * d * d * p;
  }
  // Sums over |i - j| = k.
  const double ng = gray_levels;
  double difference_average = 0, difference_entropy = 0, contrast = 0, idm = 0, idmn = 0, id = 0, idn = 0,
         inverse_variance = 0;
  for (int k = 0; k < dim; ++k) {
    const double p = ws.diff_prob[k], kk = k;
    difference_average += kk * p;
    difference_entropy -= entropy_term(p);
    contrast += kk * kk * p;
    idm += p / (1 + kk * kk);
    idmn += p / (1 + kk * kk / (ng * ng));
    id += p / (1 + kk);
    idn += p / (1 + kk / ng);
    if (k > 0) inverse_variance += p / (kk * kk);
  }
  double difference_variance = 0;
  for (int k = 0; k < dim; ++k) difference_variance += (k - difference_average) * (k - difference_average) * ws.diff_prob[k];

  using namespace glcm;
  out[kAutocorrelation] = autocorrelation;
  out[kJointAverage] = mean;
  out[kClusterProminence] = prominence;
  out[kClusterShade] = shade;
  out[kClusterTendency] = tendency;
  out[kContrast] = contrast;
  // σx σy = Σ p (i - μ)² = SumSquares; Σ p (i - μ)(j - μ) = SumSquares - Contrast / 2 for symmetric p.
  // PyRadiomics sets 1 where σx σy = 0.
  out[kCorrelation] = sum_squares == 0 ? 1.0 : (sum_squares - contrast / 2) / (sum_squares + kGlcmEpsilon);
  out[kDifferenceAverage] = difference_average;
  out[kDifferenceEntropy] = difference_entropy;
  out[kDifferenceVariance] = difference_variance;
  out[kJointEnergy] = energy;
  out[kJointEntropy] = hxy;
  out[kImc1] = hx != 0 ? (hxy - hxy1) / hx : 0.0;  // max(HX, HY) = HX; PyRadiomics sets 0 where it is 0
  // PyRadiomics: 0 where HXY2 == HXY; NaN (dropped from the mean) where rounding makes HXY > HXY2.
  out[kImc2] = hxy2 == hxy ? 0.0 : sqrt(1 - exp(-2 * (hxy2 - hxy)));
  out[kIdm] = idm;
  out[kMcc] = glcm_mcc(counts, dim, total, ws);
  out[kIdmn] = idmn;
  out[kId] = id;
  out[kIdn] = idn;
  out[kInverseVariance] = inverse_variance;
  out[kMaximumProbability] = maximum;
  out[kSumAverage] = sum_average;
  out[kSumEntropy] = sum_entropy;
  out[kSumSquares] = sum_squares;
  return true;
}

/// What the averaging needs to know about a whole map besides its angles.
struct GlcmMapStatus {
  std::int64_t masked = 0;      ///< pixels inside the mask
  bool finite = true;           ///< every masked value finite
  int gray_levels = 0;          ///< Ng, the highest level
  int lowest_level = 0;         ///< the lowest level present
};

/// The row of one map: numpy.nanmean over the @p angles rows of @p per_angle whose
/// @p nonempty flag is set, with the reasons of glcm.h.
SALIENT_HOST_DEVICE inline void glcm_average_angles(const double* per_angle, const std::uint8_t* nonempty,
                                                    int angles, const GlcmMapStatus& status, int max_gray_levels,
                                                    double* row, FeatureReason* reasons) {
  if (status.masked == 0) return write_undefined_row(row, reasons, glcm::kColumns, FeatureReason::empty_mask);
  if (!status.finite) return write_undefined_row(row, reasons, glcm::kColumns, FeatureReason::non_finite_value);
  if (status.gray_levels > max_gray_levels) {
    return write_undefined_row(row, reasons, glcm::kColumns, FeatureReason::too_many_gray_levels);
  }
  for (int c = 0; c < glcm::kColumns; ++c) {
    double sum = 0;
    int used = 0;
    for (int a = 0; a < angles; ++a) {
      const double v = per_angle[a * glcm::kColumns + c];
      if (!nonempty[a] || v != v) continue;  // v != v: NaN, on host and device
      sum += v;
      ++used;
    }
    row[c] = used > 0 ? sum / used : quiet_nan_double();
    reasons[c] = FeatureReason::ok;
  }
  bool any_pairs = false;
  for (int a = 0; a < angles; ++a) any_pairs = any_pairs || nonempty[a];
  if (!any_pairs) return write_undefined_row(row, reasons, glcm::kColumns, FeatureReason::no_neighbor_pairs);
  // Imc2 is NaN in every angle only when rounding gives HXY > HXY2 everywhere: independent
  // neighbours, for which PyRadiomics documents 0.
  if (row[glcm::kImc2] != row[glcm::kImc2]) row[glcm::kImc2] = 0;
  if (status.lowest_level == status.gray_levels) {  // flat: one level, 0/0 in these three
    const int undefined[] = {glcm::kCorrelation, glcm::kImc1, glcm::kMcc};
    for (const int c : undefined) {
      row[c] = quiet_nan_double();
      reasons[c] = FeatureReason::constant_map;
    }
  }
}

}  // namespace salient::kernels::detail
