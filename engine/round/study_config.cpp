#include "engine/round/study_config.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <variant>

#include "engine/criteria/criterion_families.h"
#include "engine/runtime/field_text.h"
#include "engine/selection/strategy_criteria.h"
#include "engine/selection/strategy_table.h"
#include "salient/check.h"
#include "salient/io/atomic_file.h"
#include "salient/io/study_dir.h"

namespace salient::round {
namespace {

// ---- One value of each C++ type: from a TOML node, and as TOML text (runtime::field_text.h
// reads and writes command-line text).
// Errors say what was expected; the caller adds the file, line and key.

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
  }
}

[[noreturn]] void wrong_type(const toml::node& node, const char* expected) {
  throw Error(fmt::format("expected {}, got {}", expected, type_name(node)));
}

template <typename T>
T narrowed(std::int64_t value) {
  SALIENT_CHECK(value >= std::numeric_limits<T>::min() && value <= std::numeric_limits<T>::max(),
                "{} is out of range [{}, {}]", value, std::numeric_limits<T>::min(), std::numeric_limits<T>::max());
  return static_cast<T>(value);
}

std::int64_t integer_of(const toml::node& node) {
  if (!node.is_integer()) wrong_type(node, "an integer");
  return node.as_integer()->get();
}

void read_value(const toml::node& node, std::string& out) {
  if (!node.is_string()) wrong_type(node, "a string");
  out = node.as_string()->get();
}
void read_value(const toml::node& node, bool& out) {
  if (!node.is_boolean()) wrong_type(node, "a boolean (true or false)");
  out = node.as_boolean()->get();
}
void read_value(const toml::node& node, std::int64_t& out) { out = integer_of(node); }
void read_value(const toml::node& node, int& out) { out = narrowed<int>(integer_of(node)); }
void read_value(const toml::node& node, std::uint32_t& out) { out = narrowed<std::uint32_t>(integer_of(node)); }
void read_value(const toml::node& node, std::uint64_t& out) {
  const std::int64_t value = integer_of(node);
  SALIENT_CHECK(value >= 0, "expected a non-negative integer, got {}", value);
  out = static_cast<std::uint64_t>(value);
}
// A float key accepts an integer too: `rate = 1` is as clear as `rate = 1.0`.
void read_value(const toml::node& node, double& out) {
  if (node.is_integer()) {
    out = static_cast<double>(node.as_integer()->get());
    return;
  }
  if (!node.is_floating_point()) wrong_type(node, "a number");
  out = node.as_floating_point()->get();
  SALIENT_CHECK(std::isfinite(out), "expected a finite number, got {}", out);
}
template <typename T>
void read_value(const toml::node& node, std::vector<T>& out) {
  if (!node.is_array()) wrong_type(node, "an array");
  out.clear();
  for (const toml::node& element : *node.as_array()) {
    T value{};
    read_value(element, value);
    out.push_back(value);
  }
}

std::string toml_value(const std::string& value) {
  // A TOML basic string: quote, backslash and control characters escaped.
  std::string text = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') {
      text += {'\\', c};
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      text += fmt::format("\\u{:04X}", static_cast<unsigned char>(c));
    } else {
      text += c;
    }
  }
  return text + "\"";
}
std::string toml_value(bool value) { return value ? "true" : "false"; }
std::string toml_value(std::int64_t value) { return std::to_string(value); }
std::string toml_value(int value) { return std::to_string(value); }
std::string toml_value(std::uint32_t value) { return std::to_string(value); }
std::string toml_value(std::uint64_t value) {
  SALIENT_CHECK(value <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()),
                "{} does not fit a TOML integer (signed 64-bit)", value);
  return std::to_string(value);
}
// The shortest text that reads back as the same double, with ".0" where it would read as an integer.
std::string toml_value(double value) {
  SALIENT_CHECK(std::isfinite(value), "{} is not a finite number", value);
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}
template <typename T>
std::string toml_value(const std::vector<T>& values) {
  std::vector<std::string> items;
  for (const auto& value : values) items.push_back(toml_value(value));
  return fmt::format("[{}]", fmt::join(items, ", "));
}

// ---- Keys: StudyConfig's members (study_config_fields), the strategy's parameters, and
// keys renamed since.

using Field = runtime::Field<StudyConfig>;

std::string section_of(const std::string& key) {
  const auto dot = key.rfind('.');
  return dot == std::string::npos ? std::string() : key.substr(0, dot);
}

std::string name_of(const std::string& key) { return key.substr(key.rfind('.') + 1); }

/// The strategy parameters a study configures: strategy_parameters but seed and round
/// ([scoring] and the round) and alpha (scoring.patches.alpha).
bool is_configured(const runtime::Field<selection::StrategySpec>& parameter) {
  return parameter.name != "seed" && parameter.name != "round" && parameter.name != "alpha";
}

const runtime::Field<selection::StrategySpec>* find_strategy_parameter(const std::string& key) {
  if (section_of(key) != "strategy") return nullptr;
  const auto* parameter = runtime::find_field(selection::strategy_parameters(), name_of(key));
  return parameter != nullptr && is_configured(*parameter) ? parameter : nullptr;
}

/// Keys of earlier versions and the keys that replaced them; old files keep loading.
std::vector<std::string> renamed_to(const std::string& key) {
  if (key == "scoring.bin_count") {
    std::vector<std::string> keys;
    for (const auto& family : criteria::criterion_families())
      if (family.binned) keys.push_back(fmt::format("scoring.{}.bin_count", family.name));
    return keys;
  }
  if (key == "scoring.glcm_distances") return {"scoring.glcm.distances"};
  if (key == "scoring.shape2d_quantile") return {"scoring.shape2D.quantile"};
  if (key == "scoring.dice_threshold") return {"scoring.alignment.dice_threshold"};
  if (section_of(key) == "scoring.acft") return {"scoring.patches." + name_of(key)};
  return {};
}

bool is_section(const std::string& name) {
  if (name == "scoring.acft") return true;  // renamed [scoring.patches]
  for (const auto& section : study_config_sections())
    if (name == section.name) return true;
  return false;
}

std::string known_sections() {
  std::vector<std::string> names;
  for (const auto& section : study_config_sections()) names.push_back(fmt::format("[{}]", section.name));
  return fmt::format("{}", fmt::join(names, ", "));
}

/// The keys of @p key's section, or every key when the section is unknown too.
std::string known_keys_for(const std::string& key) {
  const auto section = section_of(key);
  std::vector<std::string> near;
  for (const auto& known : study_config_keys())
    if (section_of(known) == section) near.push_back(known);
  if (near.empty()) return fmt::format("known keys: {}", fmt::join(study_config_keys(), ", "));
  return fmt::format("keys of [{}]: {}", section, fmt::join(near, ", "));
}

/// Sets @p key from @p read, which fills a value of the key's type (a choice: its name), and
/// checks it; false for an unknown key.
template <typename Read>
bool assign_key(StudyConfig& config, const std::string& key, const Read& read) {
  if (const Field* field = runtime::find_field(study_config_fields(), key)) {
    std::visit(
        [&](const auto& ref) {
          using R = std::decay_t<decltype(ref)>;
          if constexpr (std::is_same_v<R, runtime::ChoiceRef<StudyConfig>>) {
            std::string name;
            read(name);
            runtime::set_choice(ref, config, name);
          } else {
            auto value = ref.get(config);
            read(value);
            if (ref.check) ref.check(value);
            ref.get(config) = std::move(value);
          }
        },
        field->ref);
    return true;
  }
  if (const auto* parameter = find_strategy_parameter(key)) {
    // Typed on a scratch spec, kept as the text parse_strategy_spec reads back.
    selection::StrategySpec scratch;
    const runtime::Field<selection::StrategySpec>& typed = *parameter;
    std::visit(
        [&](const auto& ref) {
          using R = std::decay_t<decltype(ref)>;
          if constexpr (std::is_same_v<R, runtime::ChoiceRef<selection::StrategySpec>>) {
            std::string name;
            read(name);
            runtime::set_choice(ref, scratch, name);
          } else {
            read(ref.get(scratch));
          }
        },
        typed.ref);
    config.strategy.parameters[parameter->name] = runtime::text_of(typed, scratch);
    return true;
  }
  const auto renamed = renamed_to(key);
  if (renamed.empty()) return false;
  spdlog::warn("configuration key '{}' is now {}; set that instead", key, fmt::join(renamed, " and "));
  for (const auto& now : renamed) assign_key(config, now, read);
  return true;
}

// ---- Reading salient.toml.

void apply_node(StudyConfig& config, const std::string& key, const toml::node& node) {
  if (assign_key(config, key, [&](auto& value) { read_value(node, value); })) return;
  if (node.is_table()) throw Error(fmt::format("unknown table [{}]; tables: {}", key, known_sections()));
  throw Error(fmt::format("unknown key; {}", known_keys_for(key)));
}

void read_table(const toml::table& table, const std::string& prefix, const std::string& path, StudyConfig& config) {
  for (const auto& [name, node] : table) {
    const std::string key = prefix.empty() ? std::string(name.str()) : prefix + "." + std::string(name.str());
    if (node.is_table() && is_section(key)) {
      read_table(*node.as_table(), key, path, config);
      continue;
    }
    try {
      apply_node(config, key, node);
    } catch (const Error& error) {
      throw Error(fmt::format("'{}' line {}: key '{}': {}", path, node.source().begin.line, key, error.what()));
    }
  }
}

// ---- Writing salient.toml.

std::string comment_lines(const std::string& text) {
  std::string lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto newline = text.find('\n', start);
    const auto stop = newline == std::string::npos ? text.size() : newline;
    lines += "# " + text.substr(start, stop - start) + "\n";
    start = stop + 1;
  }
  return lines;
}

/// `name = value`, with the field's help as a comment.
template <typename Root>
std::string key_line(const runtime::Field<Root>& field, const std::string& value) {
  const auto line = fmt::format("{} = {}", name_of(field.name), value);
  return field.help.empty() ? line + "\n" : fmt::format("{}  # {}\n", line, field.help);
}

std::string toml_of(const Field& field, const StudyConfig& config) {
  auto& readable = const_cast<StudyConfig&>(config);  // the getters only read
  return std::visit([&](const auto& ref) { return toml_value(ref.get(readable)); }, field.ref);
}

std::string parameters_toml(const StudyConfig& config) {
  for (const auto& [name, text] : config.strategy.parameters) {
    SALIENT_CHECK(find_strategy_parameter("strategy." + name) != nullptr,
                  "strategy parameter '{}' has no key in {} (strategy parameters: budget, reverse, lambda, omega, "
                  "criterion, criteria, x)",
                  name, io::StudyDir::kConfigName);
  }
  std::string lines;
  for (const auto& parameter : selection::strategy_parameters()) {
    const auto found = config.strategy.parameters.find(parameter.name);
    if (found == config.strategy.parameters.end()) continue;
    selection::StrategySpec scratch;
    runtime::set_from_text(parameter, scratch, found->second);
    const auto value = std::visit([&](const auto& ref) { return toml_value(ref.get(scratch)); }, parameter.ref);
    lines += key_line(parameter, value);
  }
  return lines;
}

// ---- From the configuration to what scoring and selection take.

/// parse_strategy_spec's parameters: the configured ones, with the seed, the round and
/// (acft) the α the patches were scored with.
std::map<std::string, std::string> spec_parameters(const StudyConfig& config, std::uint32_t round) {
  auto parameters = config.strategy.parameters;
  parameters["seed"] = std::to_string(config.scoring.seed);
  parameters["round"] = std::to_string(round);
  const auto keys = selection::strategy_keys(config.strategy.name);
  if (std::find(keys.begin(), keys.end(), "alpha") != keys.end()) {
    parameters["alpha"] = runtime::format_text(config.scoring.parameters.acft.alpha);
  }
  return parameters;
}

/// scoring.embeddings resolved for @p strategy: auto stores fp16 for the strategies that
/// measure distances between embeddings.
criteria::EmbeddingStorage embedding_storage(const StudyConfig& config, const selection::StrategyDescriptor& strategy) {
  const auto& setting = config.scoring.embeddings;
  SALIENT_CHECK(setting != "off" || !strategy.reads_embeddings,
                "strategy '{}' measures distances between embeddings: scoring.embeddings must not be off",
                strategy.name);
  if (setting == "fp32") return criteria::EmbeddingStorage::float32;
  if (setting == "fp16" || (setting == "auto" && strategy.reads_embeddings)) return criteria::EmbeddingStorage::float16;
  return criteria::EmbeddingStorage::none;
}

void add_once(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

/// The names, and the parameters of each family they use (its field table).
nlohmann::json request_json(const criteria::CriteriaRequest& request) {
  nlohmann::json json{{"names", request.names}};
  if (request.embeddings != criteria::EmbeddingStorage::none)
    json["embeddings"] = request.embeddings == criteria::EmbeddingStorage::float16 ? "fp16" : "fp32";
  if (const auto& deep = request.deep_codes; deep.latent > 0) {
    json["deep_codes"] = {{"latent", deep.latent}, {"map_size", deep.map_size}, {"epochs", deep.epochs},
                          {"every", deep.every}, {"sample", deep.sample}};
  }
  const auto used = criteria::needs_of(request).families;
  for (std::size_t f = 0; f < used.size(); ++f) {
    const auto& family = criteria::criterion_families()[f];
    if (used[f]) json[std::string(family.name)] = runtime::json_of(family.parameters, request);
  }
  return json;
}

/// The keyed options (the [saliency] keys of @p config), and those that are not keys but
/// change the maps (saliency_options_of's seed and round, the black value, LRP's bounds).
nlohmann::json saliency_json(const StudyConfig& config, const saliency::SaliencyOptions& options) {
  nlohmann::json json;
  for (const auto& field : study_config_fields())
    if (section_of(field.name) == "saliency") json[name_of(field.name)] = runtime::json_of(field, config);
  // Unset bounds are the model's normalisation of black and white, which the model's own
  // fingerprint covers.
  const auto value_or_model = [](const std::optional<double>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json("model");
  };
  json["black_value"] = value_or_model(options.black_value);
  json["seed"] = options.seed;
  json["round"] = options.round;
  json["lrp"] = {{"low", value_or_model(options.lrp.low)},
                 {"high", value_or_model(options.lrp.high)},
                 {"stabilizer", options.lrp.stabilizer}};
  return json;
}

}  // namespace

bool operator==(const StudyConfig& a, const StudyConfig& b) {
  for (const auto& field : study_config_fields())
    if (!runtime::equal_field(field, a, b)) return false;
  return a.strategy.parameters == b.strategy.parameters;
}

bool operator!=(const StudyConfig& a, const StudyConfig& b) { return !(a == b); }

std::vector<std::string> study_config_keys() {
  std::vector<std::string> keys;
  for (const auto& section : study_config_sections()) {
    for (const auto& field : study_config_fields()) {
      if (section_of(field.name) == section.name) keys.push_back(field.name);
    }
    if (section.name != "strategy") continue;
    for (const auto& parameter : selection::strategy_parameters())
      if (is_configured(parameter)) keys.push_back("strategy." + parameter.name);
  }
  return keys;
}

StudyConfig load_study_config(const std::string& path) {
  // stat, not std::filesystem: in binaries linked with LibTorch, some std::filesystem calls
  // resolve to libtorch.so's copies and crash.
  struct stat status {};
  SALIENT_CHECK(::stat(path.c_str(), &status) == 0 && S_ISREG(status.st_mode), "study configuration '{}' is not a file",
                path);
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    throw Error(fmt::format("'{}' line {}, column {}: {}", path, error.source().begin.line,
                            error.source().begin.column, error.description()));
  }
  StudyConfig config;
  read_table(table, "", path, config);
  try {
    check_study_config(config);
  } catch (const Error& error) {
    throw Error(fmt::format("'{}': {}", path, error.what()));
  }
  return config;
}

std::string study_config_toml(const StudyConfig& config) {
  std::string text = comment_lines(
      "salient study configuration. Every option of `salient score`, `select`, `tune` and `run` has\n"
      "a key here; the command line overrides it. Written by salient with every default.");
  for (const auto& section : study_config_sections()) {
    text += fmt::format("\n{}[{}]\n", comment_lines(section.comment), section.name);
    for (const auto& field : study_config_fields()) {
      if (section_of(field.name) == section.name) text += key_line(field, toml_of(field, config));
    }
    if (section.name == "strategy") text += parameters_toml(config);
  }
  return text;
}

void write_study_config(const std::string& path, const StudyConfig& config) {
  io::write_file_atomically(path, study_config_toml(config));
}

void set_config_value(StudyConfig& config, const std::string& key, const std::string& value) {
  // On a copy: a value that fails its check leaves the configuration as it was.
  StudyConfig updated = config;
  try {
    if (!assign_key(updated, key, [&](auto& typed) { runtime::parse_text(value, typed); })) {
      throw Error(fmt::format("unknown key; {}", known_keys_for(key)));
    }
    check_study_config(updated);
  } catch (const Error& error) {
    throw Error(fmt::format("configuration key '{}' = '{}': {}", key, value, error.what()));
  }
  config = std::move(updated);
}

criteria::CriteriaRequest criteria_request_of(const StudyConfig& config, std::uint32_t round) {
  // Which columns a strategy reads does not depend on its budget, and a pool may be scored
  // before the budget is chosen: a missing budget is 1 here.
  auto parameters = spec_parameters(config, round);
  parameters.emplace("budget", "1");
  const auto spec = selection::parse_strategy_spec(config.strategy.name, parameters);

  criteria::CriteriaRequest request = config.scoring.parameters;
  request.names.clear();
  if (spec.strategy == selection::Strategy::ideal_deep) {
    request.deep_codes = {spec.latent, spec.map_size, spec.autoencoder_epochs, spec.autoencoder_every,
                          spec.autoencoder_sample};
  } else {
    for (const auto& column : selection::strategy_criteria(spec)) add_once(request.names, column.name);
  }
  if (!config.scoring.criteria.empty()) {
    for (const auto& name :
         criteria::parse_criteria_list(fmt::format("{}", fmt::join(config.scoring.criteria, ","))))
      add_once(request.names, name);
  }
  // A strategy that reads no criterion (random) still scores the pool: the prediction is
  // what every annotator's tool shows beside the image.
  if (request.names.empty()) request.names = criteria::parse_criteria_list("prediction");
  request.embeddings = embedding_storage(config, selection::descriptor_of(spec.strategy));
  request.set_seed(config.scoring.seed, round);
  criteria::check_request(request);
  return request;
}

saliency::SaliencyOptions saliency_options_of(const StudyConfig& config, std::uint32_t round) {
  saliency::SaliencyOptions options = config.saliency;
  options.seed = config.scoring.seed;
  options.round = round;
  return options;
}

selection::StrategySpec strategy_spec_of(const StudyConfig& config, std::uint32_t round) {
  // parse_strategy_spec would say "budget must be >= 1, got 0" of a budget never given.
  const auto& given = config.strategy.parameters;
  SALIENT_CHECK(given.count("budget") != 0 || given.count("x") != 0,
                "strategy '{}' needs a budget: set strategy.budget in {} or on the command line", config.strategy.name,
                io::StudyDir::kConfigName);
  return selection::parse_strategy_spec(config.strategy.name, spec_parameters(config, round));
}

std::string scoring_fingerprint(const StudyConfig& config, std::uint32_t round) {
  const nlohmann::json fingerprint = {
      {"pool", config.pool.fingerprint},
      {"model", config.model.model},
      {"weights", config.model.weights},
      {"input_size", config.model.input_size},
      {"wildcat", config.model.wildcat},
      {"criteria", request_json(criteria_request_of(config, round))},
      {"saliency", saliency_json(config, saliency_options_of(config, round))},
      {"batch_size", config.scoring.batch_size},
      {"precision", config.scoring.precision},
      {"channels_last", config.scoring.channels_last},
      {"seed", config.scoring.seed},
      {"round", round},
  };
  return fingerprint.dump();
}

}  // namespace salient::round
