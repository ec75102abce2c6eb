#include "engine/selection/select.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/selection/strategy_criteria.h"
#include "salient/check.h"
#include "salient/kernels/acft_draw.h"
#include "salient/kernels/counter_random.h"
#include "salient/kernels/ranking.h"

namespace salient::selection {
namespace {

using kernels::Direction;

Direction flipped_if(Direction direction, bool reverse) {
  if (!reverse) return direction;
  return direction == Direction::descending ? Direction::ascending : Direction::descending;
}

/// The candidates in ascending global-index order: the order the ranking kernels expect
/// (ties go to the lower position) and the reason row order does not matter.
struct OrderedPool {
  std::vector<std::size_t> rows;  ///< rows[p]: the table row at position p
  std::vector<std::int64_t> global_indices;
  std::vector<std::uint8_t> labeled;
  std::int64_t labeled_count = 0;

  std::int64_t size() const { return static_cast<std::int64_t>(rows.size()); }
  kernels::PoolView view() const { return {size(), labeled.data(), global_indices.data()}; }
};

OrderedPool order_pool(const CriteriaTable& table, const std::set<std::string>& labeled_ids) {
  OrderedPool pool;
  pool.rows.resize(table.rows());
  std::iota(pool.rows.begin(), pool.rows.end(), std::size_t{0});
  const auto& indices = table.global_indices();
  std::sort(pool.rows.begin(), pool.rows.end(), [&](std::size_t a, std::size_t b) { return indices[a] < indices[b]; });
  for (const auto row : pool.rows) {
    pool.global_indices.push_back(indices[row]);
    const bool labeled = labeled_ids.count(table.ids()[row]) != 0;
    pool.labeled.push_back(labeled ? 1 : 0);
    pool.labeled_count += labeled ? 1 : 0;
  }
  return pool;
}

std::vector<float> in_pool_order(const std::vector<float>& column, const OrderedPool& pool) {
  std::vector<float> values;
  values.reserve(pool.rows.size());
  for (const auto row : pool.rows) values.push_back(column[row]);
  return values;
}

std::int64_t unlabeled_nan_count(const std::vector<float>& values, const OrderedPool& pool) {
  std::int64_t count = 0;
  for (std::size_t p = 0; p < values.size(); ++p) count += (!pool.labeled[p] && std::isnan(values[p])) ? 1 : 0;
  return count;
}

/// EG-AL: (1 − λ)·H + λ·(1 − Dice); a term of weight 0 is not read (strategy_criteria).
std::vector<double> eg_al_scores(const std::vector<std::vector<float>>& values, double lambda, std::int64_t n) {
  std::vector<double> scores(static_cast<std::size_t>(n), 0.0);
  std::size_t column = 0;
  if (lambda < 1.0) {
    for (std::int64_t p = 0; p < n; ++p) scores[p] += (1.0 - lambda) * static_cast<double>(values[column][p]);
    ++column;
  }
  if (lambda > 0.0)
    for (std::int64_t p = 0; p < n; ++p) scores[p] += lambda * (1.0 - static_cast<double>(values[column][p]));
  return scores;
}

}  // namespace

Selection select(const CriteriaTable& table, const StrategySpec& spec, const std::set<std::string>& labeled_ids) {
  validate_strategy_spec(spec);
  const auto used = strategy_criteria(spec);
  const auto pool = order_pool(table, labeled_ids);
  const auto n = pool.size();
  const kernels::ExecutionContext cpu{};

  std::vector<std::vector<float>> values;  // per used criterion, in pool order
  Selection result;
  result.strategy = spec.strategy;
  result.candidates = n;
  result.labeled = pool.labeled_count;
  for (const auto& criterion : used) {
    const auto& column = table.column(criterion.name);
    values.push_back(in_pool_order(column, pool));
    result.criteria.push_back(
        {criterion.name, flipped_if(criterion.direction, spec.reverse), unlabeled_nan_count(values.back(), pool)});
  }

  const auto wanted = selection_size(spec);
  std::vector<std::int64_t> picked(static_cast<std::size_t>(std::min(wanted, n)));
  std::vector<double> scores(static_cast<std::size_t>(n));  // the reported score, per position
  std::int64_t count = 0;
  switch (spec.strategy) {
    case Strategy::random: {
      // Rank by a uniform in (0, 1) per image: independent of the pool's split and order.
      const kernels::RandomKey key{spec.seed, spec.round, kernels::RandomStream::uniform_scores};
      kernels::counter_uniforms(key, pool.global_indices.data(), n, scores.data(), cpu);
      result.score_name = "uniform";
      result.score_direction = flipped_if(Direction::descending, spec.reverse);
      count = kernels::top_k(scores.data(), result.score_direction, pool.view(), wanted, picked.data(), cpu);
      break;
    }
    case Strategy::ideal_firstorder:
    case Strategy::ideal_glcm:
    case Strategy::ideal_shape:
    case Strategy::borda: {
      // IDEAL eq. 2: argmin of the sum of per-criterion ranks (--reverse flips each criterion).
      std::vector<kernels::BordaCriterion> borda;
      for (std::size_t c = 0; c < values.size(); ++c) borda.push_back({values[c].data(), result.criteria[c].direction});
      kernels::borda_sums(borda, pool.view(), scores.data(), cpu);
      result.score_name = "borda_sum";
      result.score_direction = Direction::ascending;
      count = kernels::top_k(scores.data(), result.score_direction, pool.view(), wanted, picked.data(), cpu);
      break;
    }
    case Strategy::eg_al: {
      scores = eg_al_scores(values, spec.lambda, n);
      result.score_name = "eg_al_score";
      result.score_direction = flipped_if(Direction::descending, spec.reverse);
      count = kernels::top_k(scores.data(), result.score_direction, pool.view(), wanted, picked.data(), cpu);
      break;
    }
    case Strategy::acft: {
      // The draw favours large scores; --reverse draws on the negated score (NaN stays NaN).
      auto drawn_on = values[0];
      if (spec.reverse)
        for (auto& value : drawn_on) value = -value;
      const kernels::AcftDrawConfig config{wanted, spec.omega, spec.seed, spec.round};
      std::copy(values[0].begin(), values[0].end(), scores.begin());
      result.score_name = used[0].name;
      result.score_direction = result.criteria[0].direction;
      count = kernels::acft_randomized_draw(drawn_on.data(), pool.view(), config, picked.data(), cpu);
      break;
    }
    default: {  // one criterion, top-B (top-X for hitl-entropy)
      std::copy(values[0].begin(), values[0].end(), scores.begin());
      result.score_name = used[0].name;
      result.score_direction = result.criteria[0].direction;
      count = kernels::top_k(values[0].data(), result.score_direction, pool.view(), wanted, picked.data(), cpu);
      break;
    }
  }

  for (std::int64_t place = 0; place < count; ++place) {
    const auto position = static_cast<std::size_t>(picked[static_cast<std::size_t>(place)]);
    SelectedCandidate candidate;
    candidate.position = place + 1;
    candidate.global_index = pool.global_indices[position];
    candidate.id = table.ids()[pool.rows[position]];
    candidate.score = scores[position];
    for (const auto& column : values) candidate.criteria.push_back(column[position]);
    result.selected.push_back(std::move(candidate));
  }
  return result;
}

}  // namespace salient::selection
