// Every criterion `salient score` computes: its name (the column of the score tables), family,
// direction and meaning, and what of a batch it is computed from, so that a request names
// the model passes a batch needs (criteria_request.h). Map features come from the kernels'
// registry (salient/kernels/feature_registry.h), prediction criteria from uncertainty.h and
// patch_criteria.h; docs/formulas.md "Criteria of `salient score`" lists them with their inputs.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "salient/kernels/criterion.h"
#include "salient/kernels/feature_registry.h"
#include "salient/kernels/patch_criteria.h"
#include "salient/kernels/uncertainty.h"

namespace salient::criteria {

/// What a criterion is computed from, and by which kernel.
enum class Source : std::uint8_t {
  prediction,   ///< one forward pass's class probabilities, kernels::uncertainty_criteria with T = 1
  mc_dropout,   ///< T MC-dropout samples (models::mc_dropout_probabilities), kernels::uncertainty_criteria
  patches,      ///< m ACFT views (models::patch_probabilities), kernels::patch_criteria
  first_order,  ///< the saliency map, kernels::compute_first_order
  glcm,         ///< the saliency map, kernels::compute_glcm
  shape2d,      ///< the saliency map, kernels::compute_shape2d
  alignment,    ///< the saliency map and the ROI mask, kernels::compute_alignment
};
inline constexpr int kSourceCount = 7;

/// Fields of kernels::UncertaintyCriteria, in the order of kernels::kUncertaintyCriteria.
enum UncertaintyField : int { kEntropy, kMargin, kLeastConfidence, kMcVariance, kBald };
/// Fields of kernels::PatchCriteria, in the order of kernels::kPatchCriteria.
enum PatchField : int { kAcftEntropy, kAcftDiversity, kAcftScore };
/// How a criterion's value follows from the kernel output it reads.
enum class Derivation : std::uint8_t {
  value,          ///< the output itself
  one_minus,      ///< 1 − the output (EG-AL's misalignment from alignment_HardDice)
};

/// A criterion is one output of one kernel family: (source, column) together name it, and
/// `derivation` says how its value follows from that output.
struct CriterionEntry {
  kernels::CriterionInfo info;
  Source source;
  int column;  ///< the column (map families) or field (prediction families) of its kernel's output
  Derivation derivation = Derivation::value;
};

/// The value of @p entry from the output @p output of its source's column.
constexpr double derive(const CriterionEntry& entry, double output) {
  return entry.derivation == Derivation::one_minus ? 1.0 - output : output;
}

namespace detail {
inline constexpr kernels::CriterionInfo kMisalignment{
    "alignment_Misalignment", "alignment", kernels::Direction::descending,
    "EG-AL's explanation misalignment D_exp = 1 - alignment_HardDice"};
inline constexpr kernels::CriterionInfo kMcEntropy{"mc_entropy", "uncertainty", kernels::Direction::descending,
                                                   "entropy of the mean of the T MC-dropout samples"};

inline constexpr std::size_t kCriterionCount = 3 + 3 + 3 + kernels::kFeatureCount + 1;

constexpr std::array<CriterionEntry, kCriterionCount> make_registry() {
  std::array<CriterionEntry, kCriterionCount> all{};
  std::size_t next = 0;
  for (const int field : {kEntropy, kMargin, kLeastConfidence}) {
    all[next++] = {kernels::kUncertaintyCriteria[field], Source::prediction, field};
  }
  all[next++] = {kMcEntropy, Source::mc_dropout, kEntropy};
  all[next++] = {kernels::kUncertaintyCriteria[kMcVariance], Source::mc_dropout, kMcVariance};
  all[next++] = {kernels::kUncertaintyCriteria[kBald], Source::mc_dropout, kBald};
  for (const int field : {kAcftEntropy, kAcftDiversity, kAcftScore}) {
    all[next++] = {kernels::kPatchCriteria[field], Source::patches, field};
  }
  for (int c = 0; c < kernels::first_order::kColumns; ++c) {
    all[next++] = {kernels::kFirstOrderFeatures[static_cast<std::size_t>(c)], Source::first_order, c};
  }
  for (int c = 0; c < kernels::glcm::kColumns; ++c) {
    all[next++] = {kernels::kGlcmFeatures[static_cast<std::size_t>(c)], Source::glcm, c};
  }
  for (int c = 0; c < kernels::shape2d::kColumns; ++c) {
    all[next++] = {kernels::kShape2DFeatures[static_cast<std::size_t>(c)], Source::shape2d, c};
  }
  for (int c = 0; c < kernels::alignment::kColumns; ++c) {
    all[next++] = {kernels::kAlignmentFeatures[static_cast<std::size_t>(c)], Source::alignment, c};
  }
  all[next++] = {kMisalignment, Source::alignment, kernels::alignment::kHardDice, Derivation::one_minus};
  return all;
}

constexpr bool names_unique(const std::array<CriterionEntry, kCriterionCount>& all) {
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (std::size_t j = i + 1; j < all.size(); ++j) {
      if (std::string_view(all[i].info.name) == std::string_view(all[j].info.name)) return false;
    }
  }
  return true;
}
}  // namespace detail

/// Every criterion, grouped by source in the order of Source.
inline constexpr std::array<CriterionEntry, detail::kCriterionCount> kCriteria = detail::make_registry();
static_assert(detail::names_unique(kCriteria), "two criteria share a name");

/// "prediction", "mc_dropout", "patches", "firstorder", "glcm", "shape2D", "alignment".
std::string_view source_name(Source source);

/// "probabilities", "MC-dropout samples", "ACFT views", "saliency map", "saliency map + ROI mask".
std::string_view source_needs(Source source);

/// The entry named @p name, or nullptr.
const CriterionEntry* find_criterion(std::string_view name);

/// The entry named @p name; throws salient::Error listing every known name otherwise.
const CriterionEntry& criterion(std::string_view name);

/// Every known name, comma-separated, in registry order.
std::string known_criteria_names();

/// A table for `--help`: one line per family with what it needs, then its names.
std::string criteria_help();

}  // namespace salient::criteria
