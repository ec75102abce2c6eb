// detail::LevelLookup (the CPU twins' tabulated numpy.digitize) against BasicBinEdges::level,
// which evaluates every edge as PyRadiomics' code computes it, on float32 and float64 values
// for binWidth and binCount, values on the edges included.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "detail/level_lookup.h"

namespace salient::kernels {
namespace {

template <typename T>
void expect_lookup_equals_edges(const std::vector<T>& values, const BinSpec& spec) {
  const T minimum = *std::min_element(values.begin(), values.end());
  const T maximum = *std::max_element(values.begin(), values.end());
  const auto edges = detail::make_bin_edges(spec, minimum, maximum);
  detail::LevelLookup<T> lookup;
  lookup.reset(edges, maximum);
  EXPECT_EQ(lookup.gray_levels(), edges.level(maximum));
  for (const T v : values) ASSERT_EQ(lookup.level(v), edges.level(v)) << v;
}

template <typename T>
std::vector<T> values_with_edges(unsigned seed, double scale, double offset) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(offset, scale);
  std::vector<T> values(4000);
  for (auto& v : values) v = static_cast<T>(normal(rng));
  // Values exactly on multiples of the bin widths below.
  for (int k = -40; k <= 40; ++k) values.push_back(static_cast<T>(offset + k * 0.05));
  return values;
}

TEST(LevelLookup, EqualsTheEdgesForBinWidthAndBinCount) {
  const BinSpec specs[] = {BinSpec::bin_width(0.05), BinSpec::bin_width(0.1), BinSpec::bin_width(1.0 / 3),
                           BinSpec::bin_width(25), BinSpec::bin_count(7), BinSpec::bin_count(64),
                           BinSpec::bin_count(1000)};
  for (const BinSpec& spec : specs) {
    SCOPED_TRACE(spec.kind == BinSpec::Kind::width ? "binWidth" : "binCount");
    expect_lookup_equals_edges(values_with_edges<float>(1, 1.0, 0.3), spec);
    expect_lookup_equals_edges(values_with_edges<double>(2, 1.0, 0.3), spec);
    expect_lookup_equals_edges(values_with_edges<float>(3, 2.0, 1000.0), spec);
    expect_lookup_equals_edges(values_with_edges<double>(4, 2.0, -1000.0), spec);
  }
}

TEST(LevelLookup, FallsBackToTheEdgesBeyondTheTable) {
  // 10^7 levels of width 1: more than kMaxTabulated.
  expect_lookup_equals_edges(std::vector<double>{0.0, 0.5, 1.0, 9999999.5, 1e7}, BinSpec::bin_width(1));
  expect_lookup_equals_edges(std::vector<float>{3.0f, 3.0f}, BinSpec::bin_width(25));  // one level
}

}  // namespace
}  // namespace salient::kernels
