#include "engine/selection/k_center.h"

#include <cmath>
#include <limits>

#include "engine/selection/embedding_math.h"
#include "salient/check.h"

namespace salient::selection {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

}  // namespace

KCenterPicks k_center_greedy(const EmbeddingRows& rows, const std::vector<std::uint8_t>& centers,
                             const std::vector<std::uint8_t>& eligible, std::int64_t count) {
  const auto n = static_cast<std::size_t>(rows.n);
  const auto dim = static_cast<std::size_t>(rows.dim);
  SALIENT_CHECK(centers.size() == n && eligible.size() == n,
                "k-center greedy: {} center and {} eligible flags for {} rows", centers.size(), eligible.size(), n);
  const auto row = [&](std::size_t i) { return rows.values + i * dim; };

  // A row with a non-finite feature has no distance: as a center it covers nothing, as a
  // candidate it comes after every other one (NaN distance).
  std::vector<std::uint8_t> usable(n);
  for (std::size_t i = 0; i < n; ++i) usable[i] = all_finite(row(i), rows.dim) ? 1 : 0;
  // nearest[i]: squared distance of open row i to its nearest center (∞ before any).
  std::vector<double> nearest(n, kInfinity);
  std::vector<std::uint8_t> open(eligible);
  std::vector<double> center(dim);
  const auto add_center = [&](const double* c) {
    for (std::size_t i = 0; i < n; ++i) {
      if (open[i] != 0 && usable[i] != 0) nearest[i] = std::min(nearest[i], squared_distance(row(i), c, rows.dim));
    }
  };
  const auto add_row_as_center = [&](std::size_t c) {
    if (usable[c] == 0) return;
    for (std::size_t j = 0; j < dim; ++j) center[j] = row(c)[j];
    add_center(center.data());
  };

  bool any_center = false;
  for (std::size_t c = 0; c < n; ++c) {
    if (centers[c] != 0 && usable[c] != 0) {
      add_row_as_center(c);
      any_center = true;
    }
  }
  if (!any_center) {
    // No labeled image yet: start from the mean of the usable candidates, so that the first
    // pick is the most central one and the greedy spreads out from it.
    std::fill(center.begin(), center.end(), 0.0);
    double rows_in_mean = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      if (open[i] == 0 || usable[i] == 0) continue;
      for (std::size_t j = 0; j < dim; ++j) center[j] += row(i)[j];
      rows_in_mean += 1.0;
    }
    for (auto& value : center) value /= std::max(rows_in_mean, 1.0);
    add_center(center.data());
  }

  KCenterPicks result;
  bool first = !any_center;
  while (static_cast<std::int64_t>(result.picked.size()) < count) {
    // The open usable row farthest from its nearest center (nearest the mean for the first
    // pick without centers), ties to the lower position; then the unusable ones in order.
    std::size_t best = n;
    for (std::size_t i = 0; i < n; ++i) {
      if (open[i] == 0 || usable[i] == 0) continue;
      if (best == n || (first ? nearest[i] < nearest[best] : nearest[i] > nearest[best])) best = i;
    }
    const bool found_usable = best != n;
    for (std::size_t i = 0; best == n && i < n; ++i) {
      if (open[i] != 0) best = i;
    }
    if (best == n) break;
    result.picked.push_back(static_cast<std::int64_t>(best));
    result.distances.push_back(found_usable ? std::sqrt(nearest[best]) : std::numeric_limits<double>::quiet_NaN());
    open[best] = 0;
    if (first) {
      // The mean was no center: distances start from the first pick.
      std::fill(nearest.begin(), nearest.end(), kInfinity);
      first = false;
    }
    add_row_as_center(best);
  }
  return result;
}

}  // namespace salient::selection
