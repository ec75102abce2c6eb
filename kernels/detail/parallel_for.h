// Splits [0, n) into contiguous chunks, one per hardware thread, for the CPU twins.
// Each index is processed by exactly one thread, so results do not depend on the count.
#pragma once

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

namespace salient::kernels::detail {

template <typename Body>
void parallel_for(std::int64_t n, Body body) {
  const std::int64_t threads =
      std::min<std::int64_t>(n, std::max(1u, std::thread::hardware_concurrency()));
  if (threads <= 1) {
    for (std::int64_t i = 0; i < n; ++i) body(i);
    return;
  }
  std::vector<std::thread> workers;
  workers.reserve(static_cast<std::size_t>(threads));
  for (std::int64_t t = 0; t < threads; ++t) {
    workers.emplace_back([=, &body] {
      for (std::int64_t i = n * t / threads; i < n * (t + 1) / threads; ++i) body(i);
    });
  }
  for (auto& worker : workers) worker.join();
}

}  // namespace salient::kernels::detail
