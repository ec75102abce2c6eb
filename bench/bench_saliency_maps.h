// Saliency-like benchmark inputs shared by the map-feature benchmarks: per map, three
// Gaussian blobs on N(0, 0.02) noise, seeded so every run sees the same maps.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace salient::bench {

inline std::vector<float> saliency_maps(std::int64_t n, std::int64_t side) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  std::normal_distribution<float> noise(0.0f, 0.02f);
  std::vector<float> maps(static_cast<std::size_t>(n * side * side));
  for (std::int64_t i = 0; i < n; ++i) {
    float* map = maps.data() + i * side * side;
    for (std::int64_t p = 0; p < side * side; ++p) map[p] = noise(rng);
    const auto extent = static_cast<float>(side);
    for (int blob = 0; blob < 3; ++blob) {
      const float cy = uniform(rng) * extent, cx = uniform(rng) * extent, s = 5 + uniform(rng) * extent / 6;
      for (std::int64_t y = 0; y < side; ++y) {
        for (std::int64_t x = 0; x < side; ++x) {
          const float dy = static_cast<float>(y) - cy, dx = static_cast<float>(x) - cx;
          map[y * side + x] += std::exp(-(dy * dy + dx * dx) / (2 * s * s));
        }
      }
    }
  }
  return maps;
}

}  // namespace salient::bench
