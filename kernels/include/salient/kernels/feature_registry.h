// The map features of the first-order, shape2D, alignment and GLCM kernels: their registry
// (CriterionInfo: PyRadiomics-style name, family, default direction, one-line meaning) and the
// reason codes that accompany every value. The arrays are in the column order of each
// family's output, so tests, docs/formulas.md and the score tables iterate over them and no
// feature is forgotten. Names follow PyRadiomics exactly ("firstorder_Kurtosis",
// "shape2D_Elongation"); features that are not PyRadiomics' carry their paper's prefix.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "salient/kernels/criterion.h"

namespace salient::kernels {

/// Why a feature value is NaN. Every kernel writes one reason next to every value.
enum class FeatureReason : std::uint8_t {
  ok = 0,                ///< the value is defined
  empty_mask = 1,        ///< no pixel inside the mask (shape2D: no pixel in the binarised shape)
  non_finite_value = 2,  ///< a NaN or ±inf among the pixels the feature reads
  constant_map = 3,      ///< every value equal: a ratio of central moments or a min-max scaling is 0/0
  degenerate_shape = 4,  ///< shape2D: a single pixel, λ_major = 0, so Elongation is 0/0
  roi_missing = 5,       ///< alignment: the expert ROI mask is empty
  no_neighbor_pairs = 6,     ///< GLCM: no two mask pixels are neighbours at any angle and distance
  too_many_gray_levels = 7,  ///< GLCM: the binned map has more levels than kGlcmMaxGrayLevels
};

constexpr std::string_view reason_name(FeatureReason reason) {
  switch (reason) {
    case FeatureReason::ok: return "ok";
    case FeatureReason::empty_mask: return "empty_mask";
    case FeatureReason::non_finite_value: return "non_finite_value";
    case FeatureReason::constant_map: return "constant_map";
    case FeatureReason::degenerate_shape: return "degenerate_shape";
    case FeatureReason::roi_missing: return "roi_missing";
    case FeatureReason::no_neighbor_pairs: return "no_neighbor_pairs";
    case FeatureReason::too_many_gray_levels: return "too_many_gray_levels";
  }
  return "unknown";
}

// Column indices of each family's output rows (first_order::kKurtosis, …); the registry arrays below list the same
// features in the same order (checked at compile time at the end of this file).
namespace first_order {
enum Column : int {
  kEnergy, kTotalEnergy, kEntropy, kMinimum, k10Percentile, k90Percentile, kMaximum, kMean, kMedian,
  kInterquartileRange, kRange, kMeanAbsoluteDeviation, kRobustMeanAbsoluteDeviation, kRootMeanSquared,
  kStandardDeviation, kSkewness, kKurtosis, kVariance, kUniformity, kIdealKurtosis, kColumns
};
}  // namespace first_order

namespace shape2d {
enum Column : int {
  kMeshSurface, kPixelSurface, kPerimeter, kPerimeterSurfaceRatio, kSphericity, kSphericalDisproportion,
  kMaximumDiameter, kMajorAxisLength, kMinorAxisLength, kElongation, kColumns
};
}  // namespace shape2d

namespace alignment {
enum Column : int { kHardDice, kSoftDice, kAuprc, kPointingHit, kColumns };
}  // namespace alignment

namespace glcm {
enum Column : int {
  kAutocorrelation, kJointAverage, kClusterProminence, kClusterShade, kClusterTendency, kContrast, kCorrelation,
  kDifferenceAverage, kDifferenceEntropy, kDifferenceVariance, kJointEnergy, kJointEntropy, kImc1, kImc2, kIdm, kMcc,
  kIdmn, kId, kIdn, kInverseVariance, kMaximumProbability, kSumAverage, kSumEntropy, kSumSquares, kColumns
};
}  // namespace glcm

inline constexpr std::array<CriterionInfo, first_order::kColumns> kFirstOrderFeatures{{
    {"firstorder_Energy", "firstorder", Direction::descending, "sum of squared (shifted) values"},
    {"firstorder_TotalEnergy", "firstorder", Direction::descending, "Energy times the pixel area"},
    {"firstorder_Entropy", "firstorder", Direction::descending, "log2 entropy of the binned histogram"},
    {"firstorder_Minimum", "firstorder", Direction::descending, "smallest value"},
    {"firstorder_10Percentile", "firstorder", Direction::descending, "10th percentile (linear)"},
    {"firstorder_90Percentile", "firstorder", Direction::descending, "90th percentile (linear)"},
    {"firstorder_Maximum", "firstorder", Direction::descending, "largest value"},
    {"firstorder_Mean", "firstorder", Direction::descending, "mean value"},
    {"firstorder_Median", "firstorder", Direction::descending, "median value"},
    {"firstorder_InterquartileRange", "firstorder", Direction::descending, "P75 - P25"},
    {"firstorder_Range", "firstorder", Direction::descending, "Maximum - Minimum"},
    {"firstorder_MeanAbsoluteDeviation", "firstorder", Direction::descending, "mean |x - mean|"},
    {"firstorder_RobustMeanAbsoluteDeviation", "firstorder", Direction::descending,
     "mean absolute deviation of the values between P10 and P90"},
    {"firstorder_RootMeanSquared", "firstorder", Direction::descending, "sqrt(Energy / N)"},
    {"firstorder_StandardDeviation", "firstorder", Direction::descending, "sqrt(Variance)"},
    {"firstorder_Skewness", "firstorder", Direction::descending, "m3 / m2^1.5"},
    {"firstorder_Kurtosis", "firstorder", Direction::descending, "m4 / m2^2 (not excess)"},
    {"firstorder_Variance", "firstorder", Direction::descending, "m2, dividing by N"},
    {"firstorder_Uniformity", "firstorder", Direction::descending, "sum of squared bin probabilities"},
    {"ideal_Kurtosis", "firstorder", Direction::descending,
     "IDEAL's histogram kurtosis score k(H(S)): Pearson kurtosis of the masked saliency values"},
}};

inline constexpr std::array<CriterionInfo, shape2d::kColumns> kShape2DFeatures{{
    {"shape2D_MeshSurface", "shape2D", Direction::descending, "area enclosed by the marching-squares contour"},
    {"shape2D_PixelSurface", "shape2D", Direction::descending, "number of pixels times the pixel area"},
    {"shape2D_Perimeter", "shape2D", Direction::descending, "length of the marching-squares contour"},
    {"shape2D_PerimeterSurfaceRatio", "shape2D", Direction::descending, "Perimeter / MeshSurface"},
    {"shape2D_Sphericity", "shape2D", Direction::descending, "2 sqrt(pi A) / P"},
    {"shape2D_SphericalDisproportion", "shape2D", Direction::descending, "P / (2 sqrt(pi A))"},
    {"shape2D_MaximumDiameter", "shape2D", Direction::descending, "largest distance between contour vertices"},
    {"shape2D_MajorAxisLength", "shape2D", Direction::descending, "4 sqrt(lambda_major)"},
    {"shape2D_MinorAxisLength", "shape2D", Direction::descending, "4 sqrt(lambda_minor)"},
    {"shape2D_Elongation", "shape2D", Direction::descending, "sqrt(lambda_minor / lambda_major)"},
}};

inline constexpr std::array<CriterionInfo, alignment::kColumns> kAlignmentFeatures{{
    {"alignment_HardDice", "alignment", Direction::ascending,
     "Dice of the min-max scaled map thresholded at tau with the ROI (EG-AL; 1 - misalignment)"},
    {"alignment_SoftDice", "alignment", Direction::ascending,
     "2 sum(G R) / (sum G + sum R) of the scaled map G and the ROI R"},
    {"alignment_AUPRC", "alignment", Direction::ascending,
     "average precision of the map's pixels as scores for the ROI (WILDCAT localisation utility)"},
    {"alignment_PointingHit", "alignment", Direction::ascending,
     "1 when a pixel holding the map's maximum lies inside the ROI, else 0"},
}};

// GLCM (glcm.h): p(i,j) the symmetric co-occurrence probabilities, averaged over the angles.
inline constexpr std::array<CriterionInfo, glcm::kColumns> kGlcmFeatures{{
    {"glcm_Autocorrelation", "glcm", Direction::descending, "sum of i j p(i,j): fineness and coarseness"},
    {"glcm_JointAverage", "glcm", Direction::descending, "mean gray level i under p(i,j)"},
    {"glcm_ClusterProminence", "glcm", Direction::descending, "4th moment of i + j about 2 mu: skewness"},
    {"glcm_ClusterShade", "glcm", Direction::descending, "3rd moment of i + j about 2 mu: asymmetry"},
    {"glcm_ClusterTendency", "glcm", Direction::descending, "2nd moment of i + j about 2 mu: grouping"},
    {"glcm_Contrast", "glcm", Direction::descending, "mean squared level difference of neighbours"},
    {"glcm_Correlation", "glcm", Direction::descending, "linear dependency of neighbouring levels"},
    {"glcm_DifferenceAverage", "glcm", Direction::descending, "mean |i - j| of neighbours"},
    {"glcm_DifferenceEntropy", "glcm", Direction::descending, "log2 entropy of the |i - j| distribution"},
    {"glcm_DifferenceVariance", "glcm", Direction::descending, "variance of the |i - j| distribution"},
    {"glcm_JointEnergy", "glcm", Direction::descending, "sum of p(i,j)^2 (angular second moment)"},
    {"glcm_JointEntropy", "glcm", Direction::descending, "log2 entropy of p(i,j)"},
    {"glcm_Imc1", "glcm", Direction::descending, "informational measure of correlation 1"},
    {"glcm_Imc2", "glcm", Direction::descending, "informational measure of correlation 2"},
    {"glcm_Idm", "glcm", Direction::descending, "inverse difference moment (homogeneity 2)"},
    {"glcm_MCC", "glcm", Direction::descending, "maximal correlation coefficient"},
    {"glcm_Idmn", "glcm", Direction::descending, "inverse difference moment normalised by Ng^2"},
    {"glcm_Id", "glcm", Direction::descending, "inverse difference (homogeneity 1)"},
    {"glcm_Idn", "glcm", Direction::descending, "inverse difference normalised by Ng"},
    {"glcm_InverseVariance", "glcm", Direction::descending, "sum over i != j of p(i,j) / (i - j)^2"},
    {"glcm_MaximumProbability", "glcm", Direction::descending, "largest p(i,j)"},
    {"glcm_SumAverage", "glcm", Direction::descending, "mean i + j of neighbours"},
    {"glcm_SumEntropy", "glcm", Direction::descending, "log2 entropy of the i + j distribution"},
    {"glcm_SumSquares", "glcm", Direction::descending, "variance of i under p(i,j)"},
}};

/// Every registered feature, in family order.
inline constexpr std::size_t kFeatureCount =
    first_order::kColumns + shape2d::kColumns + alignment::kColumns + glcm::kColumns;

constexpr CriterionInfo feature_info(std::size_t index) {
  if (index < kFirstOrderFeatures.size()) return kFirstOrderFeatures[index];
  index -= kFirstOrderFeatures.size();
  if (index < kShape2DFeatures.size()) return kShape2DFeatures[index];
  index -= kShape2DFeatures.size();
  if (index < kAlignmentFeatures.size()) return kAlignmentFeatures[index];
  return kGlcmFeatures[index - kAlignmentFeatures.size()];
}

namespace detail {
template <std::size_t N>
constexpr bool column_is(const std::array<CriterionInfo, N>& features, int column, std::string_view name) {
  return std::string_view(features[static_cast<std::size_t>(column)].name) == name;
}
}  // namespace detail

static_assert(detail::column_is(kFirstOrderFeatures, first_order::kEnergy, "firstorder_Energy") &&
              detail::column_is(kFirstOrderFeatures, first_order::kTotalEnergy, "firstorder_TotalEnergy") &&
              detail::column_is(kFirstOrderFeatures, first_order::kEntropy, "firstorder_Entropy") &&
              detail::column_is(kFirstOrderFeatures, first_order::kMinimum, "firstorder_Minimum") &&
              detail::column_is(kFirstOrderFeatures, first_order::k10Percentile, "firstorder_10Percentile") &&
              detail::column_is(kFirstOrderFeatures, first_order::k90Percentile, "firstorder_90Percentile") &&
              detail::column_is(kFirstOrderFeatures, first_order::kMaximum, "firstorder_Maximum") &&
              detail::column_is(kFirstOrderFeatures, first_order::kMean, "firstorder_Mean") &&
              detail::column_is(kFirstOrderFeatures, first_order::kMedian, "firstorder_Median") &&
              detail::column_is(kFirstOrderFeatures, first_order::kInterquartileRange, "firstorder_InterquartileRange") &&
              detail::column_is(kFirstOrderFeatures, first_order::kRange, "firstorder_Range") &&
              detail::column_is(kFirstOrderFeatures, first_order::kMeanAbsoluteDeviation, "firstorder_MeanAbsoluteDeviation") &&
              detail::column_is(kFirstOrderFeatures, first_order::kRobustMeanAbsoluteDeviation,
                                "firstorder_RobustMeanAbsoluteDeviation") &&
              detail::column_is(kFirstOrderFeatures, first_order::kRootMeanSquared, "firstorder_RootMeanSquared") &&
              detail::column_is(kFirstOrderFeatures, first_order::kStandardDeviation, "firstorder_StandardDeviation") &&
              detail::column_is(kFirstOrderFeatures, first_order::kSkewness, "firstorder_Skewness") &&
              detail::column_is(kFirstOrderFeatures, first_order::kKurtosis, "firstorder_Kurtosis") &&
              detail::column_is(kFirstOrderFeatures, first_order::kVariance, "firstorder_Variance") &&
              detail::column_is(kFirstOrderFeatures, first_order::kUniformity, "firstorder_Uniformity") &&
              detail::column_is(kFirstOrderFeatures, first_order::kIdealKurtosis, "ideal_Kurtosis"),
              "FirstOrderColumn and kFirstOrderFeatures disagree");
static_assert(detail::column_is(kShape2DFeatures, shape2d::kMeshSurface, "shape2D_MeshSurface") &&
              detail::column_is(kShape2DFeatures, shape2d::kPixelSurface, "shape2D_PixelSurface") &&
              detail::column_is(kShape2DFeatures, shape2d::kPerimeter, "shape2D_Perimeter") &&
              detail::column_is(kShape2DFeatures, shape2d::kPerimeterSurfaceRatio, "shape2D_PerimeterSurfaceRatio") &&
              detail::column_is(kShape2DFeatures, shape2d::kSphericity, "shape2D_Sphericity") &&
              detail::column_is(kShape2DFeatures, shape2d::kSphericalDisproportion, "shape2D_SphericalDisproportion") &&
              detail::column_is(kShape2DFeatures, shape2d::kMaximumDiameter, "shape2D_MaximumDiameter") &&
              detail::column_is(kShape2DFeatures, shape2d::kMajorAxisLength, "shape2D_MajorAxisLength") &&
              detail::column_is(kShape2DFeatures, shape2d::kMinorAxisLength, "shape2D_MinorAxisLength") &&
              detail::column_is(kShape2DFeatures, shape2d::kElongation, "shape2D_Elongation"),
              "Shape2DColumn and kShape2DFeatures disagree");
static_assert(detail::column_is(kAlignmentFeatures, alignment::kHardDice, "alignment_HardDice") &&
              detail::column_is(kAlignmentFeatures, alignment::kSoftDice, "alignment_SoftDice") &&
              detail::column_is(kAlignmentFeatures, alignment::kAuprc, "alignment_AUPRC") &&
              detail::column_is(kAlignmentFeatures, alignment::kPointingHit, "alignment_PointingHit"),
              "AlignmentColumn and kAlignmentFeatures disagree");
static_assert(detail::column_is(kGlcmFeatures, glcm::kAutocorrelation, "glcm_Autocorrelation") &&
              detail::column_is(kGlcmFeatures, glcm::kJointAverage, "glcm_JointAverage") &&
              detail::column_is(kGlcmFeatures, glcm::kClusterProminence, "glcm_ClusterProminence") &&
              detail::column_is(kGlcmFeatures, glcm::kClusterShade, "glcm_ClusterShade") &&
              detail::column_is(kGlcmFeatures, glcm::kClusterTendency, "glcm_ClusterTendency") &&
              detail::column_is(kGlcmFeatures, glcm::kContrast, "glcm_Contrast") &&
              detail::column_is(kGlcmFeatures, glcm::kCorrelation, "glcm_Correlation") &&
              detail::column_is(kGlcmFeatures, glcm::kDifferenceAverage, "glcm_DifferenceAverage") &&
              detail::column_is(kGlcmFeatures, glcm::kDifferenceEntropy, "glcm_DifferenceEntropy") &&
              detail::column_is(kGlcmFeatures, glcm::kDifferenceVariance, "glcm_DifferenceVariance") &&
              detail::column_is(kGlcmFeatures, glcm::kJointEnergy, "glcm_JointEnergy") &&
              detail::column_is(kGlcmFeatures, glcm::kJointEntropy, "glcm_JointEntropy") &&
              detail::column_is(kGlcmFeatures, glcm::kImc1, "glcm_Imc1") &&
              detail::column_is(kGlcmFeatures, glcm::kImc2, "glcm_Imc2") &&
              detail::column_is(kGlcmFeatures, glcm::kIdm, "glcm_Idm") &&
              detail::column_is(kGlcmFeatures, glcm::kMcc, "glcm_MCC") &&
              detail::column_is(kGlcmFeatures, glcm::kIdmn, "glcm_Idmn") &&
              detail::column_is(kGlcmFeatures, glcm::kId, "glcm_Id") &&
              detail::column_is(kGlcmFeatures, glcm::kIdn, "glcm_Idn") &&
              detail::column_is(kGlcmFeatures, glcm::kInverseVariance, "glcm_InverseVariance") &&
              detail::column_is(kGlcmFeatures, glcm::kMaximumProbability, "glcm_MaximumProbability") &&
              detail::column_is(kGlcmFeatures, glcm::kSumAverage, "glcm_SumAverage") &&
              detail::column_is(kGlcmFeatures, glcm::kSumEntropy, "glcm_SumEntropy") &&
              detail::column_is(kGlcmFeatures, glcm::kSumSquares, "glcm_SumSquares"),
              "GlcmColumn and kGlcmFeatures disagree");

}  // namespace salient::kernels
