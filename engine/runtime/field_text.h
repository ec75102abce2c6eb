// A field's value (field_table.h) as command-line text and as JSON, and back: the one place
// that says how `--set key=value`, `--strategy-param key=value` and fingerprints spell each
// type. Lists are comma-separated ("1,2"), booleans true | false, numbers as C++ reads them.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "engine/runtime/field_table.h"

namespace salient::runtime {

// ---- One value of each type. parse_text throws salient::Error saying what it expected.

void parse_text(const std::string& text, std::string& out);
void parse_text(const std::string& text, bool& out);
void parse_text(const std::string& text, int& out);
void parse_text(const std::string& text, std::int64_t& out);
void parse_text(const std::string& text, std::uint32_t& out);
void parse_text(const std::string& text, std::uint64_t& out);
void parse_text(const std::string& text, double& out);
void parse_text(const std::string& text, std::vector<std::string>& out);
void parse_text(const std::string& text, std::vector<int>& out);

/// The text parse_text reads back as the same value (doubles: the shortest such text).
std::string format_text(const std::string& value);
std::string format_text(bool value);
std::string format_text(int value);
std::string format_text(std::int64_t value);
std::string format_text(std::uint32_t value);
std::string format_text(std::uint64_t value);
std::string format_text(double value);
std::string format_text(const std::vector<std::string>& value);
std::string format_text(const std::vector<int>& value);

/// "a, b,c" → {"a", "b", "c"}; "" → {}. Blanks around items are dropped; an empty item is an error.
std::vector<std::string> split_list(const std::string& text);

[[noreturn]] void throw_unexpected(const std::string& expected, const std::string& got);

/// Sets @p choice to @p name; throws salient::Error listing the names when it is not one.
template <typename Root>
void set_choice(const ChoiceRef<Root>& choice, Root& root, const std::string& name) {
  for (const auto& known : choice.names) {
    if (known == name) {
      choice.set(root, name);
      return;
    }
  }
  std::string names;
  for (const auto& known : choice.names) names += (names.empty() ? "" : " | ") + known;
  throw_unexpected(names, name);
}

// ---- A field of a root struct. Reading takes a const root: the getters only read.

template <typename Root>
void set_from_text(const Field<Root>& field, Root& root, const std::string& text) {
  std::visit(
      [&](const auto& ref) {
        using R = std::decay_t<decltype(ref)>;
        if constexpr (std::is_same_v<R, ChoiceRef<Root>>) {
          set_choice(ref, root, text);
        } else {
          std::remove_reference_t<decltype(ref.get(root))> value{};
          parse_text(text, value);
          if (ref.check) ref.check(value);
          ref.get(root) = std::move(value);
        }
      },
      field.ref);
}

template <typename Root>
std::string text_of(const Field<Root>& field, const Root& root) {
  auto& readable = const_cast<Root&>(root);
  return std::visit(
      [&](const auto& ref) -> std::string {
        using R = std::decay_t<decltype(ref)>;
        if constexpr (std::is_same_v<R, ChoiceRef<Root>>) {
          return ref.get(readable);
        } else {
          return format_text(ref.get(readable));
        }
      },
      field.ref);
}

template <typename Root>
nlohmann::json json_of(const Field<Root>& field, const Root& root) {
  auto& readable = const_cast<Root&>(root);
  return std::visit([&](const auto& ref) { return nlohmann::json(ref.get(readable)); }, field.ref);
}

/// Every field of @p fields as one JSON object, keyed by the fields' names.
template <typename Root>
nlohmann::json json_of(const FieldTable<Root>& fields, const Root& root) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& field : fields) object[field.name] = json_of(field, root);
  return object;
}

/// Runs the field's check on its current value (choices are valid by construction).
template <typename Root>
void check_field(const Field<Root>& field, const Root& root) {
  auto& readable = const_cast<Root&>(root);
  std::visit(
      [&](const auto& ref) {
        using R = std::decay_t<decltype(ref)>;
        if constexpr (!std::is_same_v<R, ChoiceRef<Root>>) {
          if (ref.check) ref.check(ref.get(readable));
        }
      },
      field.ref);
}

template <typename Root>
bool equal_field(const Field<Root>& field, const Root& a, const Root& b) {
  return std::visit(
      [&](const auto& ref) { return ref.get(const_cast<Root&>(a)) == ref.get(const_cast<Root&>(b)); }, field.ref);
}

// ---- Checks for Ref::check.

std::function<void(const int&)> at_least(int minimum);
std::function<void(const std::int64_t&)> at_least(std::int64_t minimum);
/// Within [low, high]; low_open / high_open exclude the end itself.
std::function<void(const double&)> within(double low, double high, bool low_open = false, bool high_open = false);
std::function<void(const double&)> positive();
std::function<void(const double&)> not_negative();
std::function<void(const std::string&)> one_of(std::vector<std::string> allowed);

}  // namespace salient::runtime
