// The map-feature registry: names unique and prefixed by their family, every feature and
// every reason code documented in docs/formulas.md (as a "| `name` | direction |" row).
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "salient/kernels/feature_registry.h"

namespace salient::kernels {
namespace {

std::string formulas_doc() {
  std::ifstream file(SALIENT_FORMULAS_DOC);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

TEST(MapFeatureRegistry, NamesAreUniqueAndCarryTheirFamilyPrefix) {
  std::set<std::string> names;
  for (std::size_t k = 0; k < kFeatureCount; ++k) {
    const CriterionInfo info = feature_info(k);
    EXPECT_TRUE(names.insert(info.name).second) << info.name << " is registered twice";
    const std::string name = info.name, family = info.family;
    EXPECT_TRUE(name.rfind(family + "_", 0) == 0 || name.rfind("ideal_", 0) == 0) << name << " in " << family;
  }
}

TEST(MapFeatureRegistry, EveryFeatureAndReasonIsDocumented) {
  const std::string doc = formulas_doc();
  ASSERT_FALSE(doc.empty()) << "cannot read " << SALIENT_FORMULAS_DOC;
  for (std::size_t k = 0; k < kFeatureCount; ++k) {
    const CriterionInfo info = feature_info(k);
    const std::string row = std::string("| `") + info.name + "` | " +
                            (info.direction == Direction::descending ? "descending" : "ascending") + " |";
    EXPECT_NE(doc.find(row), std::string::npos) << "docs/formulas.md has no row " << row;
  }
  for (int code = 0; code <= static_cast<int>(FeatureReason::roi_missing); ++code) {
    const std::string name(reason_name(static_cast<FeatureReason>(code)));
    EXPECT_NE(doc.find("`" + name + "`"), std::string::npos) << "reason " << name << " is not documented";
  }
}

}  // namespace
}  // namespace salient::kernels
