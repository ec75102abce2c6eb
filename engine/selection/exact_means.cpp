#include "engine/selection/exact_means.h"

#include <algorithm>
#include <cmath>

#include "salient/check.h"

namespace salient::selection {

GroupMeans exact_group_means(const EmbeddingRows& rows, const std::vector<std::int32_t>& group_of,
                             std::int32_t groups, RankGroup& group, const std::string& what) {
  __extension__ typedef __int128 Fixed;
  const auto dim = static_cast<std::size_t>(rows.dim);
  const auto cells = static_cast<std::size_t>(groups) * dim;
  std::vector<Fixed> sums(cells, 0);
  std::vector<std::int64_t> members(static_cast<std::size_t>(groups), 0);
  std::int64_t too_large = 0;
  for (std::size_t i = 0; i < group_of.size(); ++i) {
    if (group_of[i] < 0) continue;
    const auto g = static_cast<std::size_t>(group_of[i]);
    for (std::size_t j = 0; j < dim; ++j) {
      const double value = rows.values[i * dim + j];
      const bool fits = std::fabs(value) < 0x1p40;
      too_large += fits ? 0 : 1;
      sums[g * dim + j] += fits ? static_cast<Fixed>(value * 0x1p64) : 0;
    }
    ++members[g];
  }
  // Refused on every rank alike, so that none is left waiting.
  const auto beyond = sum_over_ranks(group, too_large);
  SALIENT_CHECK(beyond == 0, "{}: {} embedding feature(s) are 2^40 or more in magnitude", what, beyond);
  const auto all_sums = all_gather_values(group, sums);
  const auto all_members = all_gather_values(group, members);
  GroupMeans result{std::vector<double>(cells, 0.0), std::vector<std::int64_t>(static_cast<std::size_t>(groups), 0)};
  for (std::size_t r = 0; r * cells < all_sums.size(); ++r)
    for (std::size_t g = 0; g < static_cast<std::size_t>(groups); ++g)
      result.members[g] += all_members[r * static_cast<std::size_t>(groups) + g];
  for (std::size_t c = 0; c < cells; ++c) {
    Fixed sum = 0;
    for (std::size_t r = 0; r * cells < all_sums.size(); ++r) sum += all_sums[r * cells + c];
    const auto count = static_cast<double>(result.members[c / std::max<std::size_t>(dim, 1)]);
    result.means[c] = static_cast<double>(sum) * 0x1p-64 / std::max(count, 1.0);
  }
  return result;
}

}  // namespace salient::selection
