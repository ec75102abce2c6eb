#include "engine/models/weights_import.h"

#include <torch/torch.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>

#include "engine/models/model_factory.h"
#include "engine/models/torch_save_file.h"
#include "engine/models/torchvision_weights.h"
#include "salient/check.h"

namespace salient::models {
namespace {

// xrv.utils.normalize: (2u − 1)·1024 = (u − 0.5) / (1/2048).
constexpr InputNormalisation kTorchxrayvisionNormalisation{0.5, 1.0 / 2048.0};

std::string head_of(Architecture architecture) {
  return architecture == Architecture::densenet121 ? "classifier" : "fc";
}

// The outputs the file's head has: torchxrayvision's by name, others by position.
std::vector<std::string> output_names(WeightsSource source, std::int64_t classes) {
  const auto& named = torchxrayvision_labels();
  if (source == WeightsSource::torchxrayvision && classes == static_cast<std::int64_t>(named.size())) return named;
  std::vector<std::string> names;
  for (std::int64_t c = 0; c < classes; ++c) names.push_back(std::to_string(c));
  return names;
}

}  // namespace

WeightsSource parse_weights_source(const std::string& name) {
  if (name == "torchvision") return WeightsSource::torchvision;
  if (name == "torchxrayvision") return WeightsSource::torchxrayvision;
  throw Error(fmt::format("unknown weights source '{}' (expected torchvision or torchxrayvision)", name));
}

const std::vector<std::string>& torchxrayvision_labels() {
  static const std::vector<std::string> labels = {
      "Atelectasis", "Consolidation", "Infiltration", "Pneumothorax", "Edema", "Emphysema",
      "Fibrosis", "Effusion", "Pneumonia", "Pleural_Thickening", "Cardiomegaly", "Nodule",
      "Mass", "Hernia", "Lung Lesion", "Fracture", "Lung Opacity", "Enlarged Cardiomediastinum"};
  return labels;
}

std::unique_ptr<BuiltinClassifier> import_weights(const WeightsImport& request) {
  SALIENT_CHECK(request.source != WeightsSource::torchxrayvision || request.architecture == Architecture::densenet121,
                "'{}': torchxrayvision's weights import as densenet121 (xrv.models.DenseNet), not {}", request.path,
                architecture_name(request.architecture));
  SALIENT_CHECK(request.architecture != Architecture::small_cnn && request.architecture != Architecture::torchscript,
                "import-weights takes densenet121, resnet18 or resnet50, not {}",
                architecture_name(request.architecture));
  auto tensors = read_torch_save_tensors(request.path);
  const std::string head = head_of(request.architecture);
  const auto weight = tensors.find(head + ".weight"), bias = tensors.find(head + ".bias");
  SALIENT_CHECK(weight != tensors.end() && bias != tensors.end() && weight->second.dim() == 2,
                "'{}' has no '{}.weight' and '{}.bias' of a linear head: not a {} state_dict", request.path, head, head,
                architecture_name(request.architecture));
  const std::vector<std::string> names = output_names(request.source, weight->second.size(0));

  ModelSpec spec;
  spec.architecture = request.architecture;
  spec.in_channels = 1;
  spec.input_size = request.input_size;
  if (request.source == WeightsSource::torchxrayvision) spec.normalisation = kTorchxrayvisionNormalisation;
  std::vector<std::int64_t> rows;
  for (const std::string& label : request.labels) {
    const auto found = std::find(names.begin(), names.end(), label);
    SALIENT_CHECK(found != names.end(), "'{}': no output is called '{}' (its outputs: {})", request.path, label,
                  fmt::join(names, ", "));
    rows.push_back(found - names.begin());
  }
  if (request.labels.empty()) {
    for (std::size_t c = 0; c < names.size(); ++c) rows.push_back(static_cast<std::int64_t>(c));
  }
  if (!request.labels.empty() || request.source == WeightsSource::torchxrayvision) {
    for (const std::int64_t row : rows) spec.labels.push_back(names[static_cast<std::size_t>(row)]);
  }
  spec.classes = static_cast<std::int64_t>(rows.size());
  const auto kept = torch::tensor(rows);
  weight->second = weight->second.index_select(0, kept);
  bias->second = bias->second.index_select(0, kept);
  check_input_size(spec);

  auto network = make_network(spec);
  load_state_dict(*network, tensors, "'" + request.path + "'");
  network->eval();
  return std::make_unique<BuiltinClassifier>(network);
}

}  // namespace salient::models
