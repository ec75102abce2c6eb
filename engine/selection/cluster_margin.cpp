#include "engine/selection/cluster_margin.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include "engine/selection/embedding_math.h"
#include "salient/check.h"
#include "salient/kernels/counter_random.h"

namespace salient::selection {
namespace {

/// Average-linkage clusters of @p points (S × dim, double), cut at @p wanted clusters: the
/// cluster of each point. The nearest-neighbour chain builds the whole dendrogram with
/// Lance–Williams updates d(k, i ∪ j) = (n_i d(k, i) + n_j d(k, j)) / (n_i + n_j); its
/// merges come in chain order, not by height, so the S − wanted lowest merges (stable by
/// chain order among equal heights; average linkage is monotone, so children come first)
/// form the cut.
std::vector<std::int32_t> average_linkage(const std::vector<std::vector<double>>& points, std::int64_t wanted) {
  const std::size_t s = points.size();
  std::vector<double> d(s * s, 0.0);
  for (std::size_t a = 0; a < s; ++a) {
    for (std::size_t b = a + 1; b < s; ++b) {
      const auto dim = static_cast<std::int64_t>(points[a].size());
      d[a * s + b] = d[b * s + a] = std::sqrt(squared_distance(points[a].data(), points[b].data(), dim));
    }
  }
  std::vector<std::size_t> size(s, 1);
  struct Merge {
    double height;
    std::size_t keep, gone;
  };
  std::vector<Merge> merges;
  std::vector<std::uint8_t> active(s, 1);
  std::size_t left = s;
  std::vector<std::size_t> chain;
  while (left > 1) {
    if (chain.empty()) {
      for (std::size_t a = 0; a < s; ++a)
        if (active[a] != 0) {
          chain.push_back(a);
          break;
        }
    }
    const std::size_t a = chain.back();
    // a's nearest active cluster; the chain's previous element wins a tie (so the chain ends
    // in a reciprocal pair), then the lower index.
    std::size_t nearest = s;
    for (std::size_t b = 0; b < s; ++b) {
      if (b == a || active[b] == 0) continue;
      if (nearest == s || d[a * s + b] < d[a * s + nearest]) nearest = b;
    }
    const std::size_t previous = chain.size() >= 2 ? chain[chain.size() - 2] : s;
    if (previous != s && d[a * s + previous] <= d[a * s + nearest]) nearest = previous;
    if (previous != s && nearest == previous) {
      // Reciprocal nearest neighbours: merge them (the lower index keeps the cluster).
      const double height = d[a * s + nearest];
      chain.pop_back();
      chain.pop_back();
      const std::size_t keep = std::min(a, nearest), gone = std::max(a, nearest);
      for (std::size_t k = 0; k < s; ++k) {
        if (active[k] == 0 || k == keep || k == gone) continue;
        const double merged = (static_cast<double>(size[keep]) * d[keep * s + k] +
                               static_cast<double>(size[gone]) * d[gone * s + k]) /
                              static_cast<double>(size[keep] + size[gone]);
        d[keep * s + k] = d[k * s + keep] = merged;
      }
      size[keep] += size[gone];
      active[gone] = 0;
      merges.push_back({height, keep, gone});
      --left;
    } else {
      chain.push_back(nearest);
    }
  }
  std::stable_sort(merges.begin(), merges.end(), [](const Merge& x, const Merge& y) { return x.height < y.height; });
  std::vector<std::size_t> parent(s);
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  const auto find = [&](std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const auto cuts = s - std::min(s, static_cast<std::size_t>(std::max<std::int64_t>(wanted, 1)));
  for (std::size_t m = 0; m < cuts; ++m) parent[find(merges[m].gone)] = find(merges[m].keep);
  std::vector<std::int32_t> label(s, -1);
  std::map<std::size_t, std::int32_t> number;  // root → cluster number, by first point
  for (std::size_t a = 0; a < s; ++a) {
    const auto root = find(a);
    const auto found = number.emplace(root, static_cast<std::int32_t>(number.size())).first;
    label[a] = found->second;
  }
  return label;
}

}  // namespace

std::vector<std::int32_t> cluster_embeddings(const EmbeddingRows& rows, const std::vector<std::int64_t>& global_index,
                                             std::int64_t clusters, std::int64_t sample, std::uint64_t seed,
                                             RankGroup& group) {
  const auto n = static_cast<std::size_t>(rows.n);
  const auto dim = static_cast<std::size_t>(rows.dim);
  SALIENT_CHECK(global_index.size() == n, "cluster-margin: {} global indices for {} rows", global_index.size(), n);
  SALIENT_CHECK(clusters >= 1 && sample >= clusters, "cluster-margin: needs 1 <= clusters <= sample, got {} and {}",
                clusters, sample);
  const auto row = [&](std::size_t i) { return rows.values + i * dim; };
  const kernels::RandomKey key{seed, 0, kernels::RandomStream::cluster_sample};
  std::vector<std::size_t> usable;
  for (std::size_t i = 0; i < n; ++i)
    if (all_finite(row(i), rows.dim)) usable.push_back(i);
  // The sample: the smallest uniforms of every rank (ties, impossible in practice, by global
  // index), then in ascending global index. Each rank sends its own smallest.
  struct Drawn {
    double uniform;
    std::int64_t global_index;
  };
  std::vector<std::pair<Drawn, std::size_t>> local;
  for (const auto i : usable) local.push_back({{kernels::counter_uniform(key, global_index[i]), global_index[i]}, i});
  const auto by_draw = [](const Drawn& a, const Drawn& b) {
    return a.uniform != b.uniform ? a.uniform < b.uniform : a.global_index < b.global_index;
  };
  std::sort(local.begin(), local.end(), [&](const auto& a, const auto& b) { return by_draw(a.first, b.first); });
  local.resize(std::min(local.size(), static_cast<std::size_t>(sample)));
  Message message;
  for (const auto& [drawn, i] : local) message.put(drawn).put_all(row(i), dim);
  std::vector<std::pair<Drawn, std::vector<double>>> candidates;
  for (const auto& bytes : group.all_gather(message.bytes())) {
    MessageReader reader(bytes);
    std::vector<float> values(dim);
    while (!reader.done()) {
      const auto drawn = reader.get<Drawn>();
      reader.get_all(values.data(), dim);
      candidates.push_back({drawn, std::vector<double>(values.begin(), values.end())});
    }
  }
  std::sort(candidates.begin(), candidates.end(), [&](const auto& a, const auto& b) { return by_draw(a.first, b.first); });
  candidates.resize(std::min(candidates.size(), static_cast<std::size_t>(sample)));
  std::sort(candidates.begin(), candidates.end(),
            [](const auto& a, const auto& b) { return a.first.global_index < b.first.global_index; });

  std::vector<std::vector<double>> points;
  for (auto& candidate : candidates) points.push_back(std::move(candidate.second));
  const auto labels = average_linkage(points, clusters);
  const auto count = static_cast<std::size_t>(labels.empty() ? 0 : *std::max_element(labels.begin(), labels.end()) + 1);
  std::vector<std::vector<double>> means(count, std::vector<double>(dim, 0.0));
  std::vector<double> members(count, 0.0);
  for (std::size_t k = 0; k < points.size(); ++k) {
    const auto c = static_cast<std::size_t>(labels[k]);
    for (std::size_t j = 0; j < dim; ++j) means[c][j] += points[k][j];
    members[c] += 1.0;
  }
  for (std::size_t c = 0; c < count; ++c)
    for (auto& value : means[c]) value /= members[c];

  std::map<std::int64_t, std::int32_t> sampled;  // global index → its cluster
  for (std::size_t k = 0; k < candidates.size(); ++k) sampled[candidates[k].first.global_index] = labels[k];
  std::vector<std::int32_t> cluster(n, -1);
  for (const auto i : usable) {
    const auto found = sampled.find(global_index[i]);
    if (found != sampled.end()) {
      cluster[i] = found->second;
      continue;
    }
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < count; ++c) {
      const double d = squared_distance(row(i), means[c].data(), rows.dim);
      if (d < best) {
        best = d;
        cluster[i] = static_cast<std::int32_t>(c);
      }
    }
  }
  return cluster;
}

std::vector<std::int64_t> round_robin_over_clusters(const std::vector<std::int64_t>& shortlist,
                                                    const std::vector<std::int32_t>& cluster, std::int64_t count) {
  // Each cluster's shortlisted candidates, in shortlist order; cluster −1 is visited last.
  std::map<std::int32_t, std::vector<std::int64_t>> members;
  for (const auto position : shortlist) members[cluster[static_cast<std::size_t>(position)]].push_back(position);
  std::vector<const std::pair<const std::int32_t, std::vector<std::int64_t>>*> visit;
  for (const auto& entry : members) visit.push_back(&entry);
  std::stable_sort(visit.begin(), visit.end(), [](const auto* a, const auto* b) {
    if ((a->first < 0) != (b->first < 0)) return b->first < 0;
    return a->second.size() < b->second.size();
  });
  std::vector<std::int64_t> picked;
  for (std::size_t turn = 0; static_cast<std::int64_t>(picked.size()) < count; ++turn) {
    bool any = false;
    for (const auto* entry : visit) {
      if (turn >= entry->second.size() || static_cast<std::int64_t>(picked.size()) >= count) continue;
      picked.push_back(entry->second[turn]);
      any = true;
    }
    if (!any) break;
  }
  return picked;
}

}  // namespace salient::selection
