#include "engine/cli/selection_summary.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace salient::cli {

void print_selection_summary(const round::SelectOutcome& outcome) {
  const auto& chosen = outcome.selection;
  spdlog::info("{}: selected {} of {} candidates ({} already labeled, {} unscored), ranked by {}",
               chosen.label, chosen.selected.size(), chosen.candidates - chosen.labeled,
               chosen.labeled, outcome.unscored_images, chosen.score_name);
  for (const auto& use : chosen.criteria) {
    if (use.nan_count > 0) spdlog::warn("{} is undefined (NaN) for {} candidates: ranked last", use.name, use.nan_count);
  }
  constexpr std::size_t kShown = 10;
  fmt::print("{:>5}  {:<24} {:>16}\n", "rank", "id", chosen.score_name);
  for (std::size_t i = 0; i < std::min(kShown, chosen.selected.size()); ++i) {
    const auto& candidate = chosen.selected[i];
    fmt::print("{:>5}  {:<24} {:>16.6g}\n", candidate.position, candidate.id, candidate.score);
  }
  if (chosen.selected.size() > kShown) fmt::print("  ... {} more\n", chosen.selected.size() - kShown);
  fmt::print("selection: {}\n", outcome.csv_path);
  if (!outcome.montage_path.empty()) fmt::print("montage:   {}\n", outcome.montage_path);
}

}  // namespace salient::cli
