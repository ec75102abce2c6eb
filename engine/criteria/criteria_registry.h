// Every criterion `salient score` computes: its name (the column of the score tables), family,
// direction and meaning, taken from the family table (criterion_families.h) in its order, so
// that a request names the model passes a batch needs (criteria_request.h).
// docs/formulas.md "Criteria of `salient score`" lists them with their inputs.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/criteria/criterion_families.h"

namespace salient::criteria {

/// A criterion is one output of one family: (family, output) together name it, and
/// `derivation` says how its value follows from that output.
struct CriterionEntry {
  kernels::CriterionInfo info;
  std::size_t family;  ///< index into criterion_families()
  int output;          ///< the kernel output it reads
  Derivation derivation = Derivation::value;
};

/// The value of @p entry from its kernel output @p output.
constexpr double derive(const CriterionEntry& entry, double output) {
  return entry.derivation == Derivation::one_minus ? 1.0 - output : output;
}

/// Every criterion, grouped by family in the order of criterion_families(); names are unique.
const std::vector<CriterionEntry>& all_criteria();

/// The family of @p entry.
const CriterionFamily& family_of(const CriterionEntry& entry);

/// The entry named @p name, or nullptr.
const CriterionEntry* find_criterion(std::string_view name);

/// The entry named @p name; throws salient::Error listing every known name otherwise.
const CriterionEntry& criterion(std::string_view name);

/// Every known name, comma-separated, in registry order.
std::string known_criteria_names();

/// A table for `--help`: one line per family with what it needs, then its names.
std::string criteria_help();

}  // namespace salient::criteria
