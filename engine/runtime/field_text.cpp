#include "engine/runtime/field_text.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "salient/check.h"

namespace salient::runtime {
namespace {

std::int64_t parse_integer(const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  SALIENT_CHECK(!text.empty() && end == text.c_str() + text.size() && errno == 0, "expected an integer, got '{}'",
                text);
  return value;
}

template <typename T>
T parse_bounded(const std::string& text) {
  const std::int64_t value = parse_integer(text);
  SALIENT_CHECK(value >= 0 || std::numeric_limits<T>::is_signed, "expected a non-negative integer, got '{}'", text);
  if constexpr (sizeof(T) < sizeof(std::int64_t)) {
    SALIENT_CHECK(value >= static_cast<std::int64_t>(std::numeric_limits<T>::min()) &&
                      value <= static_cast<std::int64_t>(std::numeric_limits<T>::max()),
                  "{} is out of range [{}, {}]", value, std::numeric_limits<T>::min(), std::numeric_limits<T>::max());
  }
  return static_cast<T>(value);
}

}  // namespace

void throw_unexpected(const std::string& expected, const std::string& got) {
  throw Error(fmt::format("expected {}, got '{}'", expected, got));
}

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
void parse_text(const std::string& text, int& out) { out = parse_bounded<int>(text); }
void parse_text(const std::string& text, std::int64_t& out) { out = parse_integer(text); }
void parse_text(const std::string& text, std::uint32_t& out) { out = parse_bounded<std::uint32_t>(text); }
// TOML integers are signed 64-bit, so an unsigned value is kept below 2⁶³ too.
void parse_text(const std::string& text, std::uint64_t& out) { out = parse_bounded<std::uint64_t>(text); }
void parse_text(const std::string& text, double& out) {
  errno = 0;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  SALIENT_CHECK(!text.empty() && end == text.c_str() + text.size() && errno == 0 && std::isfinite(out),
                "expected a finite number, got '{}'", text);
}
void parse_text(const std::string& text, std::vector<std::string>& out) { out = split_list(text); }
void parse_text(const std::string& text, std::vector<int>& out) {
  out.clear();
  for (const auto& item : split_list(text)) out.push_back(parse_bounded<int>(item));
}

std::string format_text(const std::string& value) { return value; }
std::string format_text(bool value) { return value ? "true" : "false"; }
std::string format_text(int value) { return std::to_string(value); }
std::string format_text(std::int64_t value) { return std::to_string(value); }
std::string format_text(std::uint32_t value) { return std::to_string(value); }
std::string format_text(std::uint64_t value) { return std::to_string(value); }
std::string format_text(double value) { return fmt::format("{}", value); }
std::string format_text(const std::vector<std::string>& value) { return fmt::format("{}", fmt::join(value, ",")); }
std::string format_text(const std::vector<int>& value) { return fmt::format("{}", fmt::join(value, ",")); }

std::function<void(const int&)> at_least(int minimum) {
  return [minimum](const int& value) {
    SALIENT_CHECK(value >= minimum, "must be at least {}, got {}", minimum, value);
  };
}

std::function<void(const std::int64_t&)> at_least(std::int64_t minimum) {
  return [minimum](const std::int64_t& value) {
    SALIENT_CHECK(value >= minimum, "must be at least {}, got {}", minimum, value);
  };
}

std::function<void(const double&)> within(double low, double high, bool low_open, bool high_open) {
  return [=](const double& value) {
    const bool above = low_open ? value > low : value >= low;
    const bool below = high_open ? value < high : value <= high;
    SALIENT_CHECK(above && below, "must be in {}{}, {}{}, got {}", low_open ? "(" : "[", low, high,
                  high_open ? ")" : "]", value);
  };
}

std::function<void(const double&)> positive() {
  return [](const double& value) { SALIENT_CHECK(value > 0.0, "must be positive, got {}", value); };
}

std::function<void(const double&)> not_negative() {
  return [](const double& value) { SALIENT_CHECK(value >= 0.0, "must be at least 0, got {}", value); };
}

std::function<void(const std::string&)> one_of(std::vector<std::string> allowed) {
  return [allowed = std::move(allowed)](const std::string& value) {
    for (const auto& name : allowed)
      if (value == name) return;
    throw_unexpected(fmt::format("{}", fmt::join(allowed, " | ")), value);
  };
}

}  // namespace salient::runtime
