#include "engine/criteria/criterion_families.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "engine/criteria/criteria_request.h"
#include "engine/runtime/field_text.h"
#include "salient/check.h"
#include "salient/kernels/alignment.h"
#include "salient/kernels/feature_registry.h"
#include "salient/kernels/first_order.h"
#include "salient/kernels/glcm.h"
#include "salient/kernels/gldm.h"
#include "salient/kernels/glrlm.h"
#include "salient/kernels/glszm.h"
#include "salient/kernels/ngtdm.h"
#include "salient/kernels/patch_criteria.h"
#include "salient/kernels/shape2d.h"
#include "salient/kernels/uncertainty.h"

namespace salient::criteria {

std::int64_t FamilyBatch::rows(FamilyInput input) const { return reads_maps(input) ? maps.n : sample_rows; }

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// For families whose parameter fields say all there is to check.
void check_nothing(const CriteriaRequest& /*request*/) {}

/// A binned family's BinSpec (a width or a count; `salient features` takes either).
template <auto params>
void check_bins(const CriteriaRequest& request) {
  kernels::check_bin_spec((request.*params).bins);
}

// ---- Map families: n × Columns doubles, then n × Columns kernels::FeatureReason. ----

template <int Columns>
std::size_t map_result_bytes(std::int64_t rows) {
  return static_cast<std::size_t>(rows) * Columns * (sizeof(double) + sizeof(kernels::FeatureReason));
}

template <int Columns>
FamilyValue read_map_result(const std::uint8_t* results, std::int64_t rows, std::int64_t row, int output) {
  const auto at = static_cast<std::size_t>(row) * Columns + static_cast<std::size_t>(output);
  double value;
  std::memcpy(&value, results + at * sizeof(double), sizeof(double));
  const auto reason = results[static_cast<std::size_t>(rows) * Columns * sizeof(double) + at];
  return {value, static_cast<Reason>(reason)};
}

/// Calls @p kernel(maps, values, reasons) on the batch's float32 or float64 maps.
template <int Columns, typename Kernel>
void run_on_maps(const FamilyBatch& batch, std::uint8_t* results, Kernel&& kernel) {
  auto* values = reinterpret_cast<double*>(results);
  auto* reasons = reinterpret_cast<kernels::FeatureReason*>(results + static_cast<std::size_t>(batch.maps.n) *
                                                                          Columns * sizeof(double));
  if (batch.double_maps.maps != nullptr) {
    kernel(batch.double_maps, values, reasons);
  } else {
    kernel(batch.maps, values, reasons);
  }
}

void run_first_order(const FamilyBatch& batch, const CriteriaRequest& request, std::uint8_t* results,
                     const kernels::ExecutionContext& ctx) {
  run_on_maps<kernels::first_order::kColumns>(batch, results, [&](const auto& maps, double* v, auto* r) {
    kernels::compute_first_order(maps, request.first_order, v, r, ctx);
  });
}

void run_glcm(const FamilyBatch& batch, const CriteriaRequest& request, std::uint8_t* results,
              const kernels::ExecutionContext& ctx) {
  run_on_maps<kernels::glcm::kColumns>(batch, results, [&](const auto& maps, double* v, auto* r) {
    kernels::compute_glcm(maps, request.glcm, v, r, ctx);
  });
}

void run_glrlm(const FamilyBatch& batch, const CriteriaRequest& request, std::uint8_t* results,
               const kernels::ExecutionContext& ctx) {
  run_on_maps<kernels::glrlm::kColumns>(batch, results, [&](const auto& maps, double* v, auto* r) {
    kernels::compute_glrlm(maps, request.glrlm, v, r, ctx);
  });
}

void run_gldm(const FamilyBatch& batch, const CriteriaRequest& request, std::uint8_t* results,
              const kernels::ExecutionContext& ctx) {
  run_on_maps<kernels::gldm::kColumns>(batch, results, [&](const auto& maps, double* v, auto* r) {
    kernels::compute_gldm(maps, request.gldm, v, r, ctx);
  });
}

void run_ngtdm(const FamilyBatch& batch, const CriteriaRequest& request, std::uint8_t* results,
               const kernels::ExecutionContext& ctx) {
  run_on_maps<kernels::ngtdm::kColumns>(batch, results, [&](const auto& maps, double* v, auto* r) {
    kernels::compute_ngtdm(maps, request.ngtdm, v, r, ctx);
  });
}

void run_glszm(const FamilyBatch& batch, const CriteriaRequest& request, std::uint8_t* results,
               const kernels::ExecutionContext& ctx) {
  run_on_maps<kernels::glszm::kColumns>(batch, results, [&](const auto& maps, double* v, auto* r) {
    kernels::compute_glszm(maps, request.glszm, v, r, ctx);
  });
}

void run_shape2d(const FamilyBatch& batch, const CriteriaRequest& request, std::uint8_t* results,
                 const kernels::ExecutionContext& ctx) {
  run_on_maps<kernels::shape2d::kColumns>(batch, results, [&](const auto& maps, double* v, auto* r) {
    kernels::compute_shape2d(maps, request.shape2d, v, r, ctx);
  });
}

/// The alignment kernel reads float32 maps: float64 maps (CPU only) are narrowed first.
void run_alignment(const FamilyBatch& batch, const CriteriaRequest& request, std::uint8_t* results,
                   const kernels::ExecutionContext& ctx) {
  SALIENT_CHECK(batch.roi != nullptr, "the alignment family needs an expert ROI mask per map");
  run_on_maps<kernels::alignment::kColumns>(batch, results, [&](const auto& maps, double* v, auto* r) {
    std::vector<float> narrowed;
    const float* pixels = nullptr;
    if constexpr (std::is_same_v<std::decay_t<decltype(*maps.maps)>, float>) {
      pixels = maps.maps;
    } else {
      SALIENT_ASSERT(ctx.backend == kernels::Backend::cpu);
      narrowed.assign(maps.maps, maps.maps + maps.n * maps.h * maps.w);
      pixels = narrowed.data();
    }
    const kernels::AlignmentBatch pairs{pixels, batch.roi, maps.n, maps.h, maps.w, batch.roi_h, batch.roi_w};
    kernels::compute_alignment(pairs, request.alignment, v, r, ctx);
  });
}

// ---- Prediction families: one kernel result struct per row. ----

Reason reason_of(kernels::ProbabilityStatus status) {
  switch (status) {
    case kernels::ProbabilityStatus::ok: return Reason::defined;
    case kernels::ProbabilityStatus::invalid_probability: return Reason::invalid_probability;
    case kernels::ProbabilityStatus::invalid_variance: return Reason::invalid_variance;
  }
  return Reason::invalid_probability;
}

template <typename Result>
std::size_t struct_result_bytes(std::int64_t rows) {
  return static_cast<std::size_t>(rows) * sizeof(Result);
}

template <typename Result>
Result result_at(const std::uint8_t* results, std::int64_t row) {
  Result result;
  std::memcpy(&result, results + static_cast<std::size_t>(row) * sizeof(Result), sizeof(Result));
  return result;
}

FamilyValue read_uncertainty(const std::uint8_t* results, std::int64_t /*rows*/, std::int64_t row, int output) {
  const auto r = result_at<kernels::UncertaintyCriteria>(results, row);
  if (r.status != kernels::ProbabilityStatus::ok) return {kNaN, reason_of(r.status)};
  const float fields[] = {r.entropy, r.margin, r.least_confidence, r.mc_variance, r.bald};  // kUncertaintyCriteria
  return {fields[output], Reason::defined};
}

void run_uncertainty(const FamilyBatch& batch, const CriteriaRequest& /*request*/, std::uint8_t* results,
                     const kernels::ExecutionContext& ctx) {
  const kernels::SampleBatch samples{batch.samples, batch.predicted_variance, batch.sample_rows, batch.samples_per_row,
                                     batch.classes};
  kernels::uncertainty_criteria(samples, reinterpret_cast<kernels::UncertaintyCriteria*>(results), ctx);
}

FamilyValue read_patches(const std::uint8_t* results, std::int64_t /*rows*/, std::int64_t row, int output) {
  const auto r = result_at<kernels::PatchCriteria>(results, row);
  if (r.status != kernels::ProbabilityStatus::ok) return {kNaN, reason_of(r.status)};
  const float fields[] = {r.entropy, r.diversity, r.score};  // kPatchCriteria
  return {fields[output], Reason::defined};
}

void run_patches(const FamilyBatch& batch, const CriteriaRequest& request, std::uint8_t* results,
                 const kernels::ExecutionContext& ctx) {
  const kernels::PatchBatch views{batch.samples, batch.sample_rows, batch.samples_per_row, batch.classes};
  kernels::patch_criteria(views, request.acft, reinterpret_cast<kernels::PatchCriteria*>(results), ctx);
}

// ---- Parameters. ----

using Parameters = runtime::FieldTable<CriteriaRequest>;

/// The bin count of a binned family's BinSpec (salient bins maps by count: saliency maps have
/// no fixed intensity scale, see kDefaultMapBinCount).
template <typename Params>
Parameters bin_count_of(Params CriteriaRequest::*params, Parameters more = {}) {
  more.insert(more.begin(), runtime::nested_field<int, CriteriaRequest>(
                                "bin_count", [params](CriteriaRequest& r) -> int& { return (r.*params).bins.count; },
                                "gray levels each map is binned into (PyRadiomics' binCount)"));
  return more;
}

/// @p fields of the part of a request at @p part.
template <typename Part>
Parameters part_of(Part CriteriaRequest::*part, const runtime::FieldTable<Part>& fields) {
  return runtime::lift<CriteriaRequest, Part>(fields, [part](CriteriaRequest& r) -> Part& { return r.*part; }, "");
}

Parameters first_order_parameters() {
  return bin_count_of(&CriteriaRequest::first_order,
                      part_of(&CriteriaRequest::first_order,
                              {runtime::field("voxel_array_shift", &kernels::FirstOrderParams::voxel_array_shift,
                                              "c added before squaring in Energy, TotalEnergy and RootMeanSquared")}));
}

Parameters glcm_parameters() {
  const auto usable = [](const std::vector<int>& distances) {
    SALIENT_CHECK(!distances.empty(), "needs at least one distance");
    kernels::glcm_offsets(distances);
  };
  return bin_count_of(&CriteriaRequest::glcm,
                      part_of(&CriteriaRequest::glcm,
                              {runtime::field("distances", &kernels::GlcmParams::distances,
                                              "pixel distances of the co-occurrences, pooled over 4 angles each",
                                              std::function<void(const std::vector<int>&)>(usable))}));
}

Parameters shape2d_parameters() {
  using kernels::Shape2DParams;
  return part_of(&CriteriaRequest::shape2d,
                 {runtime::choice_field("threshold", &Shape2DParams::threshold,
                                        {{"quantile", Shape2DParams::Threshold::quantile},
                                         {"level", Shape2DParams::Threshold::level}},
                                        "binarise each map at a quantile of its values, or at a fixed level"),
                  runtime::field("quantile", &Shape2DParams::quantile, "IDEAL's 0.7", runtime::within(0, 1)),
                  runtime::field("level", &Shape2DParams::level, "with threshold = \"level\"")});
}

Parameters alignment_parameters() {
  return part_of(&CriteriaRequest::alignment,
                 {runtime::field("dice_threshold", &kernels::AlignmentParams::dice_threshold,
                                 "tau: the map's min-max normalised values at or above it form the Dice "
                                 "region (EG-AL: 0.5)",
                                 runtime::within(0, 1))});
}

Parameters mc_dropout_parameters() {
  using models::McDropoutOptions;
  return part_of(&CriteriaRequest::mc_dropout,
                 {runtime::field("samples", &McDropoutOptions::samples, "T", runtime::at_least(std::int64_t{1})),
                  runtime::field("rate", &McDropoutOptions::rate, "p, with placement = \"head\"",
                                 runtime::within(0, 1, false, true)),
                  runtime::choice_field("placement", &McDropoutOptions::placement,
                                        {{"head", models::DropoutPlacement::head},
                                         {"throughout", models::DropoutPlacement::throughout}},
                                        "head: on the trunk's features (the trunk runs once); throughout: the "
                                        "model's own dropout, T full passes")});
}

Parameters patches_parameters() {
  using models::PatchOptions;
  using kernels::PatchCriteriaConfig;
  auto views = part_of(
      &CriteriaRequest::patches,
      {runtime::field("views", &PatchOptions::views, "m views per candidate", runtime::at_least(std::int64_t{1})),
       runtime::field("max_rotation_degrees", &PatchOptions::max_rotation_degrees, "rotation uniform in +-max",
                      runtime::within(0, 180)),
       runtime::field("min_zoom", &PatchOptions::min_zoom, "zoom uniform in [min_zoom, max_zoom]", runtime::positive()),
       runtime::field("max_zoom", &PatchOptions::max_zoom, "", runtime::positive()),
       runtime::field("max_shift", &PatchOptions::max_shift, "shift uniform in +-max_shift of the side",
                      runtime::within(0, 1, false, true)),
       runtime::field("flip_probability", &PatchOptions::flip_probability, "left-right flips (off: chests are not "
                      "symmetric)", runtime::within(0, 1))});
  const auto scores = part_of(
      &CriteriaRequest::acft,
      {runtime::field("alpha", &PatchCriteriaConfig::alpha, "ACFT's majority fraction", runtime::within(0, 1, true)),
       runtime::field("lambda1", &PatchCriteriaConfig::lambda1, "acft_score = lambda1 * entropy + lambda2 * diversity",
                      runtime::not_negative()),
       runtime::field("lambda2", &PatchCriteriaConfig::lambda2, "", runtime::not_negative())});
  views.insert(views.end(), scores.begin(), scores.end());
  return views;
}

// ---- Building the table. ----

template <typename Outputs>
std::vector<kernels::CriterionInfo> outputs_of(const Outputs& outputs) {
  return {std::begin(outputs), std::end(outputs)};
}

/// Every output of a map family as the criterion of the same name.
template <typename Outputs>
std::vector<FamilyCriterion> each_output(const Outputs& outputs) {
  std::vector<FamilyCriterion> criteria;
  for (const auto& info : outputs) criteria.push_back({info, static_cast<int>(criteria.size())});
  return criteria;
}

/// Criteria that read @p fields of kernels::kUncertaintyCriteria.
std::vector<FamilyCriterion> uncertainty_fields(std::initializer_list<int> fields) {
  std::vector<FamilyCriterion> criteria;
  for (const int field : fields) criteria.push_back({kernels::kUncertaintyCriteria[field], field});
  return criteria;
}

using RunFamily = decltype(CriterionFamily::run);

/// A family of features of binned saliency maps, each output a criterion of its own name.
template <auto params, int Columns, typename Outputs>
CriterionFamily binned_map_family(std::string_view name, const Outputs& outputs, RunFamily run,
                                  Parameters parameters) {
  return {name, "saliency map", FamilyInput::maps, true, outputs_of(outputs), each_output(outputs), check_bins<params>,
          map_result_bytes<Columns>, run, read_map_result<Columns>, std::move(parameters)};
}

enum UncertaintyField : int { kEntropy, kMargin, kLeastConfidence, kMcVariance, kBald };

std::vector<CriterionFamily> make_families() {
  using kernels::Direction;
  std::vector<CriterionFamily> families;
  families.push_back({"prediction", "probabilities", FamilyInput::probabilities, false,
                      outputs_of(kernels::kUncertaintyCriteria), uncertainty_fields({kEntropy, kMargin, kLeastConfidence}),
                      check_nothing, struct_result_bytes<kernels::UncertaintyCriteria>, run_uncertainty,
                      read_uncertainty, {}});
  auto mc_criteria = uncertainty_fields({kMcVariance, kBald});
  mc_criteria.insert(mc_criteria.begin(), {{"mc_entropy", "uncertainty", Direction::descending,
                                            "entropy of the mean of the T MC-dropout samples"},
                                           kEntropy});
  families.push_back({"mc_dropout", "MC-dropout samples", FamilyInput::mc_samples, false,
                      outputs_of(kernels::kUncertaintyCriteria), std::move(mc_criteria), check_nothing,
                      struct_result_bytes<kernels::UncertaintyCriteria>, run_uncertainty, read_uncertainty,
                      mc_dropout_parameters()});
  families.push_back({"patches", "ACFT views", FamilyInput::patch_views, false, outputs_of(kernels::kPatchCriteria),
                      each_output(kernels::kPatchCriteria), check_nothing,
                      struct_result_bytes<kernels::PatchCriteria>, run_patches, read_patches, patches_parameters()});
  families.push_back(binned_map_family<&CriteriaRequest::first_order, kernels::first_order::kColumns>(
      "firstorder", kernels::kFirstOrderFeatures, run_first_order, first_order_parameters()));
  families.push_back(binned_map_family<&CriteriaRequest::glcm, kernels::glcm::kColumns>(
      "glcm", kernels::kGlcmFeatures, run_glcm, glcm_parameters()));
  families.push_back(binned_map_family<&CriteriaRequest::glrlm, kernels::glrlm::kColumns>(
      "glrlm", kernels::kGlrlmFeatures, run_glrlm, bin_count_of(&CriteriaRequest::glrlm)));
  families.push_back(binned_map_family<&CriteriaRequest::glszm, kernels::glszm::kColumns>(
      "glszm", kernels::kGlszmFeatures, run_glszm, bin_count_of(&CriteriaRequest::glszm)));
  families.push_back(binned_map_family<&CriteriaRequest::gldm, kernels::gldm::kColumns>(
      "gldm", kernels::kGldmFeatures, run_gldm, bin_count_of(&CriteriaRequest::gldm)));
  families.push_back(binned_map_family<&CriteriaRequest::ngtdm, kernels::ngtdm::kColumns>(
      "ngtdm", kernels::kNgtdmFeatures, run_ngtdm, bin_count_of(&CriteriaRequest::ngtdm)));
  families.push_back({"shape2D", "saliency map", FamilyInput::maps, false, outputs_of(kernels::kShape2DFeatures),
                      each_output(kernels::kShape2DFeatures), check_nothing,
                      map_result_bytes<kernels::shape2d::kColumns>, run_shape2d,
                      read_map_result<kernels::shape2d::kColumns>, shape2d_parameters()});
  auto alignment_criteria = each_output(kernels::kAlignmentFeatures);
  alignment_criteria.push_back({{"alignment_Misalignment", "alignment", Direction::descending,
                                 "EG-AL's explanation misalignment D_exp = 1 - alignment_HardDice"},
                                kernels::alignment::kHardDice,
                                Derivation::one_minus});
  families.push_back({"alignment", "saliency map + ROI mask", FamilyInput::maps_and_roi, false,
                      outputs_of(kernels::kAlignmentFeatures), std::move(alignment_criteria), check_nothing,
                      map_result_bytes<kernels::alignment::kColumns>, run_alignment,
                      read_map_result<kernels::alignment::kColumns>, alignment_parameters()});
  return families;
}

}  // namespace

const std::vector<CriterionFamily>& criterion_families() {
  static const std::vector<CriterionFamily> families = make_families();
  return families;
}

const CriterionFamily* find_family(std::string_view name) {
  const auto& families = criterion_families();
  const auto found =
      std::find_if(families.begin(), families.end(), [&](const CriterionFamily& f) { return f.name == name; });
  return found == families.end() ? nullptr : &*found;
}

std::string family_names(bool maps_only) {
  std::string names;
  for (const auto& family : criterion_families()) {
    if (maps_only && !reads_maps(family.input)) continue;
    names += names.empty() ? "" : ", ";
    names += family.name;
  }
  return names;
}

}  // namespace salient::criteria
