// Two tiers of error checks, after faiss/impl/FaissAssert.h.
//   SALIENT_ASSERT(cond)            an internal invariant: print expression, function,
//                                   file and line, then abort.
//   SALIENT_CHECK(cond, fmt, ...)   a user or data error: throw salient::Error carrying the
//                                   formatted message and the same context.
// CUDA calls are wrapped with SALIENT_CUDA_CHECK (salient/kernels/cuda_check.h).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace salient {

/// Every error salient reports to users: the message names what was wrong and where.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {
[[noreturn]] inline void assertion_failed(const char* expr, const char* func, const char* file, int line) {
  std::fprintf(stderr, "salient: internal error: assertion '%s' failed in %s at %s:%d\n", expr, func, file,
               line);
  std::abort();
}
}  // namespace detail

}  // namespace salient

#define SALIENT_ASSERT(cond)                                                      \
  do {                                                                            \
    if (!(cond)) ::salient::detail::assertion_failed(#cond, __func__, __FILE__, __LINE__); \
  } while (false)

#define SALIENT_CHECK(cond, ...)                                                              \
  do {                                                                                        \
    if (!(cond))                                                                              \
      throw ::salient::Error(fmt::format(__VA_ARGS__) +                                       \
                             fmt::format(" [check '{}' in {} at {}:{}]", #cond, __func__, __FILE__, __LINE__)); \
  } while (false)
