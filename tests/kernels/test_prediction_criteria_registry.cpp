// The registries of the prediction-based criteria: names are unique, and every one is
// documented in docs/formulas.md with its direction.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "salient/kernels/patch_criteria.h"
#include "salient/kernels/uncertainty.h"

namespace salient::kernels {
namespace {

std::vector<CriterionInfo> prediction_criteria() {
  std::vector<CriterionInfo> all(std::begin(kPatchCriteria), std::end(kPatchCriteria));
  all.insert(all.end(), std::begin(kUncertaintyCriteria), std::end(kUncertaintyCriteria));
  return all;
}

TEST(PredictionCriteriaRegistry, NamesAreUniqueAndDocumentedWithTheirDirection) {
  std::ifstream file(SALIENT_FORMULAS_DOC);
  ASSERT_TRUE(file) << "cannot open " << SALIENT_FORMULAS_DOC;
  std::stringstream text;
  text << file.rdbuf();
  const std::string doc = text.str();
  std::set<std::string> names;
  for (const auto& criterion : prediction_criteria()) {
    EXPECT_TRUE(names.insert(criterion.name).second) << criterion.name << " is registered twice";
    const std::string row = std::string("| `") + criterion.name + "` | " +
                            (criterion.direction == Direction::descending ? "descending" : "ascending") + " |";
    EXPECT_NE(doc.find(row), std::string::npos) << "docs/formulas.md has no row " << row;
  }
}

}  // namespace
}  // namespace salient::kernels
