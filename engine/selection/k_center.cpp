#include "engine/selection/k_center.h"

#include <cmath>
#include <limits>

#include "engine/selection/embedding_math.h"
#include "engine/selection/exact_means.h"
#include "engine/selection/proposal.h"
#include "salient/check.h"

namespace salient::selection {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

KCenterPicks k_center_greedy(const EmbeddingRows& rows, const std::vector<std::uint8_t>& centers,
                             const std::vector<std::uint8_t>& eligible, std::int64_t count,
                             const std::int64_t* global_index, RankGroup& group) {
  const auto n = static_cast<std::size_t>(rows.n);
  const auto dim = static_cast<std::size_t>(rows.dim);
  SALIENT_CHECK(centers.size() == n && eligible.size() == n,
                "k-center greedy: {} center and {} eligible flags for {} rows", centers.size(), eligible.size(), n);
  const auto row = [&](std::size_t i) { return rows.values + i * dim; };
  const auto index_of = [&](std::size_t i) { return global_index != nullptr ? global_index[i] : std::int64_t(i); };

  // A row with a non-finite feature has no distance: as a center it covers nothing, as a
  // candidate it comes after every other one (NaN distance).
  std::vector<std::uint8_t> usable(n);
  for (std::size_t i = 0; i < n; ++i) usable[i] = all_finite(row(i), rows.dim) ? 1 : 0;
  // nearest[i]: squared distance of open row i to its nearest center (∞ before any).
  std::vector<double> nearest(n, kInfinity);
  std::vector<std::uint8_t> open(eligible);
  const auto add_center = [&](const double* c) {
    for (std::size_t i = 0; i < n; ++i) {
      if (open[i] != 0 && usable[i] != 0) nearest[i] = std::min(nearest[i], squared_distance(row(i), c, rows.dim));
    }
  };
  std::vector<double> center(dim);
  const auto add_row_as_center = [&](const float* values) {
    for (std::size_t j = 0; j < dim; ++j) center[j] = values[j];
    add_center(center.data());
  };

  std::vector<float> mine;  // this rank's usable centers
  for (std::size_t c = 0; c < n; ++c) {
    if (centers[c] != 0 && usable[c] != 0) mine.insert(mine.end(), row(c), row(c) + dim);
  }
  const auto all_centers = all_gather_values(group, mine);
  for (std::size_t at = 0; at + dim <= all_centers.size() && dim > 0; at += dim) add_row_as_center(&all_centers[at]);
  bool first = all_centers.empty();
  if (first) {
    // No labeled image yet: start from the mean of the usable candidates, so that the first
    // pick is the most central one and the greedy spreads out from it.
    std::vector<std::int32_t> counted(n, -1);
    for (std::size_t i = 0; i < n; ++i) counted[i] = open[i] != 0 && usable[i] != 0 ? 0 : -1;
    add_center(exact_group_means(rows, counted, 1, group, "k-center greedy").means.data());
  }

  KCenterPicks result;
  std::vector<float> embedding(dim);
  while (static_cast<std::int64_t>(result.picked.size()) < count) {
    // This rank's open usable row farthest from its nearest center (nearest the mean for the
    // first pick without centers), ties to the lower index; else its first unusable one.
    std::size_t best = n;
    for (std::size_t i = 0; i < n; ++i) {
      if (open[i] == 0 || usable[i] == 0) continue;
      if (best == n || (first ? nearest[i] < nearest[best] : nearest[i] > nearest[best])) best = i;
    }
    Proposal proposal;
    if (best != n) {
      proposal = {Proposal::usable, index_of(best), nearest[best]};
    } else {
      for (std::size_t i = 0; best == n && i < n; ++i)
        if (open[i] != 0) best = i;
      if (best != n) proposal = {Proposal::unusable, index_of(best), kNaN};
    }
    Message message;
    message.put(proposal);
    if (proposal.kind == Proposal::usable) message.put_all(row(best), dim);
    const auto sent = group.all_gather(message.bytes());
    std::vector<Proposal> proposals;
    for (const auto& bytes : sent) proposals.push_back(MessageReader(bytes).get<Proposal>());
    const auto from = winning_proposal(proposals, first);
    if (from == proposals.size()) break;
    const auto& won = proposals[from];
    result.picked.push_back(won.global_index);
    result.distances.push_back(won.kind == Proposal::usable ? std::sqrt(won.value) : kNaN);
    if (static_cast<int>(from) == group.rank()) open[best] = 0;
    if (first) {
      // The mean was no center: distances start from the first pick.
      std::fill(nearest.begin(), nearest.end(), kInfinity);
      first = false;
    }
    if (won.kind == Proposal::usable) {
      MessageReader reader(sent[from]);
      reader.get<Proposal>();
      reader.get_all(embedding.data(), dim);
      add_row_as_center(embedding.data());
    }
  }
  return result;
}

}  // namespace salient::selection
