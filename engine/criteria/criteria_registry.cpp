#include "engine/criteria/criteria_registry.h"

#include <fmt/format.h>

#include "salient/check.h"

namespace salient::criteria {

std::string_view source_name(Source source) {
  switch (source) {
    case Source::prediction: return "prediction";
    case Source::mc_dropout: return "mc_dropout";
    case Source::patches: return "patches";
    case Source::first_order: return "firstorder";
    case Source::glcm: return "glcm";
    case Source::shape2d: return "shape2D";
    case Source::alignment: return "alignment";
  }
  return "unknown";
}

std::string_view source_needs(Source source) {
  switch (source) {
    case Source::prediction: return "probabilities";
    case Source::mc_dropout: return "MC-dropout samples";
    case Source::patches: return "ACFT views";
    case Source::first_order:
    case Source::glcm:
    case Source::shape2d: return "saliency map";
    case Source::alignment: return "saliency map + ROI mask";
  }
  return "unknown";
}

const CriterionEntry* find_criterion(std::string_view name) {
  for (const auto& entry : kCriteria) {
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
  for (const auto& entry : kCriteria) {
    if (!text.empty()) text += ", ";
    text += entry.info.name;
  }
  return text;
}

std::string criteria_help() {
  std::string text;
  for (int s = 0; s < kSourceCount; ++s) {
    const auto source = static_cast<Source>(s);
    std::string names;
    for (const auto& entry : kCriteria) {
      if (entry.source != source) continue;
      names += names.empty() ? "" : ", ";
      names += entry.info.name;
      if (entry.info.direction == kernels::Direction::ascending) names += " (ascending)";
    }
    text += fmt::format("  {} [needs {}]: {}\n", source_name(source), source_needs(source), names);
  }
  return text;
}

}  // namespace salient::criteria
