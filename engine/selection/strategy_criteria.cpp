#include "engine/selection/strategy_criteria.h"

#include "engine/criteria/criteria_registry.h"
#include "engine/selection/strategy_table.h"

namespace salient::selection {

const kernels::CriterionInfo* find_registered_criterion(std::string_view name) {
  const criteria::CriterionEntry* entry = criteria::find_criterion(name);
  return entry == nullptr ? nullptr : &entry->info;
}

std::vector<StrategyCriterion> strategy_criteria(const StrategySpec& spec) {
  return descriptor_of(spec.strategy).criteria(spec);
}

}  // namespace salient::selection
