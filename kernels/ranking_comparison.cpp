#include "salient/kernels/ranking_comparison.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "salient/check.h"

namespace salient::kernels {

double ndcg(const std::vector<std::int64_t>& ranking, const std::vector<std::int64_t>& reference, std::int64_t p) {
  SALIENT_CHECK(p >= 1, "nDCG needs p >= 1, got {}", p);
  SALIENT_CHECK(static_cast<std::int64_t>(reference.size()) >= p,
                "nDCG_{} needs a reference of at least {} images, got {}", p, p, reference.size());
  std::unordered_map<std::int64_t, double> relevance;
  for (std::int64_t r = 1; r <= p; ++r) {
    const bool first_time = relevance.emplace(reference[r - 1], 1.0 + 0.5 * static_cast<double>(p - r)).second;
    SALIENT_CHECK(first_time, "nDCG reference ranking repeats image {}", reference[r - 1]);
  }
  auto dcg = [&](const std::vector<std::int64_t>& list) {
    double sum = 0.0;
    const std::int64_t places = std::min<std::int64_t>(p, static_cast<std::int64_t>(list.size()));
    for (std::int64_t i = 1; i <= places; ++i) {
      const auto found = relevance.find(list[i - 1]);
      const double rel = found == relevance.end() ? 0.0 : found->second;
      sum += (std::exp2(rel) - 1.0) / std::log2(static_cast<double>(i) + 1.0);
    }
    return sum;
  };
  return dcg(ranking) / dcg(reference);
}

double common_fraction(const std::vector<std::vector<std::int64_t>>& selections) {
  SALIENT_CHECK(selections.size() >= 2, "common fraction needs at least two selections, got {}", selections.size());
  std::size_t smallest = selections.front().size();
  std::unordered_map<std::int64_t, std::size_t> selected_by;  // id -> number of selections holding it
  for (const auto& selection : selections) {
    const std::unordered_set<std::int64_t> ids(selection.begin(), selection.end());
    SALIENT_CHECK(!ids.empty(), "common fraction of an empty selection is undefined");
    smallest = std::min(smallest, ids.size());
    for (const auto id : ids) ++selected_by[id];
  }
  const auto common = std::count_if(selected_by.begin(), selected_by.end(),
                                    [&](const auto& entry) { return entry.second == selections.size(); });
  return static_cast<double>(common) / static_cast<double>(smallest);
}

}  // namespace salient::kernels
