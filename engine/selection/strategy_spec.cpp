#include "engine/selection/strategy_spec.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/selection/strategy_table.h"
#include "salient/check.h"

namespace salient::selection {
namespace {

std::string where(const std::string& strategy, const std::string& key) {
  return fmt::format("strategy '{}': parameter '{}'", strategy, key);
}

std::int64_t parse_integer(const std::string& text, const std::string& context) {
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  SALIENT_CHECK(!text.empty() && end == text.c_str() + text.size() && errno == 0,
                "{}: expected an integer, got '{}'", context, text);
  return value;
}

std::uint64_t parse_unsigned(const std::string& text, const std::string& context) {
  errno = 0;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  SALIENT_CHECK(!text.empty() && text.front() != '-' && end == text.c_str() + text.size() && errno == 0,
                "{}: expected a non-negative integer, got '{}'", context, text);
  return value;
}

double parse_real(const std::string& text, const std::string& context) {
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  SALIENT_CHECK(!text.empty() && end == text.c_str() + text.size() && errno == 0 && std::isfinite(value),
                "{}: expected a finite number, got '{}'", context, text);
  return value;
}

bool parse_bool(const std::string& text, const std::string& context) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  SALIENT_CHECK(false, "{}: expected true or false, got '{}'", context, text);
  return false;
}

/// "a, b,c" → {"a", "b", "c"}; spaces around items are dropped, empty items are an error.
std::vector<std::string> parse_list(const std::string& text, const std::string& context) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const auto stop = comma == std::string::npos ? text.size() : comma;
    const auto first = text.find_first_not_of(' ', start);
    const auto last = text.find_last_not_of(' ', stop == 0 ? 0 : stop - 1);
    SALIENT_CHECK(first != std::string::npos && first < stop && last >= first, "{}: empty item in '{}'", context,
                  text);
    items.push_back(text.substr(first, last - first + 1));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

}  // namespace

std::string strategy_name(Strategy strategy) { return descriptor_of(strategy).name; }

std::vector<Strategy> all_strategies() {
  std::vector<Strategy> strategies;
  for (const auto& descriptor : strategy_table()) strategies.push_back(descriptor.strategy);
  return strategies;
}

Strategy parse_strategy(const std::string& name) {
  std::vector<std::string> known;
  for (const auto& descriptor : strategy_table()) {
    if (name == descriptor.name) return descriptor.strategy;
    known.emplace_back(descriptor.name);
  }
  SALIENT_CHECK(false, "unknown strategy '{}' (known: {})", name, fmt::join(known, ", "));
  return Strategy::random;
}

std::string acft_criterion_name(AcftCriterion criterion) {
  switch (criterion) {
    case AcftCriterion::entropy: return "entropy";
    case AcftCriterion::diversity: return "diversity";
    case AcftCriterion::entropy_diversity: return "entropy+diversity";
  }
  SALIENT_ASSERT(false);
  return {};
}

AcftCriterion parse_acft_criterion(const std::string& name) {
  for (const auto criterion : {AcftCriterion::entropy, AcftCriterion::diversity, AcftCriterion::entropy_diversity})
    if (name == acft_criterion_name(criterion)) return criterion;
  SALIENT_CHECK(false, "unknown ACFT criterion '{}' (known: entropy, diversity, entropy+diversity)", name);
  return AcftCriterion::entropy_diversity;
}

StrategySpec parse_strategy_spec(const std::string& name, const std::map<std::string, std::string>& parameters) {
  StrategySpec spec;
  spec.strategy = parse_strategy(name);
  const auto& specific = descriptor_of(spec.strategy).keys;
  for (const auto& [key, value] : parameters) {
    const auto context = where(name, key);
    if (key == "budget") {
      spec.budget = parse_integer(value, context);
    } else if (key == "reverse") {
      spec.reverse = parse_bool(value, context);
    } else if (key == "seed") {
      spec.seed = parse_unsigned(value, context);
    } else if (key == "round") {
      const auto round = parse_unsigned(value, context);
      SALIENT_CHECK(round <= std::numeric_limits<std::uint32_t>::max(), "{}: {} is too large", context, value);
      spec.round = static_cast<std::uint32_t>(round);
    } else {
      SALIENT_CHECK(std::find(specific.begin(), specific.end(), key) != specific.end(),
                    "{} is unknown or does not apply (common: budget, reverse, seed, round; this strategy: {})",
                    context, specific.empty() ? std::string("none") : fmt::format("{}", fmt::join(specific, ", ")));
      if (key == "lambda") spec.lambda = parse_real(value, context);
      if (key == "alpha") spec.alpha = parse_real(value, context);
      if (key == "omega") spec.omega = parse_integer(value, context);
      if (key == "criterion") spec.acft_criterion = parse_acft_criterion(value);
      if (key == "criteria") spec.borda_criteria = parse_list(value, context);
      if (key == "x") spec.feedback_count = parse_integer(value, context);
    }
  }
  validate_strategy_spec(spec);
  return spec;
}

void validate_strategy_spec(const StrategySpec& spec) {
  const auto name = strategy_name(spec.strategy);
  SALIENT_CHECK(spec.budget >= 1 || (spec.strategy == Strategy::hitl_entropy && spec.feedback_count >= 1),
                "strategy '{}': budget must be >= 1, got {}", name, spec.budget);
  SALIENT_CHECK(spec.lambda >= 0.0 && spec.lambda <= 1.0, "strategy '{}': lambda must lie in [0, 1], got {}", name,
                spec.lambda);
  SALIENT_CHECK(spec.alpha > 0.0 && spec.alpha <= 1.0, "strategy '{}': alpha must lie in (0, 1], got {}", name,
                spec.alpha);
  SALIENT_CHECK(spec.omega >= 1, "strategy '{}': omega must be >= 1, got {}", name, spec.omega);
  SALIENT_CHECK(spec.feedback_count >= 0, "strategy '{}': x must be >= 0, got {}", name, spec.feedback_count);
  SALIENT_CHECK(spec.strategy != Strategy::borda || !spec.borda_criteria.empty(),
                "strategy 'borda' needs a list of criteria (parameter 'criteria')");
}

std::int64_t selection_size(const StrategySpec& spec) {
  if (spec.strategy == Strategy::hitl_entropy && spec.feedback_count > 0) return spec.feedback_count;
  return spec.budget;
}

}  // namespace salient::selection
