// GLCM CPU twin against PyRadiomics 3.0.1 (all 24 features) and scikit-image graycoprops (the
// properties it shares), on the random and smooth maps of reference/glcm_reference.py.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "map_features_test_support.h"
#include "salient/kernels/glcm.h"

namespace salient::kernels {
namespace {

using testing::near_relative;

/// Both sides in double from the same counts, differing in summation order (1e-9, as for
/// first-order); MCC from a symmetric solver against numpy's general eigvals, and without
/// PyRadiomics' ε in Q (glcm_terms.h): 1e-6.
constexpr double kMccTolerance = 1e-6;

const nlohmann::json& glcm_reference() {
  static const nlohmann::json data = [] {
    std::ifstream file(SALIENT_GLCM_REFERENCE);
    return nlohmann::json::parse(file);
  }();
  return data;
}

struct Computed {
  std::vector<double> row = std::vector<double>(glcm::kColumns);
  std::vector<FeatureReason> reasons = std::vector<FeatureReason>(glcm::kColumns);
};

Computed glcm_of(const nlohmann::json& c) {
  const auto map = c["map"].get<std::vector<float>>();
  const auto mask = c["mask"].get<std::vector<std::uint8_t>>();
  GlcmParams params;
  params.bins = c["bin_kind"] == "width" ? BinSpec::bin_width(c["bin_value"].get<double>())
                                         : BinSpec::bin_count(static_cast<int>(c["bin_value"].get<double>()));
  params.distances = c["distances"].get<std::vector<int>>();
  Computed out;
  compute_glcm({map.data(), mask.data(), 1, c["h"], c["w"]}, params, out.row.data(), out.reasons.data(), {});
  return out;
}

std::string describe(const nlohmann::json& c) {
  return (c["smooth"].get<bool>() ? "smooth " : "random ") + c["h"].dump() + "x" + c["w"].dump() + ", " +
         c["bin_kind"].get<std::string>() + " " + c["bin_value"].dump() + ", distances " + c["distances"].dump();
}

TEST(GlcmReference, EveryFeatureMatchesPyRadiomics) {
  const auto& reference = glcm_reference();
  SALIENT_REQUIRE_PYRADIOMICS(reference);
  for (const auto& c : reference["cases"]) {
    const Computed computed = glcm_of(c);
    for (int k = 0; k < glcm::kColumns; ++k) {
      const std::string name = kGlcmFeatures[k].name;
      SCOPED_TRACE(name + " on a " + describe(c) + " map");
      EXPECT_EQ(computed.reasons[k], FeatureReason::ok);
      const double expected = c["pyradiomics"][name];
      const double tolerance = k == glcm::kMcc ? kMccTolerance : testing::kReferenceRelativeTolerance;
      EXPECT_TRUE(near_relative(computed.row[k], expected, tolerance)) << computed.row[k] << " vs " << expected;
    }
  }
}

TEST(GlcmReference, SharedPropertiesMatchScikitImageGraycoprops) {
  const auto& reference = glcm_reference();
  SALIENT_REQUIRE_PYRADIOMICS(reference);
  int compared = 0;
  for (const auto& c : reference["cases"]) {
    if (!c.contains("skimage")) continue;
    SCOPED_TRACE(describe(c));
    const Computed computed = glcm_of(c);
    const auto& props = c["skimage"];
    const double tolerance = testing::kReferenceRelativeTolerance;
    EXPECT_TRUE(near_relative(computed.row[glcm::kContrast], props["contrast"], tolerance));
    EXPECT_TRUE(near_relative(computed.row[glcm::kDifferenceAverage], props["dissimilarity"], tolerance));
    EXPECT_TRUE(near_relative(computed.row[glcm::kIdm], props["homogeneity"], tolerance));
    EXPECT_TRUE(near_relative(computed.row[glcm::kJointEnergy], props["ASM"], tolerance));
    EXPECT_TRUE(near_relative(computed.row[glcm::kCorrelation], props["correlation"], tolerance));
    ++compared;
  }
  EXPECT_GT(compared, 0);
}

}  // namespace
}  // namespace salient::kernels
