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

#include "salient/kernels/criterion.h"
#include "salient/kernels/feature_registry.h"
#include "salient/kernels/map_summary.h"
#include "support/cuda_test_support.h"

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

/// The reference file (written at build time, so it exists in every build that has the tests).
inline const nlohmann::json& map_features_reference() {
  static const nlohmann::json data = nlohmann::json::parse(std::ifstream(SALIENT_MAP_FEATURES_REFERENCE));
  return data;
}

/// Fails, never skips, a test of @p reference's values when the package that computes them
/// could not be imported where the reference was written: the reason is under @p missing_key
/// ("pyradiomics_missing", "sklearn_missing").
#define SALIENT_REQUIRE_REFERENCE(reference, missing_key)                                         \
  do {                                                                                            \
    if ((reference).contains(missing_key)) FAIL() << (reference)[missing_key].get<std::string>(); \
  } while (false)
#define SALIENT_REQUIRE_PYRADIOMICS(reference) SALIENT_REQUIRE_REFERENCE(reference, "pyradiomics_missing")

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

#ifdef SALIENT_WITH_CUDA
/// Runs a feature family's CUDA twin on device copies of @p maps and @p masks, its outputs
/// poisoned first, and expects every value within kTwinRelativeTolerance of the CPU twin's
/// (NaN where it is NaN) and every reason equal. @p compute_on_device(batch, features,
/// reasons) launches the family with a CUDA context.
template <typename ComputeOnDevice>
void expect_cuda_twin_equals_cpu(const std::vector<float>& maps, const std::vector<std::uint8_t>& masks,
                                 std::int64_t n, std::int64_t h, std::int64_t w, const kernels::CriterionInfo* features,
                                 std::int64_t columns, const std::vector<double>& expected,
                                 const std::vector<kernels::FeatureReason>& expected_reasons,
                                 ComputeOnDevice compute_on_device) {
  DeviceBuffer<float> device_maps(maps);
  DeviceBuffer<std::uint8_t> device_masks(masks);
  DeviceBuffer<double> values(static_cast<std::size_t>(n * columns));
  DeviceBuffer<kernels::FeatureReason> reasons(static_cast<std::size_t>(n * columns));
  values.poison();
  reasons.poison();
  compute_on_device(kernels::MapBatch{device_maps.get(), device_masks.get(), n, h, w}, values.get(), reasons.get());
  const auto actual = values.to_host();
  const auto actual_reasons = reasons.to_host();
  for (std::int64_t k = 0; k < n * columns; ++k) {
    const auto i = static_cast<std::size_t>(k);
    SCOPED_TRACE(std::string(features[k % columns].name) + " of map " + std::to_string(k / columns));
    EXPECT_EQ(actual_reasons[i], expected_reasons[i]);
    if (std::isnan(expected[i])) {
      EXPECT_TRUE(std::isnan(actual[i]));
    } else {
      EXPECT_TRUE(near_relative(actual[i], expected[i], kTwinRelativeTolerance)) << actual[i] << " vs " << expected[i];
    }
  }
}
#endif

}  // namespace salient::testing
