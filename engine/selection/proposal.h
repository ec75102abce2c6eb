// One rank's candidate for the next pick of a greedy selection across ranks (k-center,
// BADGE), and the rule every rank applies to the gathered proposals to agree on one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace salient::selection {

struct Proposal {
  enum Kind : std::int32_t { none = 0, unusable = 1, usable = 2 };
  std::int32_t kind = none;
  std::int64_t global_index = 0;
  double value = 0.0;  ///< what the greedy compares: a squared distance or ‖g‖²
};

/// The winning proposal's rank: a usable one of largest value (smallest when
/// @p smallest_wins), ties by global index; else the unusable one of lowest global index;
/// proposals.size() when every rank proposes none.
inline std::size_t winning_proposal(const std::vector<Proposal>& proposals, bool smallest_wins = false) {
  std::size_t best = proposals.size();
  for (std::size_t r = 0; r < proposals.size(); ++r) {
    const auto& p = proposals[r];
    if (p.kind == Proposal::none) continue;
    if (best == proposals.size()) {
      best = r;
      continue;
    }
    const auto& b = proposals[best];
    if (p.kind != b.kind) {
      if (p.kind == Proposal::usable) best = r;
      continue;
    }
    const bool tie = p.kind == Proposal::unusable || p.value == b.value;
    const bool better = !tie && (smallest_wins ? p.value < b.value : p.value > b.value);
    if (better || (tie && p.global_index < b.global_index)) best = r;
  }
  return best;
}

}  // namespace salient::selection
