#include "engine/criteria/batch_criteria.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "salient/check.h"
#include "salient/kernels/alignment.h"
#include "salient/kernels/first_order.h"
#include "salient/kernels/glcm.h"
#include "salient/kernels/patch_criteria.h"
#include "salient/kernels/shape2d.h"
#include "salient/kernels/uncertainty.h"

namespace salient::criteria {

std::string_view reason_name(Reason reason) {
  const auto code = static_cast<std::uint8_t>(reason);
  if (reason == Reason::defined) return "defined";
  if (code <= static_cast<std::uint8_t>(Reason::too_many_gray_levels)) {
    return kernels::reason_name(static_cast<kernels::FeatureReason>(code));
  }
  switch (reason) {
    case Reason::invalid_probability: return "invalid_probability";
    case Reason::invalid_variance: return "invalid_variance";
    default: return "unknown";
  }
}

std::vector<std::string> reason_names() {
  std::vector<std::string> names;
  for (int code = 0; code < kReasonCount; ++code) names.emplace_back(reason_name(static_cast<Reason>(code)));
  return names;
}

const CriterionColumn& BatchCriteria::column(std::string_view name) const {
  for (const auto& c : columns) {
    if (c.name == name) return c;
  }
  std::string present;
  for (const auto& c : columns) present += (present.empty() ? "" : ", ") + c.name;
  throw Error(fmt::format("criterion '{}' was not computed for this batch (columns: {})", name, present));
}

void BatchCriteria::append(const BatchCriteria& more) {
  if (columns.empty() && rows == 0) {
    *this = more;
    return;
  }
  SALIENT_CHECK(more.columns.size() == columns.size(), "cannot append {} criteria to {}", more.columns.size(),
                columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    SALIENT_CHECK(more.columns[c].name == columns[c].name, "cannot append criterion '{}' to column '{}'",
                  more.columns[c].name, columns[c].name);
    columns[c].values.insert(columns[c].values.end(), more.columns[c].values.begin(), more.columns[c].values.end());
    columns[c].reasons.insert(columns[c].reasons.end(), more.columns[c].reasons.begin(),
                              more.columns[c].reasons.end());
  }
  rows += more.rows;
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

kernels::ExecutionContext context_on(const c10::Device& device) {
  kernels::ExecutionContext ctx;
  // cuda_stream nullptr: the default stream, on which LibTorch computed the inputs.
  ctx.backend = device.is_cuda() ? kernels::Backend::cuda : kernels::Backend::cpu;
  return ctx;
}

/// Every kernel output of a batch in one device buffer: regions are reserved first, the
/// buffer allocated once, written by the kernels, then copied to the host in one transfer.
class ResultArena {
 public:
  template <typename T>
  std::size_t reserve(std::int64_t count) {
    const std::size_t at = size_;
    size_ += (static_cast<std::size_t>(count) * sizeof(T) + kAlignment - 1) / kAlignment * kAlignment;
    return at;
  }
  void allocate(const c10::Device& device) {
    buffer_ = torch::empty({static_cast<std::int64_t>(std::max<std::size_t>(size_, kAlignment))},
                           torch::TensorOptions().dtype(torch::kUInt8).device(device));
  }
  template <typename T>
  T* on_device(std::size_t at) {
    return reinterpret_cast<T*>(buffer_.data_ptr<std::uint8_t>() + at);
  }
  void copy_to_host() { host_ = buffer_.cpu(); }
  template <typename T>
  std::vector<T> on_host(std::size_t at, std::int64_t count) const {
    std::vector<T> values(static_cast<std::size_t>(count));
    std::memcpy(values.data(), host_.data_ptr<std::uint8_t>() + at, values.size() * sizeof(T));
    return values;
  }

 private:
  static constexpr std::size_t kAlignment = 16;
  std::size_t size_ = 0;
  at::Tensor buffer_;
  at::Tensor host_;
};

/// Where one map family's n × columns values and reasons lie in the arena.
struct MapRegion {
  Source source;
  int columns;
  std::size_t values_at = 0;
  std::size_t reasons_at = 0;
};

/// Where one prediction family's results (rows per image × n) lie in the arena.
struct PredictionRegion {
  Source source;
  at::Tensor samples;  ///< rows × K × C' float32, contiguous, in the kernel's layout
  std::int64_t per_image = 1;
  std::size_t at = 0;
};

int columns_of(Source source) {
  switch (source) {
    case Source::first_order: return kernels::first_order::kColumns;
    case Source::glcm: return kernels::glcm::kColumns;
    case Source::shape2d: return kernels::shape2d::kColumns;
    case Source::alignment: return kernels::alignment::kColumns;
    default: return 0;
  }
}

Reason reason_of(kernels::ProbabilityStatus status) {
  switch (status) {
    case kernels::ProbabilityStatus::ok: return Reason::defined;
    case kernels::ProbabilityStatus::invalid_probability: return Reason::invalid_probability;
    case kernels::ProbabilityStatus::invalid_variance: return Reason::invalid_variance;
  }
  return Reason::invalid_probability;
}

double field_value(const kernels::UncertaintyCriteria& r, int field) {
  switch (field) {
    case kEntropy: return r.entropy;
    case kMargin: return r.margin;
    case kLeastConfidence: return r.least_confidence;
    case kMcVariance: return r.mc_variance;
    case kBald: return r.bald;
    default: SALIENT_ASSERT(false);
  }
  return kNaN;
}

double field_value(const kernels::PatchCriteria& r, int field) {
  switch (field) {
    case kAcftEntropy: return r.entropy;
    case kAcftDiversity: return r.diversity;
    case kAcftScore: return r.score;
    default: SALIENT_ASSERT(false);
  }
  return kNaN;
}

/// One column from per-(image, class) results: the mean over an image's @p per_image rows of
/// @p entry's field, derived as @p entry says, NaN with the first invalid row's reason.
template <typename Result>
void fill_prediction_column(const std::vector<Result>& results, const CriterionEntry& entry, std::int64_t per_image,
                            CriterionColumn& column) {
  for (std::size_t i = 0; i < column.values.size(); ++i) {
    double sum = 0.0;
    Reason reason = Reason::defined;
    for (std::int64_t k = 0; k < per_image && reason == Reason::defined; ++k) {
      const Result& r = results[i * static_cast<std::size_t>(per_image) + static_cast<std::size_t>(k)];
      reason = reason_of(r.status);
      sum += field_value(r, entry.column);
    }
    column.values[i] = reason == Reason::defined ? derive(entry, sum / static_cast<double>(per_image)) : kNaN;
    column.reasons[i] = static_cast<std::uint8_t>(reason);
  }
}

/// N×K×C samples in the kernels' layout: float32, contiguous on @p device; with @p per_class
/// (multi-label, C > 1) each class a binary problem, (N·C)×K×1.
at::Tensor kernel_layout(const at::Tensor& samples, bool per_class, const c10::Device& device) {
  auto t = samples.detach().to(device, torch::kFloat32);
  if (per_class) t = t.permute({0, 2, 1}).reshape({-1, samples.size(1), 1});
  return t.contiguous();
}

void check_rows(const at::Tensor& t, const char* what, std::int64_t dims, std::int64_t& n) {
  SALIENT_CHECK(t.defined(), "the requested criteria need {}, which this batch does not have", what);
  SALIENT_CHECK(t.dim() == dims, "{} must have {} dimensions, not {}", what, dims, t.dim());
  if (n < 0) n = t.size(0);
  SALIENT_CHECK(t.size(0) == n, "{} has {} rows for a batch of {}", what, t.size(0), n);
  SALIENT_CHECK(t.numel() == 0 || t.size(dims - 1) >= 1, "{} has no columns", what);
}

}  // namespace

BatchCriteria compute_criteria(const CriteriaInputs& inputs, const CriteriaRequest& request) {
  const CriteriaNeeds needs = needs_of(request);

  // Shapes, the batch size and the device the kernels run on (the maps' when they are used).
  std::int64_t n = -1;
  std::vector<const at::Tensor*> used;
  if (needs.maps) {
    check_rows(inputs.maps, "saliency maps (N×H×W)", 3, n);
    used.push_back(&inputs.maps);
  }
  if (needs.roi) {
    check_rows(inputs.roi, "ROI masks (N×H×W)", 3, n);
    used.push_back(&inputs.roi);
  }
  if (needs.probabilities) {
    check_rows(inputs.probabilities, "probabilities (N×C)", 2, n);
    used.push_back(&inputs.probabilities);
  }
  if (needs.mc_samples) {
    check_rows(inputs.mc_samples, "MC-dropout samples (N×T×C)", 3, n);
    used.push_back(&inputs.mc_samples);
  }
  if (needs.patches) {
    check_rows(inputs.patch_samples, "ACFT view probabilities (N×m×C)", 3, n);
    used.push_back(&inputs.patch_samples);
  }
  const c10::Device device = used.front()->device();
  const kernels::ExecutionContext ctx = context_on(device);

  BatchCriteria out;
  out.rows = n;
  for (const auto& name : request.names) {
    out.columns.push_back({name, std::vector<double>(static_cast<std::size_t>(n), kNaN),
                           std::vector<std::uint8_t>(static_cast<std::size_t>(n), 0)});
  }
  if (n == 0) return out;

  // Inputs in the kernels' layouts, on the kernels' device.
  at::Tensor maps, rois;
  if (needs.maps) maps = inputs.maps.detach().to(device, torch::kFloat32).contiguous();
  if (needs.roi) rois = inputs.roi.detach().to(device).ne(0).to(torch::kUInt8).contiguous();
  const auto per_class = [&](const at::Tensor& samples) {
    return inputs.output == models::OutputKind::multi_label && samples.size(-1) > 1;
  };

  ResultArena arena;
  std::vector<MapRegion> map_regions;
  for (const Source source : {Source::first_order, Source::glcm, Source::shape2d, Source::alignment}) {
    if (!needs.uses(source)) continue;
    MapRegion region{source, columns_of(source)};
    region.values_at = arena.reserve<double>(n * region.columns);
    region.reasons_at = arena.reserve<kernels::FeatureReason>(n * region.columns);
    map_regions.push_back(region);
  }
  std::vector<PredictionRegion> prediction_regions;
  const auto add_prediction = [&](Source source, const at::Tensor& samples) {
    PredictionRegion region{source, kernel_layout(samples, per_class(samples), device)};
    region.per_image = per_class(samples) ? samples.size(-1) : 1;
    region.at = source == Source::patches ? arena.reserve<kernels::PatchCriteria>(region.samples.size(0))
                                          : arena.reserve<kernels::UncertaintyCriteria>(region.samples.size(0));
    prediction_regions.push_back(std::move(region));
  };
  if (needs.probabilities) add_prediction(Source::prediction, inputs.probabilities.unsqueeze(1));
  if (needs.mc_samples) add_prediction(Source::mc_dropout, inputs.mc_samples);
  if (needs.patches) add_prediction(Source::patches, inputs.patch_samples);
  arena.allocate(device);

  // Every kernel family once on the whole batch.
  for (const auto& region : map_regions) {
    auto* values = arena.on_device<double>(region.values_at);
    auto* reasons = arena.on_device<kernels::FeatureReason>(region.reasons_at);
    const kernels::MapBatch batch{maps.data_ptr<float>(), nullptr, n, maps.size(1), maps.size(2)};
    switch (region.source) {
      case Source::first_order: kernels::compute_first_order(batch, request.first_order, values, reasons, ctx); break;
      case Source::glcm: kernels::compute_glcm(batch, request.glcm, values, reasons, ctx); break;
      case Source::shape2d: kernels::compute_shape2d(batch, request.shape2d, values, reasons, ctx); break;
      case Source::alignment: {
        const kernels::AlignmentBatch pairs{maps.data_ptr<float>(), rois.data_ptr<std::uint8_t>(), n, maps.size(1),
                                            maps.size(2), rois.size(1), rois.size(2)};
        kernels::compute_alignment(pairs, request.alignment, values, reasons, ctx);
        break;
      }
      default: SALIENT_ASSERT(false);
    }
  }
  for (const auto& region : prediction_regions) {
    const auto& s = region.samples;
    if (region.source == Source::patches) {
      const kernels::PatchBatch batch{s.data_ptr<float>(), s.size(0), s.size(1), s.size(2)};
      kernels::patch_criteria(batch, request.acft, arena.on_device<kernels::PatchCriteria>(region.at), ctx);
    } else {
      const kernels::SampleBatch batch{s.data_ptr<float>(), nullptr, s.size(0), s.size(1), s.size(2)};
      kernels::uncertainty_criteria(batch, arena.on_device<kernels::UncertaintyCriteria>(region.at), ctx);
    }
  }
  arena.copy_to_host();

  // The requested columns, in the request's order.
  std::vector<std::vector<double>> map_values(map_regions.size());
  std::vector<std::vector<kernels::FeatureReason>> map_reasons(map_regions.size());
  for (std::size_t r = 0; r < map_regions.size(); ++r) {
    map_values[r] = arena.on_host<double>(map_regions[r].values_at, n * map_regions[r].columns);
    map_reasons[r] = arena.on_host<kernels::FeatureReason>(map_regions[r].reasons_at, n * map_regions[r].columns);
  }
  std::vector<std::vector<kernels::UncertaintyCriteria>> uncertainty(prediction_regions.size());
  std::vector<std::vector<kernels::PatchCriteria>> patch(prediction_regions.size());
  for (std::size_t r = 0; r < prediction_regions.size(); ++r) {
    const auto rows = prediction_regions[r].samples.size(0);
    if (prediction_regions[r].source == Source::patches) {
      patch[r] = arena.on_host<kernels::PatchCriteria>(prediction_regions[r].at, rows);
    } else {
      uncertainty[r] = arena.on_host<kernels::UncertaintyCriteria>(prediction_regions[r].at, rows);
    }
  }
  for (auto& column : out.columns) {
    const CriterionEntry& entry = criterion(column.name);
    const auto map = std::find_if(map_regions.begin(), map_regions.end(),
                                  [&](const MapRegion& r) { return r.source == entry.source; });
    if (map != map_regions.end()) {
      const auto r = static_cast<std::size_t>(map - map_regions.begin());
      for (std::size_t i = 0; i < column.values.size(); ++i) {
        const std::size_t at = i * static_cast<std::size_t>(map->columns) + static_cast<std::size_t>(entry.column);
        column.values[i] = derive(entry, map_values[r][at]);
        column.reasons[i] = static_cast<std::uint8_t>(map_reasons[r][at]);
      }
      continue;
    }
    const auto prediction = std::find_if(prediction_regions.begin(), prediction_regions.end(),
                                         [&](const PredictionRegion& r) { return r.source == entry.source; });
    SALIENT_ASSERT(prediction != prediction_regions.end());
    const auto r = static_cast<std::size_t>(prediction - prediction_regions.begin());
    if (entry.source == Source::patches) {
      fill_prediction_column(patch[r], entry, prediction->per_image, column);
    } else {
      fill_prediction_column(uncertainty[r], entry, prediction->per_image, column);
    }
  }
  return out;
}

CriteriaInputs run_model_passes(models::Classifier& model, const at::Tensor& input, const at::Tensor& global_indices,
                                const at::Tensor& maps, const at::Tensor& roi, const at::Tensor& probabilities,
                                const CriteriaRequest& request, const at::Tensor& trunk_output) {
  const CriteriaNeeds needs = needs_of(request);
  CriteriaInputs inputs;
  inputs.maps = maps;
  inputs.roi = roi;
  inputs.probabilities = probabilities;
  inputs.output = model.spec().output;
  const bool runs_model = (needs.probabilities && !probabilities.defined()) || needs.mc_samples || needs.patches;
  if (runs_model) {
    SALIENT_CHECK(input.defined() && input.dim() == 4, "the model input must be N×ch×S×S");
    SALIENT_CHECK(global_indices.defined() && global_indices.numel() == input.size(0),
                  "{} global indices for a batch of {} images", global_indices.defined() ? global_indices.numel() : 0,
                  input.size(0));
  }
  if (needs.probabilities && !probabilities.defined()) {
    model.train(false);
    const torch::NoGradGuard no_grad;
    inputs.probabilities = models::probabilities_from_logits(model.logits(input), model.spec().output);
  }
  if (needs.mc_samples) {
    inputs.mc_samples = models::mc_dropout_probabilities(model, input, global_indices, request.mc_dropout, trunk_output);
  }
  if (needs.patches) {
    inputs.patch_samples = models::patch_probabilities(model, input, global_indices, request.patches);
  }
  return inputs;
}

BatchCriteria compute_batch_criteria(models::Classifier& model, const at::Tensor& input,
                                     const at::Tensor& global_indices, const at::Tensor& maps, const at::Tensor& roi,
                                     const at::Tensor& probabilities, const CriteriaRequest& request) {
  return compute_criteria(run_model_passes(model, input, global_indices, maps, roi, probabilities, request), request);
}

}  // namespace salient::criteria
