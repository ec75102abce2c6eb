// Which criteria (score-table columns) a strategy reads, with the direction in which they
// are informative (each strategy's descriptor in strategy_table.cpp says which), and IDEAL
// Table I's selected radiomics features under the names of salient's registries
// (docs/formulas.md "Strategies"). `salient score` asks this which criteria to compute; the
// selector reads exactly these columns.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "engine/selection/strategy_spec.h"
#include "salient/kernels/criterion.h"

namespace salient::selection {

/// IDEAL (Mahapatra et al.) Table I, "Radiomics-First Order": Kurtosis, Skewness, Entropy,
/// Total Energy.
inline constexpr std::array<const char*, 4> kIdealFirstOrderFeatures{
    {"firstorder_Kurtosis", "firstorder_Skewness", "firstorder_Entropy", "firstorder_TotalEnergy"}};
/// Table I, "Radiomics-GLCM": Sum Entropy, Inverse Difference Normalized, Difference
/// Entropy, Maximal Correlation Coefficient.
inline constexpr std::array<const char*, 4> kIdealGlcmFeatures{
    {"glcm_SumEntropy", "glcm_Idn", "glcm_DifferenceEntropy", "glcm_MCC"}};
/// Table I, "Radiomics-Shape": Sphericity, Spherical Disproportion, Elongation.
inline constexpr std::array<const char*, 3> kIdealShapeFeatures{
    {"shape2D_Sphericity", "shape2D_SphericalDisproportion", "shape2D_Elongation"}};

/// The column EG-AL's misalignment comes from: D_exp = 1 − alignment_HardDice.
inline constexpr const char* kEgAlDiceCriterion = "alignment_HardDice";

struct StrategyCriterion {
  std::string name;              ///< column of the criteria table
  kernels::Direction direction;  ///< which end is informative (before --reverse)
};

/// The criterion called @p name in the one list `salient score` computes from
/// (criteria::all_criteria()), or nullptr.
const kernels::CriterionInfo* find_registered_criterion(std::string_view name);

/// The columns @p spec reads, in the order they are reported. random reads none; a borda
/// entry without a direction must name a registered criterion (salient::Error otherwise).
std::vector<StrategyCriterion> strategy_criteria(const StrategySpec& spec);

}  // namespace salient::selection
