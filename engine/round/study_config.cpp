#include "engine/round/study_config.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <variant>

#include "engine/models/model_spec.h"
#include "engine/runtime/precision.h"
#include "engine/selection/strategy_criteria.h"
#include "salient/check.h"
#include "salient/io/atomic_file.h"
#include "salient/io/study_dir.h"

namespace salient::round {
namespace {

// ---- One value of each C++ type: from a TOML node, from command-line text, as TOML text.
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

std::int64_t parse_integer(const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  SALIENT_CHECK(!text.empty() && end == text.c_str() + text.size() && errno == 0, "expected an integer, got '{}'",
                text);
  return value;
}

/// "a, b,c" → {"a", "b", "c"}; "" → {}. Blanks around items are dropped; an empty item is an error.
std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  if (text.empty()) return items;
  std::size_t start = 0;
  while (true) {
    const auto comma = text.find(',', start);
    const auto item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto first = item.find_first_not_of(" \t");
    SALIENT_CHECK(first != std::string::npos, "empty item in the list '{}'", text);
    items.push_back(item.substr(first, item.find_last_not_of(" \t") - first + 1));
    if (comma == std::string::npos) return items;
    start = comma + 1;
  }
}

void parse_text(const std::string& text, std::string& out) { out = text; }
void parse_text(const std::string& text, bool& out) {
  SALIENT_CHECK(text == "true" || text == "false", "expected true or false, got '{}'", text);
  out = text == "true";
}
void parse_text(const std::string& text, std::int64_t& out) { out = parse_integer(text); }
void parse_text(const std::string& text, int& out) { out = narrowed<int>(parse_integer(text)); }
void parse_text(const std::string& text, std::uint64_t& out) {
  const std::int64_t value = parse_integer(text);
  SALIENT_CHECK(value >= 0, "expected a non-negative integer, got '{}'", text);
  out = static_cast<std::uint64_t>(value);
}
void parse_text(const std::string& text, double& out) {
  errno = 0;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  SALIENT_CHECK(!text.empty() && end == text.c_str() + text.size() && errno == 0 && std::isfinite(out),
                "expected a finite number, got '{}'", text);
}
template <typename T>
void parse_text(const std::string& text, std::vector<T>& out) {
  out.clear();
  for (const auto& item : split_list(text)) {
    T value{};
    parse_text(item, value);
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

// ---- The keys of StudyConfig's members. One table drives reading, writing, overriding and
// comparing, so a member cannot be written but not read.

using Member = std::variant<std::string StudyConfig::*, bool StudyConfig::*, int StudyConfig::*,
                            std::int64_t StudyConfig::*, std::uint64_t StudyConfig::*, double StudyConfig::*,
                            std::vector<std::string> StudyConfig::*, std::vector<int> StudyConfig::*>;

/// Checks what the type does not: a name out of a set, a count out of range. Throws salient::Error.
using Check = void (*)(const StudyConfig&);

struct Field {
  const char* key;
  Member member;
  Check check = nullptr;
};

template <auto member, int minimum>
void at_least(const StudyConfig& config) {
  SALIENT_CHECK(config.*member >= minimum, "must be at least {}, got {}", minimum, config.*member);
}

/// @p value in [low, high] (low_open, high_open: the end itself is excluded).
void within(double value, double low, double high, bool low_open = false, bool high_open = false) {
  const bool above = low_open ? value > low : value >= low;
  const bool below = high_open ? value < high : value <= high;
  SALIENT_CHECK(above && below, "must be in {}{}, {}{}, got {}", low_open ? "(" : "[", low, high, high_open ? ")" : "]",
                value);
}

void positive(double value) { SALIENT_CHECK(value > 0.0, "must be positive, got {}", value); }
void not_negative(double value) { SALIENT_CHECK(value >= 0.0, "must be at least 0, got {}", value); }

void one_of(const std::string& value, std::initializer_list<const char*> allowed) {
  for (const char* name : allowed)
    if (value == name) return;
  throw Error(fmt::format("expected {}, got '{}'", fmt::join(allowed, " | "), value));
}

// A built-in model's smallest input (models::smallest_input_size); files are checked when opened.
void check_model_input(const StudyConfig& config) {
  SALIENT_CHECK(config.input_size >= 1, "must be at least 1, got {}", config.input_size);
  if (const auto architecture = models::find_builtin_architecture(config.model)) {
    models::ModelSpec spec;
    spec.architecture = *architecture;
    spec.input_size = config.input_size;
    models::check_input_size(spec);
  }
}

void check_criteria(const StudyConfig& config) {
  if (!config.criteria.empty()) criteria::parse_criteria_list(fmt::format("{}", fmt::join(config.criteria, ",")));
}

void check_glcm_distances(const StudyConfig& config) {
  SALIENT_CHECK(!config.glcm_distances.empty(), "needs at least one distance");
  kernels::glcm_offsets(config.glcm_distances);
}

const std::vector<Field>& fields() {
  using C = StudyConfig;
  static const std::vector<Field> table{
      {"pool.pool", &C::pool},
      {"pool.fingerprint", &C::pool_fingerprint},
      {"model.model", &C::model, check_model_input},
      {"model.weights", &C::weights},
      {"model.input_size", &C::input_size, check_model_input},
      {"model.wildcat", &C::wildcat},
      {"scoring.criteria", &C::criteria, check_criteria},
      {"scoring.batch_size", &C::batch_size, at_least<&C::batch_size, 1>},
      {"scoring.precision", &C::precision, [](const C& c) { runtime::parse_precision(c.precision); }},
      {"scoring.channels_last", &C::channels_last},
      {"scoring.deterministic", &C::deterministic},
      {"scoring.threads", &C::threads, at_least<&C::threads, 0>},
      {"scoring.on_bad_image", &C::on_bad_image, [](const C& c) { one_of(c.on_bad_image, {"fail", "skip"}); }},
      {"scoring.seed", &C::seed},
      {"scoring.bin_count", &C::bin_count, at_least<&C::bin_count, 1>},
      {"scoring.glcm_distances", &C::glcm_distances, check_glcm_distances},
      {"scoring.shape2d_quantile", &C::shape2d_quantile, [](const C& c) { within(c.shape2d_quantile, 0, 1); }},
      {"scoring.dice_threshold", &C::dice_threshold, [](const C& c) { within(c.dice_threshold, 0, 1); }},
      {"scoring.mc_dropout.samples", &C::mc_dropout_samples, at_least<&C::mc_dropout_samples, 1>},
      {"scoring.mc_dropout.rate", &C::mc_dropout_rate, [](const C& c) { within(c.mc_dropout_rate, 0, 1, false, true); }},
      {"scoring.mc_dropout.placement", &C::mc_dropout_placement,
       [](const C& c) { one_of(c.mc_dropout_placement, {"head", "throughout"}); }},
      {"scoring.acft.views", &C::acft_views, at_least<&C::acft_views, 1>},
      {"scoring.acft.max_rotation_degrees", &C::acft_max_rotation_degrees,
       [](const C& c) { within(c.acft_max_rotation_degrees, 0, 180); }},
      {"scoring.acft.min_zoom", &C::acft_min_zoom, [](const C& c) { positive(c.acft_min_zoom); }},
      {"scoring.acft.max_zoom", &C::acft_max_zoom, [](const C& c) { positive(c.acft_max_zoom); }},
      {"scoring.acft.max_shift", &C::acft_max_shift, [](const C& c) { within(c.acft_max_shift, 0, 1, false, true); }},
      {"scoring.acft.flip_probability", &C::acft_flip_probability,
       [](const C& c) { within(c.acft_flip_probability, 0, 1); }},
      {"scoring.acft.alpha", &C::acft_alpha, [](const C& c) { within(c.acft_alpha, 0, 1, true); }},
      {"scoring.acft.lambda1", &C::acft_lambda1, [](const C& c) { not_negative(c.acft_lambda1); }},
      {"scoring.acft.lambda2", &C::acft_lambda2, [](const C& c) { not_negative(c.acft_lambda2); }},
      {"saliency.method", &C::saliency, [](const C& c) { saliency::parse_method(c.saliency); }},
      {"saliency.layer", &C::layer},
      {"saliency.ig_steps", &C::ig_steps, at_least<&C::ig_steps, 1>},
      {"saliency.ig_baseline", &C::ig_baseline, [](const C& c) { one_of(c.ig_baseline, {"black", "blurred"}); }},
      {"saliency.blur_sigma", &C::blur_sigma, [](const C& c) { positive(c.blur_sigma); }},
      {"saliency.smoothgrad_samples", &C::smoothgrad_samples, at_least<&C::smoothgrad_samples, 1>},
      {"saliency.smoothgrad_noise", &C::smoothgrad_noise, [](const C& c) { not_negative(c.smoothgrad_noise); }},
      {"strategy.strategy", &C::strategy, [](const C& c) { selection::parse_strategy(c.strategy); }},
      {"training.fine_tuning", &C::fine_tuning,
       [](const C& c) { one_of(c.fine_tuning, {"rft", "aft", "acft-q", "acft-lq", "acft-hq"}); }},
      {"training.epochs", &C::epochs, at_least<&C::epochs, 1>},
      {"training.batch_size", &C::train_batch_size, at_least<&C::train_batch_size, 1>},
      {"training.learning_rate", &C::learning_rate, [](const C& c) { positive(c.learning_rate); }},
      {"training.beta1", &C::beta1, [](const C& c) { within(c.beta1, 0, 1, false, true); }},
      {"training.beta2", &C::beta2, [](const C& c) { within(c.beta2, 0, 1, false, true); }},
      {"training.augment", &C::augment},
      {"training.precision", &C::train_precision, [](const C& c) { runtime::parse_precision(c.train_precision); }},
      {"training.rrr_lambda", &C::rrr_lambda, [](const C& c) { not_negative(c.rrr_lambda); }},
      {"training.rrr_grid", &C::rrr_grid, at_least<&C::rrr_grid, 1>},
      {"training.guidance_weight", &C::guidance_weight, [](const C& c) { not_negative(c.guidance_weight); }},
      {"training.validation_fraction", &C::validation_fraction,
       [](const C& c) { within(c.validation_fraction, 0, 1, true, true); }},
      {"training.validation_limit", &C::validation_limit, at_least<&C::validation_limit, 0>},
      {"run.rounds", &C::rounds, at_least<&C::rounds, 1>},
      {"run.labels", &C::label_source, [](const C& c) { one_of(c.label_source, {"oracle", "human"}); }},
      {"run.target_auc", &C::target_auc, [](const C& c) { within(c.target_auc, 0, 1); }},
      {"run.max_labels", &C::max_labels, at_least<&C::max_labels, 0>},
      {"run.first_strategy", &C::first_strategy, [](const C& c) { selection::parse_strategy(c.first_strategy); }},
  };
  return table;
}

/// The strategy's parameters, kept as text in StudyConfig::strategy_parameters and typed in
/// the TOML: `prototype` holds the type. seed and round come from [scoring] and the round,
/// alpha from [scoring.acft].
using ParameterValue = std::variant<std::int64_t, double, bool, std::string, std::vector<std::string>>;

struct Parameter {
  const char* name;
  ParameterValue prototype;
  void (*check)(const std::string& text) = nullptr;  ///< beyond the type
};

const std::vector<Parameter>& parameters() {
  static const std::vector<Parameter> table{
      {"budget", std::int64_t{0}},
      {"reverse", false},
      {"lambda", 0.0},
      {"omega", std::int64_t{0}},
      {"criterion", std::string(), [](const std::string& text) { selection::parse_acft_criterion(text); }},
      {"criteria", std::vector<std::string>()},
      {"x", std::int64_t{0}},
  };
  return table;
}

/// Parameters as parse_strategy_spec reads them; one text per value, so a loaded file
/// compares equal to the configuration it was written from.
std::string canonical_text(const std::string& value) { return value; }
std::string canonical_text(bool value) { return toml_value(value); }
std::string canonical_text(std::int64_t value) { return toml_value(value); }
std::string canonical_text(double value) { return fmt::format("{}", value); }
std::string canonical_text(const std::vector<std::string>& value) { return fmt::format("{}", fmt::join(value, ",")); }

// ---- Sections of salient.toml, in the order they are written.

struct Section {
  const char* name;
  const char* comment;
};

constexpr std::array<Section, 9> kSections{{
    {"pool",
     "The pool directory (`salient pack`, `salient synth`), and the fingerprint of the pool the\n"
     "study was made with (its manifest, CRCs and pool id; written by the first job)."},
    {"model",
     "A built-in architecture (small-cnn, resnet18, resnet50, densenet121) with a torch.save\n"
     "state_dict as weights, or random weights from scoring.seed (weights = \"\"); or a salient\n"
     "checkpoint or TorchScript file as model. wildcat adds a WILDCAT head to a built-in one."},
    {"scoring",
     "`salient score`: the criteria the strategy reads, plus `criteria` (names, or family names;\n"
     "`salient score --help` lists both). precision fp32 | bf16 | fp16; threads 0 = the node's\n"
     "cores shared among its ranks; on_bad_image fail | skip.\n"
     "seed keys new built-in weights, MC dropout, ACFT views, SmoothGrad, random and acft draws.\n"
     "bin_count bins maps for first-order and texture; shape2D binarises at shape2d_quantile;\n"
     "alignment_HardDice at dice_threshold."},
    {"scoring.mc_dropout",
     "MC dropout: T samples at rate p; placement head (on the trunk's features, the trunk runs\n"
     "once) or throughout (the model's own dropout, T full passes)."},
    {"scoring.acft",
     "ACFT: m views per candidate (rotation in ±max_rotation_degrees, zoom in [min_zoom,\n"
     "max_zoom], shift in ±max_shift of the side, flips); majority fraction alpha;\n"
     "acft_score = lambda1·entropy + lambda2·diversity."},
    {"saliency",
     "Maps: method gradcam | grad | gradxinput | ig | smoothgrad | lrp | wildcat; layer = Grad-CAM's\n"
     "stage (\"\" = the trunk's output); Integrated Gradients' steps and baseline black | blurred\n"
     "(Gaussian of blur_sigma pixels); SmoothGrad's samples and noise (σ / (max − min))."},
    {"strategy",
     "`salient select`: the strategy and its parameters: budget, reverse (false); eg-al lambda\n"
     "(0.5); acft omega (5), criterion (entropy+diversity); borda criteria; hitl-entropy x.\n"
     "ACFT's alpha is scoring.acft.alpha."},
    {"training",
     "`salient tune`: fine_tuning rft | aft (from round 0's model, all labels) | acft-q (from the\n"
     "last model, new labels) | acft-lq (last model, all labels) | acft-hq (last model, new labels\n"
     "and those it misclassifies); epochs; batch_size over all ranks; Adam's learning_rate, beta1,\n"
     "beta2; augment (IDEAL's rotation, shift, scale); precision: autocast on a GPU (the CPU trains\n"
     "in fp32); HITL's rrr_lambda on a grid of rrr_grid² cells and EG-AL's guidance_weight (0 = off);\n"
     "the patient-level validation split: validation_fraction of the patients, at most\n"
     "validation_limit images."},
    {"run",
     "`salient run`: at most `rounds` rounds of score, select strategy.budget images, label,\n"
     "fine-tune, evaluate; labels oracle (the pool's) | human (`salient labels import`); stop at\n"
     "target_auc (0 = never) or before passing max_labels (0 = no limit); round 0 selects with\n"
     "first_strategy, before the model has learnt anything."},
}};

std::string section_of(const std::string& key) {
  const auto dot = key.rfind('.');
  return dot == std::string::npos ? std::string() : key.substr(0, dot);
}

std::string name_of(const std::string& key) { return key.substr(key.rfind('.') + 1); }

const Field* find_field(const std::string& key) {
  for (const auto& field : fields())
    if (key == field.key) return &field;
  return nullptr;
}

const Parameter* find_parameter(const std::string& key) {
  if (section_of(key) != "strategy") return nullptr;
  for (const auto& parameter : parameters())
    if (name_of(key) == parameter.name) return &parameter;
  return nullptr;
}

bool is_section(const std::string& name) {
  for (const auto& section : kSections)
    if (name == section.name) return true;
  return false;
}

std::string known_sections() {
  std::vector<std::string> names;
  for (const auto& section : kSections) names.push_back(fmt::format("[{}]", section.name));
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

// ---- Reading salient.toml.

/// Sets @p key from @p read, which fills a value of the key's type, and checks it; false for
/// an unknown key.
template <typename Read>
bool assign_key(StudyConfig& config, const std::string& key, const Read& read) {
  if (const Field* field = find_field(key)) {
    std::visit([&](auto member) { read(config.*member); }, field->member);
    if (field->check != nullptr) field->check(config);
    return true;
  }
  if (const Parameter* parameter = find_parameter(key)) {
    auto text = std::visit(
        [&](auto value) {
          read(value);
          return canonical_text(value);
        },
        parameter->prototype);
    if (parameter->check != nullptr) parameter->check(text);
    config.strategy_parameters[parameter->name] = std::move(text);
    return true;
  }
  return false;
}

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

std::string parameters_toml(const StudyConfig& config) {
  for (const auto& [name, text] : config.strategy_parameters) {
    SALIENT_CHECK(find_parameter("strategy." + name) != nullptr,
                  "strategy parameter '{}' has no key in {} (strategy parameters: budget, reverse, lambda, omega, "
                  "criterion, criteria, x)",
                  name, io::StudyDir::kConfigName);
  }
  std::string lines;
  for (const auto& parameter : parameters()) {
    const auto found = config.strategy_parameters.find(parameter.name);
    if (found == config.strategy_parameters.end()) continue;
    const auto value = std::visit(
        [&](auto typed) {
          parse_text(found->second, typed);
          return toml_value(typed);
        },
        parameter.prototype);
    lines += fmt::format("{} = {}\n", parameter.name, value);
  }
  return lines;
}

// ---- From the configuration to what scoring and selection take.

/// parse_strategy_spec's parameters: the configured ones, with the seed, the round and
/// (acft) the α the patches were scored with.
std::map<std::string, std::string> spec_parameters(const StudyConfig& config, std::uint32_t round) {
  auto parameters = config.strategy_parameters;
  parameters["seed"] = std::to_string(config.seed);
  parameters["round"] = std::to_string(round);
  if (config.strategy == selection::strategy_name(selection::Strategy::acft)) {
    parameters["alpha"] = canonical_text(config.acft_alpha);
  }
  return parameters;
}

models::DropoutPlacement placement_of(const std::string& name) {
  return name == "throughout" ? models::DropoutPlacement::throughout : models::DropoutPlacement::head;
}

void add_once(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

nlohmann::json bins_json(const kernels::BinSpec& bins) {
  return {{"kind", bins.kind == kernels::BinSpec::Kind::count ? "count" : "width"},
          {"count", bins.count},
          {"width", bins.width}};
}

nlohmann::json request_json(const criteria::CriteriaRequest& request) {
  const auto& patches = request.patches;
  return {
      {"names", request.names},
      {"first_order", {{"bins", bins_json(request.first_order.bins)},
                       {"voxel_array_shift", request.first_order.voxel_array_shift}}},
      {"glcm", {{"bins", bins_json(request.glcm.bins)}, {"distances", request.glcm.distances}}},
      {"shape2d",
       {{"threshold", request.shape2d.threshold == kernels::Shape2DParams::Threshold::quantile ? "quantile" : "level"},
        {"quantile", request.shape2d.quantile},
        {"level", request.shape2d.level}}},
      {"alignment", {{"dice_threshold", request.alignment.dice_threshold}}},
      {"mc_dropout",
       {{"samples", request.mc_dropout.samples},
        {"rate", request.mc_dropout.rate},
        {"placement", request.mc_dropout.placement == models::DropoutPlacement::head ? "head" : "throughout"},
        {"seed", request.mc_dropout.seed},
        {"round", request.mc_dropout.round}}},
      {"patches",
       {{"views", patches.views},
        {"max_rotation_degrees", patches.max_rotation_degrees},
        {"min_zoom", patches.min_zoom},
        {"max_zoom", patches.max_zoom},
        {"max_shift", patches.max_shift},
        {"flip_probability", patches.flip_probability},
        {"seed", patches.seed},
        {"round", patches.round}}},
      {"acft", {{"alpha", request.acft.alpha}, {"lambda1", request.acft.lambda1}, {"lambda2", request.acft.lambda2}}},
  };
}

nlohmann::json saliency_json(const saliency::SaliencyOptions& options) {
  return {{"method", saliency::method_name(options.method)},
          {"layer", options.layer},
          {"ig_steps", options.ig_steps},
          {"ig_baseline", options.ig_baseline == saliency::Baseline::black ? "black" : "blurred"},
          {"black_value", options.black_value},
          {"blur_sigma", options.blur_sigma},
          {"smoothgrad_samples", options.smoothgrad_samples},
          {"smoothgrad_noise", options.smoothgrad_noise},
          {"seed", options.seed},
          {"round", options.round},
          {"lrp", {{"low", options.lrp.low}, {"high", options.lrp.high}, {"stabilizer", options.lrp.stabilizer}}}};
}

}  // namespace

bool operator==(const StudyConfig& a, const StudyConfig& b) {
  for (const auto& field : fields()) {
    if (!std::visit([&](auto member) { return a.*member == b.*member; }, field.member)) return false;
  }
  return a.strategy_parameters == b.strategy_parameters;
}

bool operator!=(const StudyConfig& a, const StudyConfig& b) { return !(a == b); }

std::vector<std::string> study_config_keys() {
  std::vector<std::string> keys;
  for (const auto& section : kSections) {
    for (const auto& field : fields()) {
      if (section_of(field.key) == section.name) keys.emplace_back(field.key);
    }
    if (std::string(section.name) != "strategy") continue;
    for (const auto& parameter : parameters()) keys.push_back(std::string("strategy.") + parameter.name);
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
  return config;
}

std::string study_config_toml(const StudyConfig& config) {
  std::string text = comment_lines(
      "salient study configuration. Every option of `salient score`, `select`, `tune` and `run` has\n"
      "a key here; the command line overrides it. Written by salient with every default.");
  for (const auto& section : kSections) {
    text += fmt::format("\n{}[{}]\n", comment_lines(section.comment), section.name);
    for (const auto& field : fields()) {
      if (section_of(field.key) != section.name) continue;
      const auto value = std::visit([&](auto member) { return toml_value(config.*member); }, field.member);
      text += fmt::format("{} = {}\n", name_of(field.key), value);
    }
    if (std::string(section.name) == "strategy") text += parameters_toml(config);
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
    if (!assign_key(updated, key, [&](auto& typed) { parse_text(value, typed); })) {
      throw Error(fmt::format("unknown key; {}", known_keys_for(key)));
    }
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
  const auto spec = selection::parse_strategy_spec(config.strategy, parameters);

  criteria::CriteriaRequest request;
  for (const auto& column : selection::strategy_criteria(spec)) add_once(request.names, column.name);
  if (!config.criteria.empty()) {
    for (const auto& name : criteria::parse_criteria_list(fmt::format("{}", fmt::join(config.criteria, ","))))
      add_once(request.names, name);
  }
  // A strategy that reads no criterion (random) still scores the pool: the prediction is
  // what every annotator's tool shows beside the image.
  if (request.names.empty()) request.names = criteria::parse_criteria_list("prediction");
  request.set_bins(kernels::BinSpec::bin_count(config.bin_count));
  request.glcm.distances = config.glcm_distances;
  request.shape2d = kernels::Shape2DParams::at_quantile(config.shape2d_quantile);
  request.alignment.dice_threshold = config.dice_threshold;
  request.mc_dropout.samples = config.mc_dropout_samples;
  request.mc_dropout.rate = config.mc_dropout_rate;
  request.mc_dropout.placement = placement_of(config.mc_dropout_placement);
  request.patches.views = config.acft_views;
  request.patches.max_rotation_degrees = config.acft_max_rotation_degrees;
  request.patches.min_zoom = config.acft_min_zoom;
  request.patches.max_zoom = config.acft_max_zoom;
  request.patches.max_shift = config.acft_max_shift;
  request.patches.flip_probability = config.acft_flip_probability;
  request.acft = {config.acft_alpha, config.acft_lambda1, config.acft_lambda2};
  request.set_seed(config.seed, round);
  criteria::check_request(request);
  return request;
}

saliency::SaliencyOptions saliency_options_of(const StudyConfig& config, std::uint32_t round) {
  saliency::SaliencyOptions options;
  options.method = saliency::parse_method(config.saliency);
  options.layer = config.layer;
  options.ig_steps = config.ig_steps;
  options.ig_baseline = config.ig_baseline == "blurred" ? saliency::Baseline::blurred : saliency::Baseline::black;
  options.blur_sigma = config.blur_sigma;
  options.smoothgrad_samples = config.smoothgrad_samples;
  options.smoothgrad_noise = config.smoothgrad_noise;
  options.seed = config.seed;
  options.round = round;
  return options;
}

selection::StrategySpec strategy_spec_of(const StudyConfig& config, std::uint32_t round) {
  // parse_strategy_spec would say "budget must be >= 1, got 0" of a budget never given.
  const auto& given = config.strategy_parameters;
  SALIENT_CHECK(given.count("budget") != 0 || given.count("x") != 0,
                "strategy '{}' needs a budget: set strategy.budget in {} or on the command line", config.strategy,
                io::StudyDir::kConfigName);
  return selection::parse_strategy_spec(config.strategy, spec_parameters(config, round));
}

std::string scoring_fingerprint(const StudyConfig& config, std::uint32_t round) {
  const nlohmann::json fingerprint = {
      {"pool", config.pool_fingerprint},
      {"model", config.model},
      {"weights", config.weights},
      {"input_size", config.input_size},
      {"wildcat", config.wildcat},
      {"criteria", request_json(criteria_request_of(config, round))},
      {"saliency", saliency_json(saliency_options_of(config, round))},
      {"batch_size", config.batch_size},
      {"precision", config.precision},
      {"channels_last", config.channels_last},
      {"seed", config.seed},
      {"round", round},
  };
  return fingerprint.dump();
}

}  // namespace salient::round
