// What every criterion declares about itself: its name (the column name in score tables
// and in docs/formulas.md), its family, and which direction is more informative.
#pragma once

namespace salient::kernels {

/// Which end of a criterion is ranked first (rank 1 = most informative).
enum class Direction {
  descending,  ///< larger values are more informative
  ascending,   ///< smaller values are more informative
};

struct CriterionInfo {
  const char* name;
  const char* family;
  Direction direction;
  const char* meaning;
};

}  // namespace salient::kernels
