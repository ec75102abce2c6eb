// Checking the salient::Error a bad input must raise, and what its message names.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "salient/check.h"

namespace salient::testing {

/// Runs @p action and returns the message of the salient::Error it must throw.
template <typename Action>
std::string error_of(Action&& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  ADD_FAILURE() << "no salient::Error thrown";
  return {};
}

/// Runs @p action and expects a salient::Error whose message holds every one of @p parts.
template <typename Action>
void expect_error_naming(Action&& action, const std::vector<std::string>& parts) {
  const std::string message = error_of(action);
  for (const auto& part : parts) EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' in: " << message;
}

}  // namespace salient::testing
