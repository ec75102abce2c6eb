#include "engine/criteria/batch_criteria.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "salient/check.h"

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
  SALIENT_CHECK(more.embedding_dim == embedding_dim, "cannot append embeddings of dimension {} to {}",
                more.embedding_dim, embedding_dim);
  embeddings.insert(embeddings.end(), more.embeddings.begin(), more.embeddings.end());
  SALIENT_CHECK(more.classes == classes, "cannot append probabilities of {} classes to {}", more.classes, classes);
  probabilities.insert(probabilities.end(), more.probabilities.begin(), more.probabilities.end());
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

/// Where one family's results lie in the arena, and how its kernel rows map to images.
struct FamilyRegion {
  const CriterionFamily* family;
  FamilyBatch batch;
  at::Tensor samples;  ///< prediction families: the samples in the kernel's layout (kept alive)
  std::int64_t rows = 0;
  std::int64_t per_image = 1;  ///< kernel rows per image: C for multi-label prediction, else 1
  std::size_t at = 0;
  std::vector<std::uint8_t> host;  ///< the results, copied to the host
};

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
  std::vector<FamilyRegion> regions;
  const auto& families = criterion_families();
  for (std::size_t f = 0; f < families.size(); ++f) {
    if (!needs.families[f]) continue;
    FamilyRegion region;
    region.family = &families[f];
    if (reads_maps(families[f].input)) {
      region.batch.maps = {maps.data_ptr<float>(), nullptr, n, maps.size(1), maps.size(2)};
      if (families[f].input == FamilyInput::maps_and_roi) {
        region.batch.roi = rois.data_ptr<std::uint8_t>();
        region.batch.roi_h = rois.size(1);
        region.batch.roi_w = rois.size(2);
      }
    } else {
      const at::Tensor& samples = families[f].input == FamilyInput::probabilities ? inputs.probabilities.unsqueeze(1)
                                  : families[f].input == FamilyInput::mc_samples  ? inputs.mc_samples
                                                                                  : inputs.patch_samples;
      region.samples = kernel_layout(samples, per_class(samples), device);
      region.per_image = per_class(samples) ? samples.size(-1) : 1;
      region.batch.samples = region.samples.data_ptr<float>();
      region.batch.sample_rows = region.samples.size(0);
      region.batch.samples_per_row = region.samples.size(1);
      region.batch.classes = region.samples.size(2);
    }
    region.rows = region.batch.rows(families[f].input);
    region.at = arena.reserve<std::uint8_t>(static_cast<std::int64_t>(families[f].result_bytes(region.rows)));
    regions.push_back(std::move(region));
  }
  arena.allocate(device);

  // Every family once on the whole batch, then its results to the host in one copy.
  for (auto& region : regions) {
    region.family->run(region.batch, request, arena.on_device<std::uint8_t>(region.at), ctx);
  }
  arena.copy_to_host();
  for (auto& region : regions) {
    region.host = arena.on_host<std::uint8_t>(region.at,
                                              static_cast<std::int64_t>(region.family->result_bytes(region.rows)));
  }

  // The requested columns, in the request's order: a criterion of an image is the mean of its
  // output over the image's kernel rows, NaN with the first undefined row's reason.
  for (auto& column : out.columns) {
    const CriterionEntry& entry = criterion(column.name);
    const auto region = std::find_if(regions.begin(), regions.end(),
                                     [&](const FamilyRegion& r) { return r.family == &family_of(entry); });
    SALIENT_ASSERT(region != regions.end());
    for (std::int64_t i = 0; i < n; ++i) {
      double sum = 0.0;
      Reason reason = Reason::defined;
      for (std::int64_t k = 0; k < region->per_image && reason == Reason::defined; ++k) {
        const FamilyValue output =
            region->family->read(region->host.data(), region->rows, i * region->per_image + k, entry.output);
        reason = output.reason;
        sum += output.value;
      }
      column.values[static_cast<std::size_t>(i)] =
          reason == Reason::defined ? derive(entry, sum / static_cast<double>(region->per_image)) : kNaN;
      column.reasons[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(reason);
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

std::vector<float> embedding_rows(const at::Tensor& trunk_output) {
  SALIENT_CHECK(trunk_output.dim() == 4, "embeddings need the trunk's N×K×h×w output, got {} dimensions",
                trunk_output.dim());
  const auto pooled = trunk_output.detach().to(torch::kFloat32).mean({2, 3}).contiguous().cpu();
  const float* data = pooled.data_ptr<float>();
  return {data, data + pooled.numel()};
}

}  // namespace salient::criteria
