#include "engine/runtime/out_of_memory.h"

#include <c10/util/Exception.h>
#include <fmt/format.h>

#include <new>

#include "salient/check.h"

namespace salient::runtime {
namespace {

std::string first_line(const std::exception& error) {
  const auto* torch_error = dynamic_cast<const c10::Error*>(&error);
  const std::string text = torch_error != nullptr ? torch_error->what_without_backtrace() : error.what();
  return text.substr(0, text.find('\n'));
}

}  // namespace

bool is_out_of_memory(const std::exception& error) {
  if (dynamic_cast<const std::bad_alloc*>(&error) != nullptr) return true;
  if (dynamic_cast<const c10::OutOfMemoryError*>(&error) != nullptr) return true;
  const auto* torch_error = dynamic_cast<const c10::Error*>(&error);
  return torch_error != nullptr &&
         std::string(torch_error->what_without_backtrace()).find("can't allocate memory") != std::string::npos;
}

void throw_out_of_memory(const std::exception& error, const std::string& doing, const std::string& hint) {
  throw Error(fmt::format("out of memory {}: {} ({})", doing, hint, first_line(error)));
}

std::string error_message(const std::exception& error) {
  if (is_out_of_memory(error)) {
    return fmt::format("out of memory: lower the batch sizes (--batch-size, --train-batch-size) or --input-size, or "
                       "start fewer ranks per node or GPU ({})",
                       first_line(error));
  }
  const auto* torch_error = dynamic_cast<const c10::Error*>(&error);
  return torch_error != nullptr ? torch_error->what_without_backtrace() : error.what();
}

}  // namespace salient::runtime
