#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "salient/check.h"
#include "salient/kernels/ranking_comparison.h"

namespace salient::kernels {
namespace {

TEST(RankingComparison, NdcgOfTheReferenceItselfIsOne) {
  const std::vector<std::int64_t> reference{9, 4, 7, 1, 3, 8, 2, 6, 5, 0, 11, 10};
  EXPECT_DOUBLE_EQ(ndcg(reference, reference), 1.0);
  EXPECT_DOUBLE_EQ(ndcg(reference, reference, 3), 1.0);
}

TEST(RankingComparison, NdcgMatchesAHandComputedCase) {
  // p = 3: reference relevances 2, 1.5, 1 for images 10, 20, 30 (IDEAL's 0.5 steps ending at 1).
  // IDCG = (2² − 1)/log2 2 + (2^1.5 − 1)/log2 3 + (2 − 1)/log2 4 = 3 + 1.828427/1.584963 + 0.5.
  // Ranking (20, 99, 10): DCG = (2^1.5 − 1)/1 + 0 + (2² − 1)/2.
  const double idcg = 3.0 + (std::pow(2.0, 1.5) - 1.0) / std::log2(3.0) + 0.5;
  const double dcg = (std::pow(2.0, 1.5) - 1.0) + 3.0 / 2.0;
  EXPECT_NEAR(ndcg({20, 99, 10}, {10, 20, 30, 40}, 3), dcg / idcg, 1e-15);
  // With the default p = 10 the top relevance is 5.5, as in IDEAL.
  const std::vector<std::int64_t> reference{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<std::int64_t> swapped{1, 0, 2, 3, 4, 5, 6, 7, 8, 9};
  const double ideal_dcg_first_two = (std::pow(2.0, 5.5) - 1.0) + (std::pow(2.0, 5.0) - 1.0) / std::log2(3.0);
  const double swapped_first_two = (std::pow(2.0, 5.0) - 1.0) + (std::pow(2.0, 5.5) - 1.0) / std::log2(3.0);
  double rest = 0.0;
  for (int i = 3; i <= 10; ++i) rest += (std::pow(2.0, 1.0 + 0.5 * (10 - i)) - 1.0) / std::log2(i + 1.0);
  EXPECT_NEAR(ndcg(swapped, reference), (swapped_first_two + rest) / (ideal_dcg_first_two + rest), 1e-15);
}

TEST(RankingComparison, NdcgRejectsAShortOrRepeatingReference) {
  EXPECT_THROW(ndcg({1, 2}, {1, 2}, 3), Error);
  EXPECT_THROW(ndcg({1, 2}, {1, 1, 2}, 3), Error);
  EXPECT_THROW(ndcg({1, 2}, {1, 2}, 0), Error);
}

TEST(RankingComparison, CommonFractionCountsSamplesInEverySelection) {
  EXPECT_DOUBLE_EQ(common_fraction({{1, 2, 3, 4}, {3, 4, 5, 6}}), 0.5);
  EXPECT_DOUBLE_EQ(common_fraction({{1, 2, 3, 4}, {3, 4, 5, 6}, {4, 6, 7, 8}}), 0.25);
  EXPECT_DOUBLE_EQ(common_fraction({{1, 2}, {2, 1, 9, 10}}), 1.0);  // the smaller lies in the larger
  EXPECT_DOUBLE_EQ(common_fraction({{1, 2}, {3, 4}}), 0.0);
  EXPECT_THROW(common_fraction({{1, 2}}), Error);
  EXPECT_THROW(common_fraction({{1, 2}, {}}), Error);
}

}  // namespace
}  // namespace salient::kernels
