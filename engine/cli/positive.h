// A command-line check that a number is positive, with a message that says so: CLI11's
// PositiveNumber reports "0 not in range 0.000000 to 1.8e308".
#pragma once

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <string>

namespace salient::cli {

inline CLI::Validator positive() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double value = 0.0;
        std::size_t used = 0;
        try {
          value = std::stod(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used != text.size() || used == 0) return fmt::format("'{}' is not a number", text);
        return value > 0.0 ? std::string() : fmt::format("must be positive, got {}", text);
      },
      "> 0", "positive");
}

}  // namespace salient::cli
