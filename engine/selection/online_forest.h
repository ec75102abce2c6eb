// On-line random forest (Saffari, Leistner, Santner, Godec and Bischof, "On-line Random
// Forests", ICCV Workshops 2009, Algorithm 1 and Sec. 2.3), the classifier of IDEAL's deep
// saliency features (IDEAL Algorithm 2, step 9: RF_n is trained from RF_{n−1}).
//
// Each sample (x, y) of the stream, the n-th the forest has seen, goes to every tree t
//  - k times, k ~ Poisson(λ) (on-line bagging, Oza 2005). The sample updates the class counts
//    of its leaf and, for each of the leaf's N random tests s = (feature f, threshold θ), the
//    class counts of the side it falls on (x_f < θ: left). A leaf that has seen more than α
//    samples since it was made splits on the test of largest Gini gain
//      ΔL(R, s) = G(R) − |R_l|/|R| G(R_l) − |R_r|/|R| G(R_r),   G(R) = 1 − Σ_c p_c²,
//    when that gain exceeds β (the first test wins a tie) and the leaf is above max_depth.
//    The children start from the chosen test's left and right counts, and draw new tests.
//  - not at all (k = 0): the sample is out of bag for t, and counts towards t's out-of-bag
//    error OOBE_t (t's own vote wrong).
// Tests are extremely randomised (Geurts et al. 2006): a feature uniformly at random and a
// threshold uniformly in the leaf's box, which is the feature ranges given to the forest
// narrowed by the splits above the leaf.
// Temporal knowledge weighting (Sec. 2.3): every discard_interval samples of a tree's age, the
// tree is replaced by a new one (a single leaf) when OOBE_t exceeds a uniform draw u, that is
// with probability OOBE_t, so that trees grown on stale data (IDEAL's levels change every
// round) give way. OOBE_t is the tree's out-of-bag error over the interval just ended, not
// over its life: a tree right about an old concept for long would otherwise keep a low
// error long after the concept changed.
//
// Every draw comes from the counter generator (counter_random.h) keyed by the forest's seed
// and the tree, at the sample's number in the stream (Poisson, discard) or the node's serial
// number in the tree (tests). Counts are integers. So a forest is the same for a seed on any
// machine, and updating it on a stream in pieces, saved and loaded in between, gives the very
// forest one update on the concatenated stream gives.
// The class probabilities of x are the mean over the trees of its leaf's class frequencies.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace salient::selection {

struct OnlineForestParams {
  std::int32_t trees = 50;           ///< T
  std::int32_t tests_per_node = 32;  ///< N, the random tests a leaf keeps counts for
  std::int64_t min_samples = 20;     ///< α: a leaf splits only after more samples than this
  double min_gain = 0.05;            ///< β: and only on a Gini gain above this (> 0)
  std::int32_t max_depth = 20;       ///< leaves at this depth no longer split
  double lambda = 1.0;               ///< λ of on-line bagging's Poisson weights
  /// A tree is weighed for replacement every this many samples of its age; 0: never.
  std::int64_t discard_interval = 2000;
  std::uint64_t seed = 0;
};

/// The values a feature takes (lo ≤ hi, both finite): tests draw their thresholds in it.
struct FeatureRange {
  double lo = 0.0;
  double hi = 0.0;
};

/// What one tree knows of itself, for reports and tests.
struct OnlineTreeSummary {
  std::int64_t age = 0;          ///< samples of the stream since the tree was made
  std::int64_t leaves = 0;
  std::int32_t depth = 0;        ///< the deepest leaf's depth (root: 0)
  std::int64_t out_of_bag = 0;   ///< samples out of its bag since its last weighing (or since made)
  std::int64_t oob_wrong = 0;    ///< of those, the ones its own vote got wrong
  std::int64_t generation = 0;   ///< trees this slot has had before this one
};

/// A node of a tree: a leaf (feature < 0) with its counts and tests, or a split.
struct OnlineForestNode {
  std::int32_t depth = 0;
  std::int64_t serial = 0;  ///< its number among the nodes its tree's slot has made
  std::int32_t feature = -1;  ///< a split: x_feature < threshold goes left
  double threshold = 0.0;
  std::int32_t left = -1;
  std::int32_t right = -1;
  std::vector<std::int64_t> counts;  ///< a leaf: its class counts (inherited and since made)
  std::int64_t seen = 0;             ///< samples (with their weights) since it was made
  std::vector<std::int32_t> test_feature;
  std::vector<double> test_threshold;
  std::vector<std::int64_t> test_counts;  ///< tests × {left, right} × classes, since made
  std::vector<double> box_lo;             ///< the leaf's box, per feature
  std::vector<double> box_hi;
};

struct OnlineForestTree {
  std::vector<OnlineForestNode> nodes;  ///< nodes[0] is the root
  std::int64_t age = 0;
  std::int64_t out_of_bag = 0;  ///< since the last weighing
  std::int64_t oob_wrong = 0;
  std::int64_t generation = 0;
  std::int64_t next_serial = 0;  ///< never reset, so a new tree in the slot draws new tests
};

class OnlineForest {
 public:
  /// A forest of params.trees single-leaf trees over ranges.size() features and @p classes
  /// classes. Throws salient::Error for a parameter out of its range or a bad range.
  OnlineForest(const OnlineForestParams& params, std::int32_t classes, std::vector<FeatureRange> ranges);

  /// Learns from the next @p n samples of the stream: x is n × features (row-major), y each
  /// sample's class in [0, classes). Throws salient::Error, naming the sample, for a class
  /// out of range or a feature that is not finite, before anything is learnt. The trees are
  /// shared among @p threads threads; the forest is the same for any number.
  void update(const float* x, const std::int32_t* y, std::int64_t n, std::int32_t threads = 1);

  /// The class probabilities of @p n samples, n × classes (row-major), into @p out.
  void predict(const float* x, std::int64_t n, double* out) const;

  /// Each sample's most probable class (the lowest class on a tie).
  std::vector<std::int32_t> classify(const float* x, std::int64_t n) const;

  const OnlineForestParams& params() const { return params_; }
  std::int32_t classes() const { return classes_; }
  std::int32_t features() const { return static_cast<std::int32_t>(ranges_.size()); }
  std::int64_t samples_seen() const { return samples_seen_; }
  OnlineTreeSummary tree_summary(std::int32_t tree) const;

  /// The whole state, as bytes (CBOR) that from_bytes reads back exactly.
  std::string to_bytes() const;
  /// Throws salient::Error naming @p what for bytes that are not a saved forest.
  static OnlineForest from_bytes(const std::string& bytes, const std::string& what);

  /// Writes the state to @p path atomically (salient/io/atomic_file.h).
  void save(const std::string& path) const;
  static OnlineForest load(const std::string& path);


 private:
  OnlineForest() = default;
  void plant(std::int32_t slot);
  OnlineForestNode new_leaf(std::int32_t slot, OnlineForestTree& tree, std::int32_t depth, std::vector<double> lo,
                            std::vector<double> hi) const;
  void learn(std::int32_t slot, const float* x, std::int32_t y, std::int64_t weight);
  /// The next @p n samples of the stream, for tree @p slot alone.
  void stream_into(std::int32_t slot, const float* x, const std::int32_t* y, std::int64_t n);
  void split(std::int32_t slot, std::int32_t leaf, std::int32_t test);
  std::int32_t leaf_of(const OnlineForestTree& tree, const float* x) const;
  /// Throws salient::Error naming @p what unless every node's indices and sizes fit.
  void check_structure(const std::string& what) const;

  OnlineForestParams params_;
  std::int32_t classes_ = 0;
  std::vector<FeatureRange> ranges_;
  std::int64_t samples_seen_ = 0;
  std::vector<OnlineForestTree> trees_;
};

/// The range of each of @p features columns over the n rows of @p x (n ≥ 1, all finite).
std::vector<FeatureRange> feature_ranges(const float* x, std::int64_t n, std::int32_t features);

}  // namespace salient::selection
