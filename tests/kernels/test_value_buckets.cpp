// detail::ValueBuckets (the CPU twins' exact order statistics without a sort) against
// std::sort, on values chosen to stress its buckets: ties, one value repeated, signed zeros,
// doubles that round to the same float32, a huge range, a single value.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "detail/value_buckets.h"

namespace salient::kernels {
namespace {

template <typename T>
void expect_order_statistics_of(const std::vector<T>& values, const std::vector<std::int64_t>& ranks) {
  std::vector<T> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  detail::ValueBuckets<T> buckets;
  const auto n = static_cast<std::int64_t>(values.size());
  buckets.count(values.data(), n);
  std::vector<T> selected(ranks.size());
  double seen = 0;
  buckets.gather(values.data(), n, ranks.data(), static_cast<int>(ranks.size()), selected.data(),
                 [&](T x) { seen += static_cast<double>(x == x); });
  EXPECT_EQ(seen, static_cast<double>(n)) << "each() sees every value once";
  for (std::size_t j = 0; j < ranks.size(); ++j) {
    EXPECT_EQ(selected[j], sorted[static_cast<std::size_t>(ranks[j])]) << "rank " << ranks[j] << " of " << n;
  }
}

std::vector<std::int64_t> spread_ranks(std::int64_t n) {
  // Unordered, repeated, and the extremes.
  return {n - 1, 0, n / 2, n / 10, n / 2, (9 * n) / 10, n / 4, (3 * n) / 4, std::min<std::int64_t>(1, n - 1)};
}

TEST(ValueBuckets, SelectsExactOrderStatisticsOfRandomValues) {
  std::mt19937 rng(3);
  std::normal_distribution<float> normal(0.2f, 3.0f);
  std::vector<float> values(10007);
  for (auto& v : values) v = normal(rng);
  expect_order_statistics_of(values, spread_ranks(static_cast<std::int64_t>(values.size())));
}

TEST(ValueBuckets, HandlesTiesAndASingleRepeatedValue) {
  std::mt19937 rng(4);
  std::uniform_int_distribution<int> small(0, 5);
  std::vector<float> ties(5000);
  for (auto& v : ties) v = static_cast<float>(small(rng));
  expect_order_statistics_of(ties, spread_ranks(5000));
  expect_order_statistics_of(std::vector<float>(777, 0.25f), spread_ranks(777));
  expect_order_statistics_of(std::vector<float>{42.0f}, {0, 0});
}

TEST(ValueBuckets, OrdersSignedZerosAndExtremeMagnitudes) {
  std::vector<float> values{0.0f, -0.0f, 1e-40f, -1e-40f, 3.4e38f, -3.4e38f, 1.0f, -1.0f, 0.0f, -0.0f, 7.5f};
  for (std::int64_t r = 0; r < static_cast<std::int64_t>(values.size()); ++r) expect_order_statistics_of(values, {r});
}

TEST(ValueBuckets, SeparatesDoublesThatRoundToTheSameFloat) {
  // Every value rounds to float32 1.0f: one bucket, selected by comparing the doubles.
  std::vector<double> values;
  for (int k = 0; k < 1000; ++k) values.push_back(1.0 + ((k * 7919) % 1000) * 1e-12);
  values.push_back(-2.0);
  values.push_back(1e300);
  expect_order_statistics_of(values, spread_ranks(static_cast<std::int64_t>(values.size())));
}

}  // namespace
}  // namespace salient::kernels
