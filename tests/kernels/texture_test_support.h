// What the texture families' tests share: a family's row for one map, the comparison with
// PyRadiomics on every map of reference/texture_reference.py, and the CUDA twin against the
// CPU twin on random, smooth and constant maps of odd sizes.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "map_features_test_support.h"
#include "support/cuda_test_support.h"

namespace salient::testing {

using kernels::BasicMapBatch;
using kernels::BinSpec;
using kernels::CriterionInfo;
using kernels::FeatureReason;
using kernels::MapBatch;

struct TextureRow {
  std::vector<double> values;
  std::vector<FeatureReason> reasons;
};

/// @p compute(batch, values, reasons) on one map (float32 or float64), without a mask when
/// @p mask is empty.
template <typename Pixel, typename Compute>
TextureRow texture_row(const std::vector<Pixel>& map, const std::vector<std::uint8_t>& mask, std::int64_t h,
                       std::int64_t w, int columns, Compute&& compute) {
  TextureRow row{std::vector<double>(static_cast<std::size_t>(columns)),
                 std::vector<FeatureReason>(static_cast<std::size_t>(columns))};
  const BasicMapBatch<Pixel> batch{map.data(), mask.empty() ? nullptr : mask.data(), 1, h, w};
  compute(batch, row.values.data(), row.reasons.data());
  return row;
}

inline const nlohmann::json& texture_reference() {
  static const nlohmann::json data = [] {
    std::ifstream file(SALIENT_TEXTURE_REFERENCE);
    return nlohmann::json::parse(file);
  }();
  return data;
}

/// Every feature of @p features on every reference map equals PyRadiomics' within 1e-9
/// relative, with reason ok; or, where salient gives NaN with constant_map (a 0/0 or 1/0),
/// PyRadiomics gives exactly its arbitrary value for that column, @p arbitrary[column] (NaN:
/// the column has none). @p compute(batch, bins, values, reasons) takes float32 and float64
/// batches.
template <std::size_t N, typename Compute>
void expect_texture_matches_pyradiomics(const std::array<CriterionInfo, N>& features, Compute&& compute,
                                        const std::array<double, N>& arbitrary) {
  const auto& reference = texture_reference();
  SALIENT_REQUIRE_PYRADIOMICS(reference);
  for (const auto& c : reference["cases"]) {
    const auto mask = c["mask"].get<std::vector<std::uint8_t>>();
    const BinSpec bins = c["bin_kind"] == "width" ? BinSpec::bin_width(c["bin_value"].get<double>())
                                                  : BinSpec::bin_count(static_cast<int>(c["bin_value"].get<double>()));
    const std::int64_t h = c["h"], w = c["w"];
    const bool wide = c["float64"];
    const auto with_bins = [&](const auto& batch, double* values, FeatureReason* reasons) {
      compute(batch, bins, values, reasons);
    };
    const TextureRow row = wide ? texture_row(c["map"].get<std::vector<double>>(), mask, h, w, N, with_bins)
                                : texture_row(c["map"].get<std::vector<float>>(), mask, h, w, N, with_bins);
    for (std::size_t k = 0; k < N; ++k) {
      const std::string name = features[k].name;
      SCOPED_TRACE(name + " on a " + c["style"].get<std::string>() + (wide ? " float64 " : " float32 ") +
                   std::to_string(h) + "x" + std::to_string(w) + " map, " + c["bin_kind"].get<std::string>() + " " +
                   c["bin_value"].dump());
      const double expected = c["pyradiomics"][name];
      if (row.reasons[k] == FeatureReason::constant_map && !std::isnan(arbitrary[k])) {
        EXPECT_TRUE(std::isnan(row.values[k]));
        EXPECT_EQ(expected, arbitrary[k]);
        continue;
      }
      EXPECT_EQ(row.reasons[k], FeatureReason::ok);
      EXPECT_TRUE(near_relative(row.values[k], expected, kReferenceRelativeTolerance))
          << row.values[k] << " vs " << expected;
    }
  }
}

template <std::size_t N, typename Compute>
void expect_texture_matches_pyradiomics(const std::array<CriterionInfo, N>& features, Compute&& compute) {
  std::array<double, N> none;
  none.fill(std::numeric_limits<double>::quiet_NaN());
  expect_texture_matches_pyradiomics(features, compute, none);
}

/// The CUDA twin equals the CPU twin (within kTwinRelativeTolerance, reasons exactly) on random, smooth and constant 37 × 53 maps
/// with random masks (map 0: an empty mask), at 32 and 300 levels.
/// @p cpu(batch, bins, values, reasons) and @p cuda(batch, bins, values, reasons).
template <std::size_t N, typename Cpu, typename Cuda>
void expect_texture_cuda_twin_equals_cpu(const std::array<CriterionInfo, N>& features, Cpu&& cpu, Cuda&& cuda) {
  const std::int64_t n = 13, h = 37, w = 53;
  const int columns = static_cast<int>(N);
  for (const int levels : {32, 300}) {
    for (const int style : {0, 1, 2}) {
      SCOPED_TRACE((style == 0 ? "random" : style == 1 ? "smooth" : "constant") + std::string(" maps, binCount ") +
                   std::to_string(levels));
      auto maps = style == 2 ? std::vector<float>(n * h * w, 0.75f) : random_maps(n, h, w, style == 1, 41);
      auto masks = random_masks(maps.size(), 0.85, 42);
      std::fill(masks.begin(), masks.begin() + h * w, 0);
      const BinSpec bins = BinSpec::bin_count(levels);
      std::vector<double> expected(static_cast<std::size_t>(n * columns));
      std::vector<FeatureReason> expected_reasons(static_cast<std::size_t>(n * columns));
      cpu(MapBatch{maps.data(), masks.data(), n, h, w}, bins, expected.data(), expected_reasons.data());
      expect_cuda_twin_equals_cpu(maps, masks, n, h, w, features.data(), columns, expected, expected_reasons,
                                  [&](const MapBatch& batch, double* values, FeatureReason* reasons) {
                                    cuda(batch, bins, values, reasons);
                                  });
    }
  }
}

}  // namespace salient::testing
