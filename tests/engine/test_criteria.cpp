// Criteria of one batch (engine/criteria): the registry, what a request needs of a batch,
// the glue against the kernels called directly on the same inputs, hand-derived values, and
// the CUDA twin against the CPU.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/criteria/batch_criteria.h"
#include "engine/criteria/criteria_registry.h"
#include "engine/criteria/criteria_request.h"
#include "engine/models/acft_patches.h"
#include "engine/models/mc_dropout.h"
#include "salient/kernels/feature_registry.h"
#include "salient/kernels/uncertainty.h"
#include "support/cuda_test_support.h"
#include "support/probe_classifier.h"

namespace salient::criteria {
namespace {

using kernels::ExecutionContext;
using kernels::FeatureReason;

CriteriaRequest request_of(std::vector<std::string> names) {
  CriteriaRequest request;
  request.names = std::move(names);
  return request;
}

/// Every criterion name of one family, in registry order.
std::vector<std::string> names_of(std::string_view family) {
  std::vector<std::string> names;
  for (const auto& entry : all_criteria()) {
    if (family_of(entry).name == family) names.emplace_back(entry.info.name);
  }
  return names;
}

std::vector<std::string> all_names() {
  std::vector<std::string> names;
  for (const auto& entry : all_criteria()) names.emplace_back(entry.info.name);
  return names;
}

/// Random N×K×C probability rows (softmax of Gaussian logits).
at::Tensor random_distributions(std::int64_t n, std::int64_t k, std::int64_t c, std::uint64_t seed) {
  torch::manual_seed(seed);
  return torch::softmax(torch::randn({n, k, c}) * 2.0, -1).contiguous();
}

/// Small random maps with a few ties and a bright blob, and ROIs covering a corner.
struct MapFixture {
  at::Tensor maps;
  at::Tensor roi = torch::zeros({3, 8, 8}, torch::kUInt8);
  MapFixture() {
    torch::manual_seed(4);
    maps = torch::rand({3, 8, 8});
    maps.index_put_({0, torch::indexing::Slice(2, 5), torch::indexing::Slice(2, 5)}, 3.0f);
    maps.index_put_({2}, torch::round(maps[2] * 4.0f));
    roi.index_put_({torch::indexing::Slice(), torch::indexing::Slice(0, 4), torch::indexing::Slice(0, 5)}, 1);
  }
};

void expect_same(double actual, double expected, double tolerance, const std::string& what) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(actual)) << what;
  } else {
    EXPECT_NEAR(actual, expected, tolerance * std::max(1.0, std::abs(expected))) << what;
  }
}

// ---------------------------------------------------------------------------------------------
// Registry and request.

TEST(CriteriaRegistry, ListsEveryKernelFeatureAndPredictionCriterionOnce) {
  std::set<std::string> names;
  for (const auto& entry : all_criteria()) EXPECT_TRUE(names.insert(entry.info.name).second) << entry.info.name;
  for (std::size_t i = 0; i < kernels::kFeatureCount; ++i) {
    EXPECT_EQ(names.count(kernels::feature_info(i).name), 1u) << kernels::feature_info(i).name;
  }
  for (const auto& info : kernels::kUncertaintyCriteria) {
    if (std::string(info.name) != "entropy" && std::string(info.name) != "margin" &&
        std::string(info.name) != "least_confidence" && std::string(info.name) != "mc_variance" &&
        std::string(info.name) != "bald") {
      ADD_FAILURE() << "unexpected uncertainty criterion " << info.name;
    }
    EXPECT_EQ(names.count(info.name), 1u) << info.name;
  }
  for (const auto& info : kernels::kPatchCriteria) EXPECT_EQ(names.count(info.name), 1u) << info.name;
  EXPECT_EQ(names.count("mc_entropy"), 1u);
  EXPECT_EQ(names.count("alignment_Misalignment"), 1u);
  EXPECT_EQ(criterion("alignment_Misalignment").info.direction, kernels::Direction::descending);
  EXPECT_EQ(criterion("margin").info.direction, kernels::Direction::ascending);
  EXPECT_EQ(family_of(criterion("ideal_Kurtosis")).name, "firstorder");
}

TEST(CriteriaRegistry, EveryCriterionIsDocumentedWithItsDirection) {
  std::ifstream file(SALIENT_FORMULAS_DOC);
  ASSERT_TRUE(file) << "cannot open " << SALIENT_FORMULAS_DOC;
  std::stringstream text;
  text << file.rdbuf();
  const std::string doc = text.str();
  for (const auto& entry : all_criteria()) {
    const std::string row = std::string("| `") + entry.info.name + "` | " +
                            (entry.info.direction == kernels::Direction::descending ? "descending" : "ascending") +
                            " |";
    EXPECT_NE(doc.find(row), std::string::npos) << "docs/formulas.md has no row " << row;
  }
}

TEST(CriteriaRegistry, EveryFamilyHasARowInTheDocsTableOfWhatEachNeeds) {
  std::ifstream file(SALIENT_FORMULAS_DOC);
  ASSERT_TRUE(file) << "cannot open " << SALIENT_FORMULAS_DOC;
  std::stringstream text;
  text << file.rdbuf();
  const std::string doc = text.str();
  const auto table = doc.find("| family | criteria | needs of the batch | kernel |");
  ASSERT_NE(table, std::string::npos) << "docs/formulas.md has no table of the families";
  const auto end = doc.find("\n\n", table);
  const std::string rows = doc.substr(table, end - table);
  for (const auto& family : criterion_families()) {
    EXPECT_NE(rows.find("\n| `" + std::string(family.name) + "` |"), std::string::npos)
        << "the table of docs/formulas.md has no row for the family " << family.name;
  }
}

TEST(CriteriaRegistry, UnknownNameListsTheKnownOnes) {
  EXPECT_EQ(find_criterion("glcm_Nonsense"), nullptr);
  try {
    criterion("glcm_Nonsense");
    FAIL() << "no error";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("glcm_Nonsense"), std::string::npos) << message;
    EXPECT_NE(message.find("glcm_SumEntropy"), std::string::npos) << message;
    EXPECT_NE(message.find("bald"), std::string::npos) << message;
  }
  EXPECT_THROW(check_request(request_of({"entropy", "nope"})), Error);
  EXPECT_THROW(check_request(request_of({"entropy", "entropy"})), Error);
  EXPECT_THROW(check_request(request_of({})), Error);
}

TEST(CriteriaRegistry, HelpNamesEveryCriterionAndWhatItNeeds) {
  const std::string help = criteria_help();
  for (const auto& entry : all_criteria()) EXPECT_NE(help.find(entry.info.name), std::string::npos) << entry.info.name;
  EXPECT_NE(help.find("saliency map + ROI mask"), std::string::npos) << help;
  EXPECT_NE(help.find("MC-dropout samples"), std::string::npos) << help;
}

TEST(CriteriaRequest, ParsesListsAndExpandsSources) {
  EXPECT_EQ(parse_criteria_list(" entropy, bald ,glcm_SumEntropy,entropy"),
            (std::vector<std::string>{"entropy", "bald", "glcm_SumEntropy"}));
  EXPECT_EQ(parse_criteria_list("shape2D"), names_of("shape2D"));
  EXPECT_EQ(parse_criteria_list("patches,entropy"),
            (std::vector<std::string>{"acft_entropy", "acft_diversity", "acft_score", "entropy"}));
  EXPECT_THROW(parse_criteria_list("entropy,firstorder_Nonsense"), Error);
  EXPECT_THROW(parse_criteria_list(" , "), Error);
}

TEST(CriteriaRequest, NeedsFollowFromTheNames) {
  const auto entropy = needs_of(request_of({"entropy"}));
  EXPECT_TRUE(entropy.probabilities);
  EXPECT_FALSE(entropy.maps || entropy.roi || entropy.mc_samples || entropy.patches);

  const auto bald = needs_of(request_of({"bald", "mc_variance"}));
  EXPECT_TRUE(bald.mc_samples);
  EXPECT_FALSE(bald.maps || bald.roi || bald.probabilities || bald.patches);

  const auto kurtosis = needs_of(request_of({"ideal_Kurtosis", "glcm_SumEntropy"}));
  EXPECT_TRUE(kurtosis.maps);
  // criterion_families(): prediction, mc_dropout, patches, firstorder, glcm, glrlm, glszm,
  // gldm, ngtdm, shape2D, alignment.
  EXPECT_EQ(kurtosis.families, (std::vector<bool>{false, false, false, true, true, false, false, false, false, false,
                                                  false}));
  EXPECT_FALSE(kurtosis.roi || kurtosis.probabilities || kurtosis.mc_samples || kurtosis.patches);

  const auto eg_al = needs_of(request_of({"entropy", "alignment_Misalignment"}));
  EXPECT_TRUE(eg_al.maps && eg_al.roi && eg_al.probabilities);
  EXPECT_FALSE(eg_al.mc_samples || eg_al.patches);

  const auto acft = needs_of(request_of({"acft_diversity"}));
  EXPECT_TRUE(acft.patches);
  EXPECT_FALSE(acft.maps || acft.probabilities || acft.mc_samples);
}

TEST(CriteriaRequest, RejectsUnusableParameters) {
  auto request = request_of({"glcm_Contrast"});
  request.glcm.distances = {0};
  EXPECT_THROW(check_request(request), Error);
  request = request_of({"firstorder_Entropy"});
  request.first_order.bins = kernels::BinSpec::bin_count(0);
  EXPECT_THROW(check_request(request), Error);
  request = request_of({"bald"});
  request.mc_dropout.samples = 0;
  EXPECT_THROW(check_request(request), Error);
  request.names = {"entropy"};  // the MC parameters matter only when MC criteria are asked for
  EXPECT_NO_THROW(check_request(request));
}

TEST(CriteriaRequest, ReasonNamesMatchTheKernelCodes) {
  const auto names = reason_names();
  ASSERT_EQ(names.size(), static_cast<std::size_t>(kReasonCount));
  EXPECT_EQ(names[0], "defined");
  EXPECT_EQ(names[static_cast<int>(FeatureReason::constant_map)], "constant_map");
  EXPECT_EQ(names[static_cast<int>(FeatureReason::roi_missing)], "roi_missing");
  EXPECT_EQ(names[static_cast<int>(Reason::invalid_probability)], "invalid_probability");
}

// ---------------------------------------------------------------------------------------------
// Hand-derived values.

TEST(CriteriaHandDerived, EntropyOfAFairCoinIsLn2) {
  CriteriaInputs inputs;
  inputs.probabilities = torch::tensor({0.5f, 0.5f, 1.0f, 0.0f}).reshape({2, 2});
  inputs.output = models::OutputKind::multi_class;
  const auto out = compute_criteria(inputs, request_of({"least_confidence", "entropy", "margin"}));
  ASSERT_EQ(out.rows, 2);
  ASSERT_EQ(out.columns.size(), 3u);
  EXPECT_EQ(out.columns[0].name, "least_confidence");
  EXPECT_EQ(out.columns[1].name, "entropy");
  EXPECT_EQ(out.columns[2].name, "margin");
  EXPECT_NEAR(out.column("entropy").values[0], std::log(2.0), 1e-6);
  EXPECT_NEAR(out.column("entropy").values[1], 0.0, 1e-7);
  EXPECT_NEAR(out.column("margin").values[0], 0.0, 1e-7);
  EXPECT_NEAR(out.column("margin").values[1], 1.0, 1e-7);
  EXPECT_NEAR(out.column("least_confidence").values[0], 0.5, 1e-7);
  EXPECT_EQ(out.column("entropy").reasons, (std::vector<std::uint8_t>{0, 0}));
}

TEST(CriteriaHandDerived, MultiLabelAveragesTheBinaryCriteriaOfTheClasses) {
  // Classes are binary problems: H(0.5) = ln 2, H(1) = 0; margins |2p − 1| = 0 and 1.
  CriteriaInputs inputs;
  inputs.probabilities = torch::tensor({0.5f, 1.0f}).reshape({1, 2});
  inputs.output = models::OutputKind::multi_label;
  const auto out = compute_criteria(inputs, request_of({"entropy", "margin"}));
  EXPECT_NEAR(out.column("entropy").values[0], std::log(2.0) / 2.0, 1e-6);
  EXPECT_NEAR(out.column("margin").values[0], 0.5, 1e-7);
}

TEST(CriteriaHandDerived, InvalidProbabilityIsNaNWithItsReason) {
  CriteriaInputs inputs;
  inputs.probabilities = torch::tensor({0.5f, 0.5f, 1.5f, -0.5f}).reshape({2, 2});
  const auto out = compute_criteria(inputs, request_of({"entropy"}));
  EXPECT_FALSE(std::isnan(out.columns[0].values[0]));
  EXPECT_TRUE(std::isnan(out.columns[0].values[1]));
  EXPECT_EQ(out.columns[0].reasons[1], static_cast<std::uint8_t>(Reason::invalid_probability));
}

TEST(CriteriaHandDerived, MapWhoseTopRegionIsTheRoiIsPerfectlyAligned) {
  // A 2×3 block of ones in an 6×6 map of zeros, the ROI the same block: B = R, Dice = 1.
  auto maps = torch::zeros({2, 6, 6});
  auto roi = torch::zeros({2, 6, 6}, torch::kUInt8);
  maps.index_put_({torch::indexing::Slice(), torch::indexing::Slice(1, 3), torch::indexing::Slice(2, 5)}, 1.0f);
  roi.index_put_({torch::indexing::Slice(), torch::indexing::Slice(1, 3), torch::indexing::Slice(2, 5)}, 1);
  // The second ROI is the block shifted off the map's top region except one column: |B ∩ R| = 2.
  roi[1].zero_();
  roi.index_put_({1, torch::indexing::Slice(1, 3), torch::indexing::Slice(4, 6)}, 1);
  CriteriaInputs inputs;
  inputs.maps = maps;
  inputs.roi = roi;
  const auto out = compute_criteria(
      inputs, request_of({"alignment_Misalignment", "alignment_HardDice", "alignment_PointingHit"}));
  EXPECT_NEAR(out.column("alignment_HardDice").values[0], 1.0, 1e-12);
  EXPECT_NEAR(out.column("alignment_Misalignment").values[0], 0.0, 1e-12);
  EXPECT_EQ(out.column("alignment_PointingHit").values[0], 1.0);
  // Dice = 2·2 / (6 + 4) = 0.4, misalignment 0.6.
  EXPECT_NEAR(out.column("alignment_HardDice").values[1], 0.4, 1e-12);
  EXPECT_NEAR(out.column("alignment_Misalignment").values[1], 0.6, 1e-12);
}

TEST(CriteriaHandDerived, EmptyRoiIsRoiMissing) {
  CriteriaInputs inputs;
  inputs.maps = torch::rand({1, 4, 4});
  inputs.roi = torch::zeros({1, 4, 4}, torch::kUInt8);
  const auto out = compute_criteria(inputs, request_of({"alignment_Misalignment"}));
  EXPECT_TRUE(std::isnan(out.columns[0].values[0]));
  EXPECT_EQ(out.columns[0].reasons[0], static_cast<std::uint8_t>(Reason::roi_missing));
}

TEST(CriteriaHandDerived, KurtosisOfABernoulliHistogram) {
  // Four ones among sixteen pixels: a Bernoulli(1/4) histogram, whose Pearson kurtosis is
  // 3 + (1 − 6pq)/(pq) = 7/3 with pq = 3/16. A constant map has none (m2 = 0).
  auto maps = torch::zeros({2, 4, 4});
  maps.index_put_({0, 0}, 1.0f);
  maps[1].fill_(0.25f);
  CriteriaInputs inputs;
  inputs.maps = maps;
  const auto out = compute_criteria(inputs, request_of({"ideal_Kurtosis", "firstorder_Kurtosis", "firstorder_Mean"}));
  EXPECT_NEAR(out.column("ideal_Kurtosis").values[0], 7.0 / 3.0, 1e-12);
  EXPECT_NEAR(out.column("firstorder_Kurtosis").values[0], 7.0 / 3.0, 1e-12);
  EXPECT_NEAR(out.column("firstorder_Mean").values[0], 0.25, 1e-12);
  EXPECT_TRUE(std::isnan(out.column("ideal_Kurtosis").values[1]));
  EXPECT_EQ(out.column("ideal_Kurtosis").reasons[1], static_cast<std::uint8_t>(Reason::constant_map));
  EXPECT_EQ(out.column("firstorder_Mean").reasons[1], 0);
}

TEST(CriteriaBatch, MissingInputsAndWrongShapesAreErrors) {
  CriteriaInputs inputs;
  inputs.maps = torch::rand({2, 4, 4});
  EXPECT_THROW(compute_criteria(inputs, request_of({"alignment_HardDice"})), Error);  // no ROI
  EXPECT_THROW(compute_criteria(inputs, request_of({"entropy"})), Error);             // no probabilities
  inputs.roi = torch::ones({3, 4, 4}, torch::kUInt8);
  EXPECT_THROW(compute_criteria(inputs, request_of({"alignment_HardDice"})), Error);  // 3 ROIs, 2 maps
  inputs.maps = torch::rand({2, 16});
  EXPECT_THROW(compute_criteria(inputs, request_of({"firstorder_Mean"})), Error);
}

TEST(CriteriaBatch, AnEmptyBatchGivesEmptyColumns) {
  CriteriaInputs inputs;
  inputs.maps = torch::rand({0, 4, 4});
  inputs.probabilities = torch::rand({0, 3});
  const auto out = compute_criteria(inputs, request_of({"glcm_Contrast", "entropy"}));
  EXPECT_EQ(out.rows, 0);
  ASSERT_EQ(out.columns.size(), 2u);
  EXPECT_TRUE(out.columns[0].values.empty());
}

TEST(CriteriaBatch, BatchesOfOneRequestAppend) {
  CriteriaInputs first, second;
  first.probabilities = torch::tensor({0.5f, 0.5f}).reshape({1, 2});
  second.probabilities = torch::tensor({1.0f, 0.0f, 0.5f, 0.5f}).reshape({2, 2});
  const auto request = request_of({"entropy", "margin"});
  BatchCriteria all;
  all.append(compute_criteria(first, request));
  all.append(compute_criteria(second, request));
  EXPECT_EQ(all.rows, 3);
  ASSERT_EQ(all.column("entropy").values.size(), 3u);
  EXPECT_NEAR(all.column("entropy").values[2], std::log(2.0), 1e-6);
  EXPECT_NEAR(all.column("margin").values[1], 1.0, 1e-7);
  EXPECT_THROW(all.append(compute_criteria(first, request_of({"margin", "entropy"}))), Error);
}

// ---------------------------------------------------------------------------------------------
// Glue: the same values as the kernels called directly on the same inputs.

/// One map family's kernel output: n rows of named columns, the names of @p features (the
/// kernel's own registry, in its output order).
struct NamedKernelOutput {
  const kernels::CriterionInfo* features;
  std::size_t columns;
  std::vector<double> values;
  std::vector<FeatureReason> reasons;

  /// The column named @p name, or -1 when the kernel has no output of that name.
  std::ptrdiff_t find(std::string_view name) const {
    for (std::size_t c = 0; c < columns; ++c) {
      if (name == features[c].name) return static_cast<std::ptrdiff_t>(c);
    }
    return -1;
  }
};

template <std::size_t Columns, typename Compute>
NamedKernelOutput kernel_output(const std::array<kernels::CriterionInfo, Columns>& features, std::size_t rows,
                                Compute compute) {
  NamedKernelOutput out{features.data(), Columns, std::vector<double>(rows * Columns),
                        std::vector<FeatureReason>(rows * Columns)};
  compute(out.values.data(), out.reasons.data());
  return out;
}

/// Criteria that are not a kernel output themselves, by definition from one that is:
/// EG-AL's explanation misalignment D_exp = 1 − Dice (EG-AL Sec. 3.2).
struct DefinedFrom {
  const char* criterion;
  const char* kernel_feature;
  double (*value)(double);
};
constexpr DefinedFrom kDefinedFrom[] = {
    {"alignment_Misalignment", "alignment_HardDice", [](double dice) { return 1.0 - dice; }},
};

/// Every column of @p family's criteria equals the kernel output of the same name (or the
/// output its definition names), value and reason, row by row.
void expect_map_family_glue(const BatchCriteria& out, const std::string& family, const NamedKernelOutput& kernel) {
  std::size_t checked = 0;
  for (const auto& column : out.columns) {
    if (family != criterion(column.name).info.family) continue;
    const char* feature = column.name.c_str();
    double (*value_of)(double) = [](double v) { return v; };
    for (const auto& defined : kDefinedFrom) {
      if (column.name == defined.criterion) {
        feature = defined.kernel_feature;
        value_of = defined.value;
      }
    }
    const std::ptrdiff_t at = kernel.find(feature);
    ASSERT_GE(at, 0) << column.name << ": the " << family << " kernel has no output named " << feature;
    ++checked;
    for (std::size_t i = 0; i < column.values.size(); ++i) {
      const std::size_t k = i * kernel.columns + static_cast<std::size_t>(at);
      const double expected = value_of(kernel.values[k]);
      if (std::isnan(expected)) {
        EXPECT_TRUE(std::isnan(column.values[i])) << column.name << " row " << i;
      } else {
        EXPECT_EQ(column.values[i], expected) << column.name << " row " << i;
      }
      EXPECT_EQ(column.reasons[i], static_cast<std::uint8_t>(kernel.reasons[k])) << column.name << " row " << i;
    }
  }
  EXPECT_GE(checked, kernel.columns) << family << ": not every kernel output reached a column";
}

TEST(CriteriaBatch, EveryCriterionEqualsItsKernelOnTheSameInputs) {
  const MapFixture fixture;
  CriteriaInputs inputs;
  inputs.maps = fixture.maps;
  inputs.roi = fixture.roi;
  inputs.probabilities = random_distributions(3, 1, 4, 1).squeeze(1);
  inputs.mc_samples = random_distributions(3, 5, 4, 2);
  inputs.patch_samples = random_distributions(3, 6, 4, 3);
  inputs.output = models::OutputKind::multi_class;
  auto request = request_of(all_names());
  request.glcm.distances = {1, 2};
  request.shape2d = kernels::Shape2DParams::at_quantile(0.6);
  request.acft.alpha = 0.5;
  const auto out = compute_criteria(inputs, request);
  ASSERT_EQ(out.rows, 3);
  ASSERT_EQ(out.columns.size(), all_criteria().size());
  for (std::size_t c = 0; c < all_criteria().size(); ++c) EXPECT_EQ(out.columns[c].name, all_criteria()[c].info.name);

  const ExecutionContext cpu;
  const kernels::MapBatch maps{fixture.maps.data_ptr<float>(), nullptr, 3, 8, 8};
  expect_map_family_glue(out, "firstorder", kernel_output(kernels::kFirstOrderFeatures, 3, [&](double* v, FeatureReason* r) {
                           kernels::compute_first_order(maps, request.first_order, v, r, cpu);
                         }));
  expect_map_family_glue(out, "glcm", kernel_output(kernels::kGlcmFeatures, 3, [&](double* v, FeatureReason* r) {
                           kernels::compute_glcm(maps, request.glcm, v, r, cpu);
                         }));
  expect_map_family_glue(out, "shape2D", kernel_output(kernels::kShape2DFeatures, 3, [&](double* v, FeatureReason* r) {
                           kernels::compute_shape2d(maps, request.shape2d, v, r, cpu);
                         }));
  expect_map_family_glue(out, "alignment", kernel_output(kernels::kAlignmentFeatures, 3, [&](double* v, FeatureReason* r) {
                           const kernels::AlignmentBatch pairs{fixture.maps.data_ptr<float>(),
                                                               fixture.roi.data_ptr<std::uint8_t>(), 3, 8, 8, 8, 8};
                           kernels::compute_alignment(pairs, request.alignment, v, r, cpu);
                         }));

  std::vector<kernels::UncertaintyCriteria> plain(3), mc(3);
  const auto probabilities = inputs.probabilities.contiguous();
  kernels::uncertainty_criteria({probabilities.data_ptr<float>(), nullptr, 3, 1, 4}, plain.data(), cpu);
  kernels::uncertainty_criteria({inputs.mc_samples.data_ptr<float>(), nullptr, 3, 5, 4}, mc.data(), cpu);
  std::vector<kernels::PatchCriteria> patch(3);
  kernels::patch_criteria({inputs.patch_samples.data_ptr<float>(), 3, 6, 4}, request.acft, patch.data(), cpu);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(out.column("entropy").values[i], static_cast<double>(plain[i].entropy));
    EXPECT_EQ(out.column("margin").values[i], static_cast<double>(plain[i].margin));
    EXPECT_EQ(out.column("least_confidence").values[i], static_cast<double>(plain[i].least_confidence));
    EXPECT_EQ(out.column("mc_entropy").values[i], static_cast<double>(mc[i].entropy));
    EXPECT_EQ(out.column("mc_variance").values[i], static_cast<double>(mc[i].mc_variance));
    EXPECT_EQ(out.column("bald").values[i], static_cast<double>(mc[i].bald));
    EXPECT_EQ(out.column("acft_entropy").values[i], static_cast<double>(patch[i].entropy));
    EXPECT_EQ(out.column("acft_diversity").values[i], static_cast<double>(patch[i].diversity));
    EXPECT_EQ(out.column("acft_score").values[i], static_cast<double>(patch[i].score));
  }
  // NaN exactly where a reason is given (what io::write_score_table checks).
  for (const auto& column : out.columns) {
    for (std::size_t i = 0; i < column.values.size(); ++i) {
      EXPECT_EQ(std::isnan(column.values[i]), column.reasons[i] != 0) << column.name << " row " << i;
    }
  }
}

TEST(CriteriaBatch, MultiLabelSamplesAreTheMeanOfEachClassAsABinaryProblem) {
  torch::manual_seed(5);
  const auto samples = torch::rand({2, 4, 3});  // N = 2, T = 4, C = 3 sigmoids
  CriteriaInputs inputs;
  inputs.mc_samples = samples;
  inputs.output = models::OutputKind::multi_label;
  const auto out = compute_criteria(inputs, request_of({"bald", "mc_variance"}));
  const ExecutionContext cpu;
  for (std::int64_t i = 0; i < 2; ++i) {
    double bald = 0.0, variance = 0.0;
    for (std::int64_t k = 0; k < 3; ++k) {
      const auto one_class = samples[i].select(1, k).contiguous();  // T sigmoid outputs, C = 1
      kernels::UncertaintyCriteria r;
      kernels::uncertainty_criteria({one_class.data_ptr<float>(), nullptr, 1, 4, 1}, &r, cpu);
      bald += r.bald / 3.0;
      variance += r.mc_variance / 3.0;
    }
    EXPECT_NEAR(out.column("bald").values[static_cast<std::size_t>(i)], bald, 1e-12);
    EXPECT_NEAR(out.column("mc_variance").values[static_cast<std::size_t>(i)], variance, 1e-12);
  }
}

TEST(CriteriaBatch, ModelPassesRunOnlyWhereNeededAndMatchTheModelsDirectly) {
  testing::ProbeClassifier model(5, 3, models::OutputKind::multi_class, 7);
  torch::manual_seed(8);
  const auto input = torch::randn({2, 1, 6, 6});
  const auto ids = torch::tensor(std::vector<std::int64_t>{10, 11}, torch::kInt64);

  // Only entropy: one forward pass, no MC samples, no views, no maps.
  auto request = request_of({"entropy"});
  const auto plain = run_model_passes(model, input, ids, {}, {}, {}, request);
  EXPECT_TRUE(plain.probabilities.defined());
  EXPECT_FALSE(plain.mc_samples.defined() || plain.patch_samples.defined() || plain.maps.defined());
  const auto expected = torch::softmax(model.logits(input), 1).detach();
  EXPECT_TRUE(torch::allclose(plain.probabilities, expected, 1e-6, 1e-7));

  // Probabilities handed in are used as they are.
  const auto given = torch::full({2, 3}, 1.0f / 3.0f);
  const auto out = compute_batch_criteria(model, input, ids, {}, {}, given, request);
  EXPECT_NEAR(out.column("entropy").values[0], std::log(3.0), 1e-6);

  // MC dropout and ACFT views, keyed by (seed, round, index): the same samples as the model
  // functions give directly.
  request = request_of({"bald", "acft_entropy", "entropy"});
  request.mc_dropout.samples = 4;
  request.patches.views = 3;
  request.acft.alpha = 1.0;
  request.set_seed(21, 2);
  const auto passes = run_model_passes(model, input, ids, {}, {}, {}, request);
  const auto mc = models::mc_dropout_probabilities(model, input, ids, request.mc_dropout);
  const auto views = models::patch_probabilities(model, input, ids, request.patches);
  EXPECT_TRUE(passes.mc_samples.equal(mc));
  EXPECT_TRUE(passes.patch_samples.equal(views));
  const auto all = compute_batch_criteria(model, input, ids, {}, {}, {}, request);
  CriteriaInputs direct;
  direct.probabilities = expected;
  direct.mc_samples = mc;
  direct.patch_samples = views;
  const auto reference = compute_criteria(direct, request);
  for (std::size_t c = 0; c < all.columns.size(); ++c) {
    EXPECT_EQ(all.columns[c].name, reference.columns[c].name);
    for (std::size_t i = 0; i < 2; ++i) {
      expect_same(all.columns[c].values[i], reference.columns[c].values[i], 1e-6, all.columns[c].name);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// CUDA twin: the same batch on the GPU gives the CPU's values and reasons.

TEST(CriteriaCuda, EveryCriterionOnTheGpuMatchesTheCpu) {
  SALIENT_SKIP_WITHOUT_CUDA();
  const MapFixture fixture;
  CriteriaInputs inputs;
  inputs.maps = fixture.maps;
  inputs.roi = fixture.roi;
  inputs.probabilities = random_distributions(3, 1, 4, 1).squeeze(1);
  inputs.mc_samples = random_distributions(3, 5, 4, 2);
  inputs.patch_samples = random_distributions(3, 6, 4, 3);
  auto request = request_of(all_names());
  request.glcm.distances = {1, 2};
  const auto cpu = compute_criteria(inputs, request);
  CriteriaInputs on_gpu = inputs;
  const c10::Device cuda(c10::kCUDA, 0);
  on_gpu.maps = inputs.maps.to(cuda);
  on_gpu.roi = inputs.roi.to(cuda);
  on_gpu.probabilities = inputs.probabilities.to(cuda);
  on_gpu.mc_samples = inputs.mc_samples.to(cuda);
  on_gpu.patch_samples = inputs.patch_samples.to(cuda);
  const auto gpu = compute_criteria(on_gpu, request);
  ASSERT_EQ(gpu.columns.size(), cpu.columns.size());
  for (std::size_t c = 0; c < cpu.columns.size(); ++c) {
    for (std::size_t i = 0; i < 3; ++i) {
      expect_same(gpu.columns[c].values[i], cpu.columns[c].values[i], 1e-5, cpu.columns[c].name);
      EXPECT_EQ(gpu.columns[c].reasons[i], cpu.columns[c].reasons[i]) << cpu.columns[c].name;
    }
  }
}

}  // namespace
}  // namespace salient::criteria
