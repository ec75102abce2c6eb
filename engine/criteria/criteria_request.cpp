#include "engine/criteria/criteria_request.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "salient/check.h"

namespace salient::criteria {

void CriteriaRequest::set_seed(std::uint64_t seed, std::uint32_t round) {
  mc_dropout.seed = seed;
  mc_dropout.round = round;
  patches.seed = seed;
  patches.round = round;
}

void check_request(const CriteriaRequest& request) {
  SALIENT_CHECK(!request.names.empty(), "no criterion requested (known: {})", known_criteria_names());
  std::vector<std::string> seen;
  for (const auto& name : request.names) {
    criterion(name);
    SALIENT_CHECK(std::find(seen.begin(), seen.end(), name) == seen.end(), "criterion '{}' requested twice", name);
    seen.push_back(name);
  }
  const CriteriaNeeds needs = [&] {
    CriteriaNeeds n;
    for (const auto& name : request.names) n.source[static_cast<int>(criterion(name).source)] = true;
    return n;
  }();
  if (needs.uses(Source::first_order)) kernels::check_bin_spec(request.first_order.bins);
  if (needs.uses(Source::glcm)) {
    kernels::check_bin_spec(request.glcm.bins);
    kernels::glcm_offsets(request.glcm.distances);
  }
  if (needs.uses(Source::shape2d) && request.shape2d.threshold == kernels::Shape2DParams::Threshold::quantile) {
    SALIENT_CHECK(request.shape2d.quantile >= 0.0 && request.shape2d.quantile <= 1.0,
                  "shape2D quantile {} is outside [0, 1]", request.shape2d.quantile);
  }
  if (needs.uses(Source::alignment)) {
    SALIENT_CHECK(std::isfinite(request.alignment.dice_threshold), "the Dice threshold must be finite, not {}",
                  request.alignment.dice_threshold);
  }
  if (needs.uses(Source::mc_dropout)) {
    SALIENT_CHECK(request.mc_dropout.samples >= 1, "MC dropout needs T >= 1 samples, not {}",
                  request.mc_dropout.samples);
    SALIENT_CHECK(request.mc_dropout.rate >= 0.0 && request.mc_dropout.rate < 1.0,
                  "MC dropout rate {} is outside [0, 1)", request.mc_dropout.rate);
  }
  if (needs.uses(Source::patches)) {
    SALIENT_CHECK(request.patches.views >= 1, "ACFT needs m >= 1 views, not {}", request.patches.views);
    SALIENT_CHECK(request.acft.alpha > 0.0 && request.acft.alpha <= 1.0, "ACFT alpha {} is outside (0, 1]",
                  request.acft.alpha);
  }
}

CriteriaNeeds needs_of(const CriteriaRequest& request) {
  check_request(request);
  CriteriaNeeds needs;
  for (const auto& name : request.names) needs.source[static_cast<int>(criterion(name).source)] = true;
  needs.maps = needs.uses(Source::first_order) || needs.uses(Source::glcm) || needs.uses(Source::shape2d) ||
               needs.uses(Source::alignment);
  needs.roi = needs.uses(Source::alignment);
  needs.probabilities = needs.uses(Source::prediction);
  needs.mc_samples = needs.uses(Source::mc_dropout);
  needs.patches = needs.uses(Source::patches);
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
    bool is_source = false;
    for (int s = 0; s < kSourceCount; ++s) {
      if (token != source_name(static_cast<Source>(s))) continue;
      is_source = true;
      for (const auto& entry : kCriteria) {
        if (entry.source == static_cast<Source>(s)) add(entry.info.name);
      }
    }
    if (!is_source) add(criterion(token).info.name);
  }
  SALIENT_CHECK(!names.empty(), "--criteria '{}' names no criterion (known: {})", text, known_criteria_names());
  return names;
}

}  // namespace salient::criteria
