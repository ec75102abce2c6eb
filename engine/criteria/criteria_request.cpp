#include "engine/criteria/criteria_request.h"

#include <algorithm>
#include <sstream>

#include <fmt/format.h>

#include "engine/runtime/field_text.h"
#include "salient/check.h"

namespace salient::criteria {

void CriteriaRequest::set_bins(const kernels::BinSpec& bins) {
  first_order.bins = bins;
  glcm.bins = bins;
  glrlm.bins = bins;
  glszm.bins = bins;
  gldm.bins = bins;
  ngtdm.bins = bins;
}

void CriteriaRequest::set_seed(std::uint64_t seed, std::uint32_t round) {
  mc_dropout.seed = seed;
  mc_dropout.round = round;
  patches.seed = seed;
  patches.round = round;
}

namespace {

std::vector<bool> families_of(const CriteriaRequest& request) {
  std::vector<bool> used(criterion_families().size(), false);
  for (const auto& name : request.names) used[criterion(name).family] = true;
  return used;
}

}  // namespace

void check_parameters(const CriteriaRequest& request, const CriterionFamily& family) {
  for (const auto& parameter : family.parameters) {
    try {
      runtime::check_field(parameter, request);
    } catch (const Error& error) {
      throw Error(fmt::format("{} parameter '{}': {}", family.name, parameter.name, error.what()));
    }
  }
  try {
    family.check(request);
  } catch (const Error& error) {
    throw Error(fmt::format("{} parameters: {}", family.name, error.what()));
  }
}

void check_request(const CriteriaRequest& request) {
  SALIENT_CHECK(!request.names.empty(), "no criterion requested (known: {})", known_criteria_names());
  std::vector<std::string> seen;
  for (const auto& name : request.names) {
    criterion(name);
    SALIENT_CHECK(std::find(seen.begin(), seen.end(), name) == seen.end(), "criterion '{}' requested twice", name);
    seen.push_back(name);
  }
  const auto used = families_of(request);
  for (std::size_t f = 0; f < used.size(); ++f) {
    if (!used[f]) continue;
    check_parameters(request, criterion_families()[f]);
  }
}

CriteriaNeeds needs_of(const CriteriaRequest& request) {
  check_request(request);
  CriteriaNeeds needs;
  needs.families = families_of(request);
  needs.embeddings = request.embeddings != EmbeddingStorage::none;
  needs.codes = request.deep_codes.latent > 0;
  needs.maps = needs.codes;
  for (std::size_t f = 0; f < needs.families.size(); ++f) {
    if (!needs.families[f]) continue;
    switch (criterion_families()[f].input) {
      case FamilyInput::probabilities: needs.probabilities = true; break;
      case FamilyInput::mc_samples: needs.mc_samples = true; break;
      case FamilyInput::patch_views: needs.patches = true; break;
      case FamilyInput::maps_and_roi: needs.roi = true; [[fallthrough]];
      case FamilyInput::maps: needs.maps = true; break;
    }
  }
  return needs;
}

std::vector<std::string> parse_criteria_list(const std::string& text) {
  std::vector<std::string> names;
  const auto add = [&](const std::string& name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  std::stringstream list(text);
  for (std::string token; std::getline(list, token, ',');) {
    const auto first = token.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    token = token.substr(first, token.find_last_not_of(" \t") - first + 1);
    if (const auto* family = find_family(token)) {
      for (const auto& entry : family->criteria) add(entry.info.name);
    } else {
      add(criterion(token).info.name);
    }
  }
  SALIENT_CHECK(!names.empty(), "--criteria '{}' names no criterion (known: {})", text, known_criteria_names());
  return names;
}

}  // namespace salient::criteria
