#include "engine/selection/select.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "engine/selection/strategy_table.h"
#include "salient/check.h"
#include "salient/kernels/ranking.h"

namespace salient::selection {
namespace {

using kernels::Direction;

/// The candidates in ascending global-index order: the order the ranking kernels expect
/// (ties go to the lower position) and the reason row order does not matter.
struct OrderedPool {
  std::vector<std::size_t> rows;  ///< rows[p]: the table row at position p
  std::vector<std::int64_t> global_indices;
  std::vector<std::uint8_t> labeled;  ///< not selectable: labeled or held out
  std::vector<std::uint8_t> centers;  ///< labeled (not held out): what the model has learnt from
  std::int64_t labeled_count = 0;

  std::int64_t size() const { return static_cast<std::int64_t>(rows.size()); }
  kernels::PoolView view() const { return {size(), labeled.data(), global_indices.data()}; }
};

OrderedPool order_pool(const CriteriaTable& table, const std::set<std::string>& labeled_ids,
                       const std::set<std::string>& held_out_ids) {
  OrderedPool pool;
  pool.rows.resize(table.rows());
  std::iota(pool.rows.begin(), pool.rows.end(), std::size_t{0});
  const auto& indices = table.global_indices();
  std::sort(pool.rows.begin(), pool.rows.end(), [&](std::size_t a, std::size_t b) { return indices[a] < indices[b]; });
  for (const auto row : pool.rows) {
    pool.global_indices.push_back(indices[row]);
    const bool labeled = labeled_ids.count(table.ids()[row]) != 0;
    const bool excluded = labeled || held_out_ids.count(table.ids()[row]) != 0;
    pool.labeled.push_back(excluded ? 1 : 0);
    pool.centers.push_back(labeled ? 1 : 0);
    pool.labeled_count += excluded ? 1 : 0;
  }
  return pool;
}

std::vector<float> in_pool_order(const std::vector<float>& column, const OrderedPool& pool) {
  std::vector<float> values;
  values.reserve(pool.rows.size());
  for (const auto row : pool.rows) values.push_back(column[row]);
  return values;
}

/// Rows of @p dim values per table row, in pool order.
std::vector<float> rows_in_pool_order(const std::vector<float>& rows, std::int64_t dim, const OrderedPool& pool) {
  const auto width = static_cast<std::size_t>(dim);
  std::vector<float> values;
  values.reserve(pool.rows.size() * width);
  for (const auto row : pool.rows) {
    const auto first = rows.begin() + static_cast<std::ptrdiff_t>(row * width);
    values.insert(values.end(), first, first + static_cast<std::ptrdiff_t>(width));
  }
  return values;
}

/// The table's embeddings in pool order, or none when the strategy reads none.
std::vector<float> embeddings_in_pool_order(const CriteriaTable& table, const OrderedPool& pool,
                                            const StrategyDescriptor& descriptor) {
  if (!descriptor.reads_embeddings) return {};
  SALIENT_CHECK(table.embedding_dim() > 0,
                "strategy '{}' measures distances between embeddings, and the round was scored without them: score it "
                "again with --embeddings fp16 (scoring.embeddings; `auto` stores them for this strategy)",
                descriptor.name);
  return rows_in_pool_order(table.embeddings(), table.embedding_dim(), pool);
}

std::int64_t unlabeled_nan_count(const std::vector<float>& values, const OrderedPool& pool) {
  std::int64_t count = 0;
  for (std::size_t p = 0; p < values.size(); ++p) count += (!pool.labeled[p] && std::isnan(values[p])) ? 1 : 0;
  return count;
}

}  // namespace

Selection select(const CriteriaTable& table, const StrategySpec& spec, const std::set<std::string>& labeled_ids,
                 const std::set<std::string>& held_out_ids, RankGroup& group) {
  validate_strategy_spec(spec);
  const auto used = strategy_criteria(spec);
  const auto pool = order_pool(table, labeled_ids, held_out_ids);
  const auto& descriptor = descriptor_of(spec.strategy);
  const auto n = pool.size();

  std::vector<std::vector<float>> values;  // per used criterion, in pool order
  Selection result;
  result.strategy = spec.strategy;
  result.label = strategy_label(spec);
  result.candidates = sum_over_ranks(group, n);
  result.labeled = sum_over_ranks(group, pool.labeled_count);
  for (const auto& criterion : used) {
    const auto& column = table.column(criterion.name);
    values.push_back(in_pool_order(column, pool));
    result.criteria.push_back({criterion.name, ranked_direction(criterion.direction, spec.reverse),
                               sum_over_ranks(group, unlabeled_nan_count(values.back(), pool))});
  }

  std::vector<Direction> ranked;
  for (const auto& use : result.criteria) ranked.push_back(use.direction);
  const auto embeddings = embeddings_in_pool_order(table, pool, descriptor);
  std::vector<std::int32_t> clusters;  // in pool order, when the table has them
  if (!table.clusters().empty()) {
    for (const auto row : pool.rows) clusters.push_back(table.clusters()[row]);
  }
  const auto probabilities = descriptor.reads_embeddings && table.classes() > 0
                                 ? rows_in_pool_order(table.probabilities(), table.classes(), pool)
                                 : std::vector<float>();
  const StrategyInputs inputs{spec,
                              used,
                              values,
                              ranked,
                              pool.view(),
                              selection_size(spec),
                              {embeddings.data(), n, embeddings.empty() ? 0 : table.embedding_dim()},
                              {probabilities.data(), n, probabilities.empty() ? 0 : table.classes()},
                              table.multi_label(),
                              clusters,
                              table.forest(),
                              pool.centers,
                              group};
  const StrategyResult chosen = descriptor.select(inputs);
  result.score_name = chosen.score_name;
  result.score_direction = chosen.score_direction;

  // Each pick's id and criteria, from the rank that holds it.
  Message mine;
  for (const auto& pick : chosen.picked) {
    const auto found = std::lower_bound(pool.global_indices.begin(), pool.global_indices.end(), pick.global_index);
    if (found == pool.global_indices.end() || *found != pick.global_index) continue;
    const auto position = static_cast<std::size_t>(found - pool.global_indices.begin());
    const auto& id = table.ids()[pool.rows[position]];
    mine.put(pick.global_index).put(id.size()).put_all(id.data(), id.size());
    for (const auto& column : values) mine.put(column[position]);
  }
  std::map<std::int64_t, std::pair<std::string, std::vector<float>>> held;
  for (const auto& bytes : group.all_gather(mine.bytes())) {
    MessageReader reader(bytes);
    while (!reader.done()) {
      const auto index = reader.get<std::int64_t>();
      std::string id(reader.get<std::size_t>(), '\0');
      reader.get_all(id.data(), id.size());
      std::vector<float> criteria(values.size());
      reader.get_all(criteria.data(), criteria.size());
      held[index] = {std::move(id), std::move(criteria)};
    }
  }
  std::int64_t place = 0;
  for (const auto& pick : chosen.picked) {
    auto& [id, criteria] = held.at(pick.global_index);
    SelectedCandidate candidate;
    candidate.position = ++place;
    candidate.global_index = pick.global_index;
    candidate.id = std::move(id);
    candidate.score = pick.score;
    candidate.criteria = std::move(criteria);
    result.selected.push_back(std::move(candidate));
  }
  return result;
}

}  // namespace salient::selection
