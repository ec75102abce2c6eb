#include "engine/selection/badge.h"

#include <cmath>
#include <limits>

#include "engine/selection/across_ranks.h"
#include "engine/selection/d2_draw.h"
#include "engine/selection/embedding_math.h"
#include "engine/selection/proposal.h"
#include "salient/check.h"
#include "salient/kernels/counter_random.h"

namespace salient::selection {
namespace {

/// s = p − ŷ of one candidate, written to @p s (classes values).
void loss_gradient(const float* p, std::int64_t classes, bool multi_label, float* s) {
  for (std::int64_t k = 0; k < classes; ++k) s[k] = p[k];
  if (multi_label) {
    for (std::int64_t k = 0; k < classes; ++k) s[k] -= s[k] >= 0.5f ? 1.0f : 0.0f;
    return;
  }
  std::int64_t predicted = 0;
  for (std::int64_t k = 1; k < classes; ++k)
    if (p[k] > p[predicted]) predicted = k;
  s[predicted] -= 1.0f;
}

}  // namespace

KCenterPicks badge_seeding(const BadgeInputs& inputs, const std::vector<std::uint8_t>& eligible, std::int64_t count,
                           const std::int64_t* global_index, RankGroup& group) {
  const auto& h = inputs.embeddings;
  const auto& p = inputs.probabilities;
  const auto n = static_cast<std::size_t>(h.n);
  SALIENT_CHECK(p.n == h.n && eligible.size() == n, "badge: {} probability rows and {} flags for {} embeddings", p.n,
                eligible.size(), n);
  if (global_index != nullptr) check_rank_blocks(global_index, h.n, group);
  const auto classes = static_cast<std::size_t>(p.dim);
  const auto dim = static_cast<std::size_t>(h.dim);
  const auto embedding = [&](std::size_t i) { return h.values + i * dim; };
  const auto index_of = [&](std::size_t i) { return global_index != nullptr ? global_index[i] : std::int64_t(i); };

  std::vector<float> s(n * classes);  // row i: s of candidate i
  const auto gradient = [&](std::size_t i) { return s.data() + i * classes; };
  std::vector<double> norm2(n, 0.0);  // ‖g‖² = ‖s‖²‖h‖²
  std::vector<std::uint8_t> open(eligible);
  std::vector<std::uint8_t> usable(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (open[i] == 0) continue;
    const float* pi = p.values + i * classes;
    usable[i] = all_finite(pi, p.dim) && all_finite(embedding(i), h.dim) ? 1 : 0;
    if (usable[i] == 0) continue;
    loss_gradient(pi, p.dim, inputs.multi_label, gradient(i));
    norm2[i] = dot(gradient(i), gradient(i), p.dim) * dot(embedding(i), embedding(i), h.dim);
  }
  const auto open_usable = [&](std::size_t i) { return open[i] != 0 && usable[i] != 0; };
  // The last center, as gathered: its s, h and ‖g‖².
  std::vector<float> center_s(classes), center_h(dim);
  double center_norm2 = 0.0;
  const auto distance2 = [&](std::size_t a) {
    const double cross = dot(gradient(a), center_s.data(), p.dim) * dot(embedding(a), center_h.data(), h.dim);
    return std::max(0.0, norm2[a] + center_norm2 - 2.0 * cross);
  };
  const auto first_open = [&](bool want_usable) {
    for (std::size_t i = 0; i < n; ++i)
      if (open[i] != 0 && (usable[i] != 0) == want_usable) return i;
    return n;
  };

  KCenterPicks result;
  std::vector<double> nearest(n, std::numeric_limits<double>::infinity());
  const kernels::RandomKey key{inputs.seed, inputs.round, kernels::RandomStream::badge_draw};
  while (static_cast<std::int64_t>(result.picked.size()) < count) {
    std::size_t mine = n;
    Proposal proposal;
    if (result.picked.empty()) {
      // The largest ‖g‖ of this rank (ties to the lower index); every rank proposes its own.
      for (std::size_t i = 0; i < n; ++i)
        if (open_usable(i) && (mine == n || norm2[i] > norm2[mine])) mine = i;
      if (mine != n) proposal = {Proposal::usable, index_of(mine), norm2[mine]};
    } else {
      mine = d2_draw(nearest, open, usable, key, static_cast<std::int64_t>(result.picked.size()), group);
      if (mine == kNoWeight) {
        // Σ D² = 0: what is left repeats a center; take it in index order.
        mine = first_open(true);
        if (mine != n) proposal = {Proposal::usable, index_of(mine), 0.0};
      } else if (mine != n) {
        proposal = {Proposal::usable, index_of(mine), nearest[mine]};
      }
    }
    if (proposal.kind != Proposal::usable) {
      // Nothing usable here: offer the first row without a finite h or p, which wins only
      // when no rank has a usable one (winning_proposal), so those come last, in index order.
      mine = first_open(false);
      if (mine != n) proposal = {Proposal::unusable, index_of(mine), 0.0};
    }
    Message message;
    message.put(proposal);
    if (proposal.kind == Proposal::usable) {
      message.put(norm2[mine]).put_all(gradient(mine), classes).put_all(embedding(mine), dim);
    }
    const auto sent = group.all_gather(message.bytes());
    std::vector<Proposal> proposals;
    for (const auto& bytes : sent) proposals.push_back(MessageReader(bytes).get<Proposal>());
    const auto from = winning_proposal(proposals);
    if (from == proposals.size()) break;
    const auto& won = proposals[from];
    result.picked.push_back(won.global_index);
    result.distances.push_back(won.kind != Proposal::usable ? std::numeric_limits<double>::quiet_NaN()
                                                            : std::sqrt(won.value));
    if (static_cast<int>(from) == group.rank()) open[mine] = 0;
    if (won.kind != Proposal::usable) continue;
    MessageReader reader(sent[from]);
    reader.get<Proposal>();
    center_norm2 = reader.get<double>();
    reader.get_all(center_s.data(), classes);
    reader.get_all(center_h.data(), dim);
    for (std::size_t i = 0; i < n; ++i) {
      if (open_usable(i)) nearest[i] = std::min(nearest[i], distance2(i));
    }
  }
  return result;
}

}  // namespace salient::selection
