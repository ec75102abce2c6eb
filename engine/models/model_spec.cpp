#include "engine/models/model_spec.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <utility>

#include "salient/check.h"

namespace salient::models {
namespace {

constexpr std::array<std::pair<Architecture, const char*>, 5> kArchitectureNames{{
    {Architecture::densenet121, "densenet121"},
    {Architecture::resnet18, "resnet18"},
    {Architecture::resnet50, "resnet50"},
    {Architecture::small_cnn, "small-cnn"},
    {Architecture::torchscript, "torchscript"},
}};

constexpr std::array<std::pair<OutputKind, const char*>, 2> kOutputKindNames{{
    {OutputKind::multi_label, "multi-label"},
    {OutputKind::multi_class, "multi-class"},
}};

template <typename T>
T required(const nlohmann::json& object, const char* key, const std::string& where) {
  SALIENT_CHECK(object.contains(key), "{}: the model spec has no '{}'", where, key);
  try {
    return object.at(key).get<T>();
  } catch (const nlohmann::json::exception& error) {
    throw Error(fmt::format("{}: the model spec's '{}' has the wrong type ({})", where, key, error.what()));
  }
}

}  // namespace

std::string architecture_name(Architecture architecture) {
  for (const auto& [value, name] : kArchitectureNames) {
    if (value == architecture) return name;
  }
  SALIENT_ASSERT(false);
  return {};
}

Architecture parse_architecture(const std::string& name) {
  for (const auto& [value, known] : kArchitectureNames) {
    if (name == known) return value;
  }
  throw Error(fmt::format("unknown architecture '{}' (expected densenet121, resnet18, resnet50, small-cnn or "
                          "torchscript)",
                          name));
}

std::optional<Architecture> find_builtin_architecture(const std::string& name) {
  for (const auto& [value, known] : kArchitectureNames) {
    if (name == known && value != Architecture::torchscript) return value;
  }
  return std::nullopt;
}

std::int64_t smallest_input_size(Architecture architecture) {
  switch (architecture) {
    case Architecture::small_cnn: return 8;
    case Architecture::densenet121: return 29;
    case Architecture::resnet18:
    case Architecture::resnet50:
    case Architecture::torchscript: return 1;
  }
  return 1;
}

void check_input_size(const ModelSpec& spec) {
  const std::int64_t smallest = smallest_input_size(spec.architecture);
  SALIENT_CHECK(spec.input_size >= smallest,
                "{} takes inputs of at least {}×{} pixels (its pooling stages shrink smaller ones to nothing), not "
                "{}×{}: raise the input size",
                architecture_name(spec.architecture), smallest, smallest, spec.input_size, spec.input_size);
}

std::string output_kind_name(OutputKind kind) {
  for (const auto& [value, name] : kOutputKindNames) {
    if (value == kind) return name;
  }
  SALIENT_ASSERT(false);
  return {};
}

OutputKind parse_output_kind(const std::string& name) {
  for (const auto& [value, known] : kOutputKindNames) {
    if (name == known) return value;
  }
  throw Error(fmt::format("unknown output kind '{}' (expected multi-label or multi-class)", name));
}

std::string spec_to_json(const ModelSpec& spec) {
  nlohmann::json json = {
      {"architecture", architecture_name(spec.architecture)},
      {"classes", spec.classes},
      {"output", output_kind_name(spec.output)},
      {"in_channels", spec.in_channels},
      {"input_size", spec.input_size},
      {"head_dropout", spec.head_dropout},
      {"trunk_dropout", spec.trunk_dropout},
      {"wildcat",
       {{"enabled", spec.wildcat.enabled},
        {"maps_per_class", spec.wildcat.maps_per_class},
        {"k_max", spec.wildcat.k_max},
        {"k_min", spec.wildcat.k_min},
        {"alpha", spec.wildcat.alpha}}},
  };
  // Written when not the defaults, so that the specs of earlier checkpoints read the same.
  if (!(spec.normalisation == InputNormalisation{})) {
    json["normalisation"] = {{"mean", spec.normalisation.mean}, {"std", spec.normalisation.std}};
  }
  if (!spec.labels.empty()) json["labels"] = spec.labels;
  return json.dump();
}

ModelSpec spec_from_json(const std::string& text, const std::string& where) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& error) {
    throw Error(fmt::format("{}: the model spec is not valid JSON ({})", where, error.what()));
  }
  SALIENT_CHECK(json.is_object(), "{}: the model spec is not a JSON object", where);
  ModelSpec spec;
  spec.architecture = parse_architecture(required<std::string>(json, "architecture", where));
  spec.classes = required<std::int64_t>(json, "classes", where);
  spec.output = parse_output_kind(required<std::string>(json, "output", where));
  spec.in_channels = required<std::int64_t>(json, "in_channels", where);
  spec.input_size = required<std::int64_t>(json, "input_size", where);
  spec.head_dropout = required<double>(json, "head_dropout", where);
  spec.trunk_dropout = required<double>(json, "trunk_dropout", where);
  const auto wildcat = required<nlohmann::json>(json, "wildcat", where);
  spec.wildcat.enabled = required<bool>(wildcat, "enabled", where);
  spec.wildcat.maps_per_class = required<std::int64_t>(wildcat, "maps_per_class", where);
  spec.wildcat.k_max = required<std::int64_t>(wildcat, "k_max", where);
  spec.wildcat.k_min = required<std::int64_t>(wildcat, "k_min", where);
  spec.wildcat.alpha = required<double>(wildcat, "alpha", where);
  if (json.contains("normalisation")) {
    const auto normalisation = required<nlohmann::json>(json, "normalisation", where);
    spec.normalisation.mean = required<double>(normalisation, "mean", where);
    spec.normalisation.std = required<double>(normalisation, "std", where);
    SALIENT_CHECK(std::isfinite(spec.normalisation.mean) && spec.normalisation.std > 0,
                  "{}: the input normalisation needs a finite mean and a positive std (got {}, {})", where,
                  spec.normalisation.mean, spec.normalisation.std);
  }
  if (json.contains("labels")) {
    spec.labels = required<std::vector<std::string>>(json, "labels", where);
    SALIENT_CHECK(static_cast<std::int64_t>(spec.labels.size()) == spec.classes,
                  "{}: the model spec names {} labels for {} classes", where, spec.labels.size(), spec.classes);
  }
  SALIENT_CHECK(spec.classes >= 1 && spec.in_channels >= 1 && spec.input_size >= 1,
                "{}: the model spec needs classes, in_channels and input_size >= 1 (got {}, {}, {})", where,
                spec.classes, spec.in_channels, spec.input_size);
  return spec;
}

}  // namespace salient::models
