#include "engine/selection/strategy_criteria.h"

#include "engine/criteria/criteria_registry.h"
#include "salient/check.h"

namespace salient::selection {
namespace {

using kernels::Direction;

StrategyCriterion registered(std::string_view name) {
  const auto* info = find_registered_criterion(name);
  SALIENT_ASSERT(info != nullptr);
  return {std::string(name), info->direction};
}

template <std::size_t N>
std::vector<StrategyCriterion> registered_all(const std::array<const char*, N>& names) {
  std::vector<StrategyCriterion> criteria;
  for (const char* name : names) criteria.push_back(registered(name));
  return criteria;
}

/// "name", "name:ascending" or "name:descending".
StrategyCriterion borda_entry(const std::string& entry) {
  const auto colon = entry.rfind(':');
  if (colon != std::string::npos) {
    const auto name = entry.substr(0, colon);
    const auto direction = entry.substr(colon + 1);
    SALIENT_CHECK(!name.empty() && (direction == "ascending" || direction == "descending"),
                  "strategy 'borda': criterion '{}': expected name, name:ascending or name:descending", entry);
    return {name, direction == "ascending" ? Direction::ascending : Direction::descending};
  }
  SALIENT_CHECK(find_registered_criterion(entry) != nullptr,
                "strategy 'borda': unknown criterion '{}' (give a registered criterion, or '{}:ascending' / "
                "'{}:descending' for another column)",
                entry, entry, entry);
  return registered(entry);
}

}  // namespace

const kernels::CriterionInfo* find_registered_criterion(std::string_view name) {
  const criteria::CriterionEntry* entry = criteria::find_criterion(name);
  return entry == nullptr ? nullptr : &entry->info;
}

std::vector<StrategyCriterion> strategy_criteria(const StrategySpec& spec) {
  switch (spec.strategy) {
    case Strategy::random: return {};
    case Strategy::entropy:
    case Strategy::hitl_entropy: return {registered("entropy")};
    case Strategy::margin: return {registered("margin")};
    case Strategy::least_confidence: return {registered("least_confidence")};
    case Strategy::mc_variance: return {registered("mc_variance")};
    case Strategy::bald: return {registered("bald")};
    case Strategy::ideal_kurtosis: return {registered("ideal_Kurtosis")};
    case Strategy::ideal_firstorder: return registered_all(kIdealFirstOrderFeatures);
    case Strategy::ideal_glcm: return registered_all(kIdealGlcmFeatures);
    case Strategy::ideal_shape: return registered_all(kIdealShapeFeatures);
    case Strategy::eg_al: {
      // A term whose weight is 0 is not read: λ = 0 is plain entropy, λ = 1 plain misalignment.
      std::vector<StrategyCriterion> criteria;
      if (spec.lambda < 1.0) criteria.push_back(registered("entropy"));
      if (spec.lambda > 0.0) criteria.push_back(registered(kEgAlDiceCriterion));
      return criteria;
    }
    case Strategy::acft:
      switch (spec.acft_criterion) {
        case AcftCriterion::entropy: return {registered("acft_entropy")};
        case AcftCriterion::diversity: return {registered("acft_diversity")};
        case AcftCriterion::entropy_diversity: return {registered("acft_score")};
      }
      break;
    case Strategy::borda: {
      std::vector<StrategyCriterion> criteria;
      for (const auto& entry : spec.borda_criteria) criteria.push_back(borda_entry(entry));
      return criteria;
    }
  }
  SALIENT_ASSERT(false);
  return {};
}

}  // namespace salient::selection
