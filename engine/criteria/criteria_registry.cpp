#include "engine/criteria/criteria_registry.h"

#include <fmt/format.h>

#include <set>

#include "salient/check.h"

namespace salient::criteria {
namespace {

std::vector<CriterionEntry> make_registry() {
  std::vector<CriterionEntry> all;
  std::set<std::string_view> names;
  const auto& families = criterion_families();
  for (std::size_t f = 0; f < families.size(); ++f) {
    for (const auto& criterion : families[f].criteria) {
      SALIENT_ASSERT(names.insert(criterion.info.name).second);  // two criteria share a name
      all.push_back({criterion.info, f, criterion.output, criterion.derivation});
    }
  }
  return all;
}

}  // namespace

const std::vector<CriterionEntry>& all_criteria() {
  static const std::vector<CriterionEntry> all = make_registry();
  return all;
}

const CriterionFamily& family_of(const CriterionEntry& entry) { return criterion_families()[entry.family]; }

const CriterionEntry* find_criterion(std::string_view name) {
  for (const auto& entry : all_criteria()) {
    if (name == entry.info.name) return &entry;
  }
  return nullptr;
}

const CriterionEntry& criterion(std::string_view name) {
  const CriterionEntry* entry = find_criterion(name);
  SALIENT_CHECK(entry != nullptr, "unknown criterion '{}' (known: {})", name, known_criteria_names());
  return *entry;
}

std::string known_criteria_names() {
  std::string text;
  for (const auto& entry : all_criteria()) {
    if (!text.empty()) text += ", ";
    text += entry.info.name;
  }
  return text;
}

std::string criteria_help() {
  std::string text;
  for (const auto& family : criterion_families()) {
    std::string names;
    for (const auto& criterion : family.criteria) {
      names += names.empty() ? "" : ", ";
      names += criterion.info.name;
      if (criterion.info.direction == kernels::Direction::ascending) names += " (ascending)";
    }
    text += fmt::format("  {} [needs {}]: {}\n", family.name, family.needs, names);
  }
  return text;
}

}  // namespace salient::criteria
