// Shared by the map-feature tests (binning, first-order, shape2D, alignment): the JSON file of
// reference values written at build time by reference/map_features_reference.py, and the
// named tolerances every comparison uses.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace salient::testing {

/// Same float32 or float64 input, both in double, differing only in summation order
/// (PyRadiomics uses numpy's pairwise sums): agreement to about 1e-13; 1e-9 leaves room for
/// long sums.
inline constexpr double kReferenceRelativeTolerance = 1e-9;
/// CUDA twin against CPU twin (issue 4: 1e-4 relative for float kernels).
inline constexpr double kTwinRelativeTolerance = 1e-4;

inline bool near_relative(double actual, double expected, double tolerance) {
  return std::abs(actual - expected) <= tolerance * std::max(1.0, std::abs(expected));
}

/// The reference file, or the reason the comparisons skip (PyRadiomics not importable).
inline const nlohmann::json& map_features_reference() {
  static const nlohmann::json data = [] {
    std::ifstream file(SALIENT_MAP_FEATURES_REFERENCE);
    if (!file) return nlohmann::json{{"skip_reason", "missing " SALIENT_MAP_FEATURES_REFERENCE}};
    return nlohmann::json::parse(file);
  }();
  return data;
}

#define SALIENT_SKIP_WITHOUT_MAP_FEATURES_REFERENCE()                                   \
  do {                                                                                  \
    const auto& reference = ::salient::testing::map_features_reference();              \
    if (reference.contains("skip_reason")) GTEST_SKIP() << reference["skip_reason"].get<std::string>(); \
  } while (false)

/// n maps of h×w: white noise when !smooth, else a sum of Gaussian blobs (saliency-like).
inline std::vector<float> random_maps(std::int64_t n, std::int64_t h, std::int64_t w, bool smooth, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.2f, 1.5f);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  std::vector<float> maps(static_cast<std::size_t>(n * h * w));
  for (std::int64_t i = 0; i < n; ++i) {
    float* map = maps.data() + i * h * w;
    if (!smooth) {
      for (std::int64_t p = 0; p < h * w; ++p) map[p] = noise(rng);
      continue;
    }
    for (int blob = 0; blob < 3; ++blob) {
      const float cy = uniform(rng) * static_cast<float>(h), cx = uniform(rng) * static_cast<float>(w);
      const float s = 1.5f + uniform(rng) * static_cast<float>(std::min(h, w)) / 3.0f;
      for (std::int64_t y = 0; y < h; ++y)
        for (std::int64_t x = 0; x < w; ++x)
          map[y * w + x] += std::exp(-((static_cast<float>(y) - cy) * (static_cast<float>(y) - cy) +
                                       (static_cast<float>(x) - cx) * (static_cast<float>(x) - cx)) /
                                     (2 * s * s));
    }
  }
  return maps;
}

/// Masks keeping each pixel with probability @p keep.
inline std::vector<std::uint8_t> random_masks(std::size_t size, double keep, unsigned seed) {
  std::mt19937 rng(seed);
  std::bernoulli_distribution inside(keep);
  std::vector<std::uint8_t> masks(size);
  for (auto& m : masks) m = inside(rng);
  return masks;
}

}  // namespace salient::testing
