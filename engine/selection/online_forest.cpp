#include "engine/selection/online_forest.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <nlohmann/json.hpp>
#include <thread>

#include "salient/check.h"
#include "salient/io/atomic_file.h"
#include "salient/kernels/counter_random.h"

namespace salient::selection {
namespace {

constexpr const char* kFormat = "salient online forest";
constexpr int kFormatVersion = 1;
/// More Poisson weight than this for one sample is cut (P ≈ 10⁻⁸⁹ for λ = 1).
constexpr std::int64_t kMostWeight = 64;

kernels::RandomKey key_of(std::uint64_t seed, std::int32_t slot, kernels::RandomStream stream) {
  return {seed, static_cast<std::uint32_t>(slot), stream};
}

/// The k of Poisson(λ) whose distribution function first reaches u (inversion).
std::int64_t poisson_weight(double u, double lambda) {
  double term = std::exp(-lambda);
  double cumulative = term;
  std::int64_t k = 0;
  while (u > cumulative && k < kMostWeight) {
    ++k;
    term *= lambda / static_cast<double>(k);
    cumulative += term;
  }
  return k;
}

/// G(R) = 1 − Σ_c (n_c / |R|)², 0 for an empty R.
double gini(const std::int64_t* counts, std::int32_t classes, std::int64_t total) {
  if (total == 0) return 0.0;
  double squares = 0.0;
  for (std::int32_t c = 0; c < classes; ++c) squares += static_cast<double>(counts[c]) * static_cast<double>(counts[c]);
  const auto size = static_cast<double>(total);
  return 1.0 - squares / (size * size);
}

std::int64_t sum(const std::int64_t* counts, std::int32_t classes) {
  std::int64_t total = 0;
  for (std::int32_t c = 0; c < classes; ++c) total += counts[c];
  return total;
}

/// The class of most counts, the lowest on a tie.
std::int32_t majority(const std::vector<std::int64_t>& counts) {
  return static_cast<std::int32_t>(std::max_element(counts.begin(), counts.end()) - counts.begin());
}

void check_params(const OnlineForestParams& p, std::int32_t classes, const std::vector<FeatureRange>& ranges) {
  SALIENT_CHECK(p.trees >= 1, "online forest: trees = {}: expected at least 1", p.trees);
  SALIENT_CHECK(p.tests_per_node >= 1, "online forest: tests per node = {}: expected at least 1", p.tests_per_node);
  SALIENT_CHECK(p.min_samples >= 1, "online forest: α (min samples) = {}: expected at least 1", p.min_samples);
  SALIENT_CHECK(p.min_gain > 0.0 && p.min_gain < 1.0, "online forest: β (min gain) = {}: expected in (0, 1)",
                p.min_gain);
  SALIENT_CHECK(p.max_depth >= 0 && p.max_depth <= 64, "online forest: max depth = {}: expected 0 … 64", p.max_depth);
  SALIENT_CHECK(p.lambda > 0.0 && p.lambda <= 16.0, "online forest: λ = {}: expected in (0, 16]", p.lambda);
  SALIENT_CHECK(p.discard_interval >= 0, "online forest: discard interval = {}: expected ≥ 0", p.discard_interval);
  SALIENT_CHECK(classes >= 2, "online forest: {} classes: expected at least 2", classes);
  SALIENT_CHECK(!ranges.empty(), "online forest: no features");
  for (std::size_t f = 0; f < ranges.size(); ++f)
    SALIENT_CHECK(std::isfinite(ranges[f].lo) && std::isfinite(ranges[f].hi) && ranges[f].lo <= ranges[f].hi,
                  "online forest: feature {} has the range [{}, {}]: expected finite lo ≤ hi", f, ranges[f].lo,
                  ranges[f].hi);
}

}  // namespace

OnlineForest::OnlineForest(const OnlineForestParams& params, std::int32_t classes, std::vector<FeatureRange> ranges)
    : params_(params), classes_(classes), ranges_(std::move(ranges)) {
  check_params(params_, classes_, ranges_);
  trees_.resize(static_cast<std::size_t>(params_.trees));
  for (std::int32_t slot = 0; slot < params_.trees; ++slot) plant(slot);
}

void OnlineForest::plant(std::int32_t slot) {
  auto& tree = trees_[static_cast<std::size_t>(slot)];
  const std::int64_t generation = tree.nodes.empty() && tree.next_serial == 0 ? 0 : tree.generation + 1;
  const std::int64_t next_serial = tree.next_serial;
  tree = OnlineForestTree{};
  tree.generation = generation;
  tree.next_serial = next_serial;
  std::vector<double> lo(ranges_.size());
  std::vector<double> hi(ranges_.size());
  for (std::size_t f = 0; f < ranges_.size(); ++f) {
    lo[f] = ranges_[f].lo;
    hi[f] = ranges_[f].hi;
  }
  tree.nodes.push_back(new_leaf(slot, tree, 0, std::move(lo), std::move(hi)));
}

OnlineForestNode OnlineForest::new_leaf(std::int32_t slot, OnlineForestTree& tree, std::int32_t depth,
                                        std::vector<double> lo, std::vector<double> hi) const {
  OnlineForestNode leaf;
  leaf.depth = depth;
  leaf.serial = tree.next_serial++;
  leaf.counts.assign(static_cast<std::size_t>(classes_), 0);
  if (depth < params_.max_depth) {
    const std::int32_t tests = params_.tests_per_node;
    const auto key = key_of(params_.seed, slot, kernels::RandomStream::forest_tests);
    const std::int64_t first = leaf.serial * 2 * tests;
    const auto features = static_cast<std::int32_t>(ranges_.size());
    for (std::int32_t s = 0; s < tests; ++s) {
      const double u_feature = kernels::counter_uniform(key, first + 2 * s);
      const double u_threshold = kernels::counter_uniform(key, first + 2 * s + 1);
      const auto f = std::min(features - 1, static_cast<std::int32_t>(u_feature * features));
      leaf.test_feature.push_back(f);
      leaf.test_threshold.push_back(lo[f] + u_threshold * (hi[f] - lo[f]));
    }
    leaf.test_counts.assign(static_cast<std::size_t>(tests) * 2 * classes_, 0);
    leaf.box_lo = std::move(lo);
    leaf.box_hi = std::move(hi);
  }
  return leaf;
}

std::int32_t OnlineForest::leaf_of(const OnlineForestTree& tree, const float* x) const {
  std::int32_t node = 0;
  while (tree.nodes[static_cast<std::size_t>(node)].feature >= 0) {
    const auto& split = tree.nodes[static_cast<std::size_t>(node)];
    node = static_cast<double>(x[split.feature]) < split.threshold ? split.left : split.right;
  }
  return node;
}

void OnlineForest::learn(std::int32_t slot, const float* x, std::int32_t y, std::int64_t weight) {
  auto& tree = trees_[static_cast<std::size_t>(slot)];
  const std::int32_t at = leaf_of(tree, x);
  auto& leaf = tree.nodes[static_cast<std::size_t>(at)];
  leaf.counts[static_cast<std::size_t>(y)] += weight;
  leaf.seen += weight;
  if (leaf.test_feature.empty()) return;  // at max_depth
  const auto tests = static_cast<std::int32_t>(leaf.test_feature.size());
  for (std::int32_t s = 0; s < tests; ++s) {
    const bool right = !(static_cast<double>(x[leaf.test_feature[s]]) < leaf.test_threshold[s]);
    leaf.test_counts[(static_cast<std::size_t>(s) * 2 + (right ? 1 : 0)) * classes_ + y] += weight;
  }
  if (leaf.seen <= params_.min_samples) return;
  // ΔL(R, s) of every test, R the samples since the leaf was made (each test's two sides
  // together); the first test of the largest gain.
  const std::int64_t* first_test = leaf.test_counts.data();
  std::vector<std::int64_t> since(static_cast<std::size_t>(classes_));
  for (std::int32_t c = 0; c < classes_; ++c) since[c] = first_test[c] + first_test[classes_ + c];
  const double impurity = gini(since.data(), classes_, leaf.seen);
  const auto seen = static_cast<double>(leaf.seen);
  std::int32_t best = -1;
  double best_gain = params_.min_gain;
  for (std::int32_t s = 0; s < tests; ++s) {
    const std::int64_t* left = first_test + static_cast<std::size_t>(s) * 2 * classes_;
    const std::int64_t* right = left + classes_;
    const std::int64_t n_left = sum(left, classes_);
    const std::int64_t n_right = leaf.seen - n_left;
    const double gain = impurity - static_cast<double>(n_left) / seen * gini(left, classes_, n_left) -
                        static_cast<double>(n_right) / seen * gini(right, classes_, n_right);
    if (gain > best_gain) {
      best_gain = gain;
      best = s;
    }
  }
  if (best >= 0) split(slot, at, best);
}

void OnlineForest::split(std::int32_t slot, std::int32_t leaf_index, std::int32_t test) {
  auto& tree = trees_[static_cast<std::size_t>(slot)];
  OnlineForestNode parent = std::move(tree.nodes[static_cast<std::size_t>(leaf_index)]);
  const std::int32_t f = parent.test_feature[test];
  const double threshold = parent.test_threshold[test];
  auto left_hi = parent.box_hi;
  left_hi[f] = threshold;
  auto right_lo = parent.box_lo;
  right_lo[f] = threshold;
  OnlineForestNode left = new_leaf(slot, tree, parent.depth + 1, parent.box_lo, std::move(left_hi));
  OnlineForestNode right = new_leaf(slot, tree, parent.depth + 1, std::move(right_lo), parent.box_hi);
  const std::size_t counts_at = static_cast<std::size_t>(test) * 2 * classes_;
  for (std::int32_t c = 0; c < classes_; ++c) {
    left.counts[c] = parent.test_counts[counts_at + c];
    right.counts[c] = parent.test_counts[counts_at + classes_ + c];
  }
  OnlineForestNode split_node;
  split_node.depth = parent.depth;
  split_node.serial = parent.serial;
  split_node.feature = f;
  split_node.threshold = threshold;
  split_node.left = static_cast<std::int32_t>(tree.nodes.size());
  split_node.right = split_node.left + 1;
  tree.nodes[static_cast<std::size_t>(leaf_index)] = std::move(split_node);
  tree.nodes.push_back(std::move(left));
  tree.nodes.push_back(std::move(right));
}

void OnlineForest::stream_into(std::int32_t slot, const float* x, const std::int32_t* y, std::int64_t n) {
  const auto features = static_cast<std::int64_t>(ranges_.size());
  auto& tree = trees_[static_cast<std::size_t>(slot)];
  const auto bagging = key_of(params_.seed, slot, kernels::RandomStream::forest_bagging);
  const auto discard = key_of(params_.seed, slot, kernels::RandomStream::forest_discard);
  for (std::int64_t i = 0; i < n; ++i) {
    const float* row = x + i * features;
    const std::int64_t number = samples_seen_ + i;
    const std::int64_t weight = poisson_weight(kernels::counter_uniform(bagging, number), params_.lambda);
    if (weight > 0) {
      learn(slot, row, y[i], weight);
    } else {
      const auto& leaf = tree.nodes[static_cast<std::size_t>(leaf_of(tree, row))];
      ++tree.out_of_bag;
      if (majority(leaf.counts) != y[i]) ++tree.oob_wrong;
    }
    ++tree.age;
    if (params_.discard_interval > 0 && tree.age % params_.discard_interval == 0) {
      const double oobe =
          tree.out_of_bag == 0 ? 0.0 : static_cast<double>(tree.oob_wrong) / static_cast<double>(tree.out_of_bag);
      if (oobe > kernels::counter_uniform(discard, number)) {
        plant(slot);
      } else {
        tree.out_of_bag = 0;  // the next weighing looks at the next interval only
        tree.oob_wrong = 0;
      }
    }
  }
}

void OnlineForest::update(const float* x, const std::int32_t* y, std::int64_t n, std::int32_t threads) {
  const auto features = static_cast<std::int64_t>(ranges_.size());
  for (std::int64_t i = 0; i < n; ++i) {
    SALIENT_CHECK(y[i] >= 0 && y[i] < classes_, "online forest: sample {} (number {} of the stream) has class {}: "
                  "expected 0 … {}", i, samples_seen_ + i, y[i], classes_ - 1);
    for (std::int64_t f = 0; f < features; ++f)
      SALIENT_CHECK(std::isfinite(x[i * features + f]), "online forest: sample {} (number {} of the stream) has "
                    "feature {} = {}: expected a finite value", i, samples_seen_ + i, f, x[i * features + f]);
  }
  // Trees learn independently of each other, so they are shared among the threads; each
  // tree sees the samples in stream order, so the forest is the same for any thread count.
  const std::int32_t workers = std::max(1, std::min(threads, params_.trees));
  std::vector<std::exception_ptr> failures(static_cast<std::size_t>(workers));
  const auto work = [&](std::int32_t w) {
    try {
      for (std::int32_t slot = w; slot < params_.trees; slot += workers) stream_into(slot, x, y, n);
    } catch (...) {
      failures[static_cast<std::size_t>(w)] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (std::int32_t w = 1; w < workers; ++w) pool.emplace_back(work, w);
  work(0);
  for (auto& thread : pool) thread.join();
  for (const auto& failure : failures)
    if (failure) std::rethrow_exception(failure);
  samples_seen_ += n;
}

void OnlineForest::predict(const float* x, std::int64_t n, double* out) const {
  const auto features = static_cast<std::int64_t>(ranges_.size());
  for (std::int64_t i = 0; i < n; ++i) {
    double* p = out + i * classes_;
    std::fill(p, p + classes_, 0.0);
    for (const auto& tree : trees_) {
      const auto& leaf = tree.nodes[static_cast<std::size_t>(leaf_of(tree, x + i * features))];
      const std::int64_t total = sum(leaf.counts.data(), classes_);
      for (std::int32_t c = 0; c < classes_; ++c)
        p[c] += total == 0 ? 1.0 / classes_ : static_cast<double>(leaf.counts[c]) / static_cast<double>(total);
    }
    for (std::int32_t c = 0; c < classes_; ++c) p[c] /= static_cast<double>(trees_.size());
  }
}

std::vector<std::int32_t> OnlineForest::classify(const float* x, std::int64_t n) const {
  std::vector<double> p(static_cast<std::size_t>(n) * classes_);
  predict(x, n, p.data());
  std::vector<std::int32_t> classes(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    const double* row = p.data() + i * classes_;
    classes[i] = static_cast<std::int32_t>(std::max_element(row, row + classes_) - row);
  }
  return classes;
}

OnlineTreeSummary OnlineForest::tree_summary(std::int32_t slot) const {
  SALIENT_CHECK(slot >= 0 && slot < params_.trees, "online forest: no tree {} (of {})", slot, params_.trees);
  const auto& tree = trees_[static_cast<std::size_t>(slot)];
  OnlineTreeSummary summary{tree.age, 0, 0, tree.out_of_bag, tree.oob_wrong, tree.generation};
  for (const auto& node : tree.nodes) {
    if (node.feature >= 0) continue;
    ++summary.leaves;
    summary.depth = std::max(summary.depth, node.depth);
  }
  return summary;
}

std::vector<FeatureRange> feature_ranges(const float* x, std::int64_t n, std::int32_t features) {
  SALIENT_CHECK(n >= 1 && features >= 1, "feature ranges of {} rows of {} features: expected at least one of each", n,
                features);
  std::vector<FeatureRange> ranges(static_cast<std::size_t>(features));
  for (std::int32_t f = 0; f < features; ++f) {
    double lo = x[f];
    double hi = x[f];
    for (std::int64_t i = 0; i < n; ++i) {
      const double v = x[i * features + f];
      SALIENT_CHECK(std::isfinite(v), "feature ranges: row {} has feature {} = {}: expected a finite value", i, f, v);
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    ranges[f] = {lo, hi};
  }
  return ranges;
}

// Saved state: one CBOR map (RFC 8949), doubles as binary64 and counts as integers, so a
// loaded forest is the saved one bit for bit.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(OnlineForestParams, trees, tests_per_node, min_samples, min_gain, max_depth,
                                   lambda, discard_interval, seed)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(FeatureRange, lo, hi)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(OnlineForestNode, depth, serial, feature, threshold, left, right, counts, seen,
                                   test_feature, test_threshold, test_counts, box_lo, box_hi)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(OnlineForestTree, nodes, age, out_of_bag, oob_wrong, generation, next_serial)

std::string OnlineForest::to_bytes() const {
  const nlohmann::json state = {{"format", kFormat},  {"version", kFormatVersion},     {"params", params_},
                                {"classes", classes_}, {"ranges", ranges_},           {"samples_seen", samples_seen_},
                                {"trees", trees_}};
  const auto bytes = nlohmann::json::to_cbor(state);
  return {bytes.begin(), bytes.end()};
}

OnlineForest OnlineForest::from_bytes(const std::string& bytes, const std::string& what) {
  OnlineForest forest;
  try {
    const auto state = nlohmann::json::from_cbor(bytes);
    SALIENT_CHECK(state.at("format") == kFormat && state.at("version") == kFormatVersion,
                  "{}: not a saved online forest of format version {}", what, kFormatVersion);
    state.at("params").get_to(forest.params_);
    state.at("classes").get_to(forest.classes_);
    state.at("ranges").get_to(forest.ranges_);
    check_params(forest.params_, forest.classes_, forest.ranges_);
    state.at("samples_seen").get_to(forest.samples_seen_);
    state.at("trees").get_to(forest.trees_);
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("{}: not a readable online forest ({})", what, e.what()));
  }
  SALIENT_CHECK(static_cast<std::int32_t>(forest.trees_.size()) == forest.params_.trees,
                "{}: {} trees saved for a forest of {}", what, forest.trees_.size(), forest.params_.trees);
  forest.check_structure(what);
  return forest;
}

void OnlineForest::check_structure(const std::string& what) const {
  const auto features = static_cast<std::size_t>(ranges_.size());
  const auto classes = static_cast<std::size_t>(classes_);
  for (std::size_t t = 0; t < trees_.size(); ++t) {
    const auto& nodes = trees_[t].nodes;
    SALIENT_CHECK(!nodes.empty(), "{}: tree {} has no root", what, t);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const auto& node = nodes[i];
      // Children come after their parent, so a walk from the root always ends at a leaf.
      const auto child_ok = [&](std::int32_t child) {
        return child > static_cast<std::int64_t>(i) && child < static_cast<std::int64_t>(nodes.size());
      };
      const bool split_ok = node.feature < 0 || (static_cast<std::size_t>(node.feature) < features &&
                                                 child_ok(node.left) && child_ok(node.right));
      const std::size_t tests = node.test_feature.size();
      bool tests_ok = node.test_threshold.size() == tests && node.test_counts.size() == tests * 2 * classes;
      for (const auto f : node.test_feature) tests_ok = tests_ok && f >= 0 && static_cast<std::size_t>(f) < features;
      const bool leaf_ok = node.feature >= 0 || (node.counts.size() == classes && tests_ok &&
                                                 (tests == 0 || (node.box_lo.size() == features &&
                                                                  node.box_hi.size() == features)));
      SALIENT_CHECK(split_ok && leaf_ok, "{}: tree {}, node {} is malformed", what, t, i);
    }
  }
}

void OnlineForest::save(const std::string& path) const { io::write_file_atomically(path, to_bytes()); }

OnlineForest OnlineForest::load(const std::string& path) { return from_bytes(io::read_whole_file(path), path); }

}  // namespace salient::selection
