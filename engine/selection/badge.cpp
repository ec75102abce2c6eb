#include "engine/selection/badge.h"

#include <cmath>
#include <limits>

#include "engine/selection/embedding_math.h"
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

KCenterPicks badge_seeding(const BadgeInputs& inputs, const std::vector<std::uint8_t>& eligible, std::int64_t count) {
  const auto& h = inputs.embeddings;
  const auto& p = inputs.probabilities;
  const auto n = static_cast<std::size_t>(h.n);
  SALIENT_CHECK(p.n == h.n && eligible.size() == n, "badge: {} probability rows and {} flags for {} embeddings", p.n,
                eligible.size(), n);
  const auto classes = p.dim;
  const auto embedding = [&](std::size_t i) { return h.values + i * static_cast<std::size_t>(h.dim); };

  std::vector<float> s(n * static_cast<std::size_t>(classes));  // row i: s of candidate i
  const auto gradient = [&](std::size_t i) { return s.data() + i * static_cast<std::size_t>(classes); };
  std::vector<double> norm2(n, 0.0);  // ‖g‖² = ‖s‖²‖h‖²
  std::vector<std::uint8_t> open(eligible);
  std::vector<std::uint8_t> usable(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (open[i] == 0) continue;
    const float* pi = p.values + i * static_cast<std::size_t>(classes);
    usable[i] = all_finite(pi, classes) && all_finite(embedding(i), h.dim) ? 1 : 0;
    if (usable[i] == 0) continue;
    loss_gradient(pi, classes, inputs.multi_label, gradient(i));
    norm2[i] = dot(gradient(i), gradient(i), classes) * dot(embedding(i), embedding(i), h.dim);
  }
  const auto distance2 = [&](std::size_t a, std::size_t b) {
    const double cross = dot(gradient(a), gradient(b), classes) * dot(embedding(a), embedding(b), h.dim);
    return std::max(0.0, norm2[a] + norm2[b] - 2.0 * cross);
  };

  KCenterPicks result;
  std::vector<double> nearest(n, std::numeric_limits<double>::infinity());
  const auto pick = [&](std::size_t c, double distance) {
    result.picked.push_back(static_cast<std::int64_t>(c));
    result.distances.push_back(distance);
    open[c] = 0;
    if (usable[c] == 0) return;
    for (std::size_t i = 0; i < n; ++i) {
      if (open[i] != 0 && usable[i] != 0) nearest[i] = std::min(nearest[i], distance2(i, c));
    }
  };
  const kernels::RandomKey key{inputs.seed, inputs.round, kernels::RandomStream::badge_draw};
  while (static_cast<std::int64_t>(result.picked.size()) < count) {
    std::size_t chosen = n;
    double distance = std::numeric_limits<double>::quiet_NaN();
    if (result.picked.empty()) {
      for (std::size_t i = 0; i < n; ++i) {
        if (open[i] != 0 && usable[i] != 0 && (chosen == n || norm2[i] > norm2[chosen])) chosen = i;
      }
      if (chosen != n) distance = std::sqrt(norm2[chosen]);
    } else {
      double total = 0.0;
      for (std::size_t i = 0; i < n; ++i) total += open[i] != 0 && usable[i] != 0 ? nearest[i] : 0.0;
      const double target = kernels::counter_uniform(key, static_cast<std::int64_t>(result.picked.size())) * total;
      double running = 0.0;
      for (std::size_t i = 0; i < n && chosen == n; ++i) {
        if (open[i] == 0 || usable[i] == 0) continue;
        running += nearest[i];
        if (running > target) chosen = i;
      }
      // Σ D² = 0: what is left repeats a center; take it in index order.
      for (std::size_t i = 0; i < n && chosen == n; ++i) {
        if (open[i] != 0 && usable[i] != 0) chosen = i;
      }
      if (chosen != n) distance = std::sqrt(nearest[chosen]);
    }
    for (std::size_t i = 0; i < n && chosen == n; ++i) {
      if (open[i] != 0) chosen = i;  // only rows without a finite h or p are left
    }
    if (chosen == n) break;
    pick(chosen, distance);
  }
  return result;
}

}  // namespace salient::selection
