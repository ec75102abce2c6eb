// Running out of memory, said in the user's terms. LibTorch reports an allocation that
// failed (CPU: "DefaultCPUAllocator: can't allocate memory", CUDA: OutOfMemoryError) with
// its own stack trace; salient says what it was doing, with which batch, and what to change.
#pragma once

#include <exception>
#include <string>

namespace salient::runtime {

/// Whether @p error is a failed allocation: std::bad_alloc, c10::OutOfMemoryError, or
/// LibTorch's CPU allocator's error.
bool is_out_of_memory(const std::exception& error);

/// Throws salient::Error: "out of memory @p doing: @p hint (first line of @p error)".
[[noreturn]] void throw_out_of_memory(const std::exception& error, const std::string& doing, const std::string& hint);

/// What a command prints for an error that reached main: LibTorch's without its stack
/// trace, and a failed allocation with what to change.
std::string error_message(const std::exception& error);

}  // namespace salient::runtime
