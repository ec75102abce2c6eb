// What a classifier is: its architecture, classes, output kind, input and dropout. Stored
// in every salient checkpoint, so a checkpoint alone rebuilds its model.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace salient::models {

enum class Architecture { densenet121, resnet18, resnet50, small_cnn, torchscript };

/// multi_label: one sigmoid per class (the chest X-ray findings); multi_class: one softmax.
enum class OutputKind { multi_label, multi_class };

/// The WILDCAT head (Durand et al. 2017, as used by Aggarwal et al.): a 1×1 convolution to
/// maps_per_class maps per class, their class-wise average, then per class the mean of the
/// k_max highest plus alpha × the mean of the k_min lowest positions.
struct WildcatOptions {
  bool enabled = false;
  std::int64_t maps_per_class = 4;
  std::int64_t k_max = 1;
  std::int64_t k_min = 1;
  double alpha = 0.7;
};

/// How a pixel of intensity u ∈ [0, 1] enters the model: (u − mean) / std on every input
/// channel. The default is ImageNet's RGB statistics averaged over the channels (0.485,
/// 0.456, 0.406 → 0.449; 0.229, 0.224, 0.225 → 0.226), so that weights pretrained on
/// ImageNet and summed over RGB see the statistics they were trained with; torchxrayvision's
/// models take (2u − 1)·1024, i.e. mean 0.5 and std 1/2048.
struct InputNormalisation {
  double mean = 0.449;
  double std = 0.226;
  bool operator==(const InputNormalisation& other) const { return mean == other.mean && std == other.std; }
  /// The model-input value of intensity @p unit (0 = black, 1 = white).
  double of(double unit) const { return (unit - mean) / std; }
};

struct ModelSpec {
  Architecture architecture = Architecture::densenet121;
  std::int64_t classes = 1;
  OutputKind output = OutputKind::multi_label;
  std::int64_t in_channels = 1;
  std::int64_t input_size = 320;  ///< images are resized to input_size × input_size
  InputNormalisation normalisation;
  /// What each output means, when the weights say (imported ones do); empty: by position.
  std::vector<std::string> labels;
  double head_dropout = 0.0;      ///< on the trunk's channels, before the head (MC dropout)
  double trunk_dropout = 0.0;     ///< inside the trunk (DenseNet's drop_rate), as IDEAL does
  WildcatOptions wildcat;
};

std::string architecture_name(Architecture architecture);
/// Parses "densenet121", "resnet18", "resnet50", "small-cnn"; throws salient::Error otherwise.
Architecture parse_architecture(const std::string& name);

/// The built-in architecture called @p name (not "torchscript"), or nothing (a model file).
std::optional<Architecture> find_builtin_architecture(const std::string& name);

/// The smallest input side a built-in architecture takes: its strided and pooling stages
/// must leave at least one pixel. small-cnn: three 2×2 max pools, 8. DenseNet-121: the 7×7
/// stride-2 convolution (padding 3), the 3×3 stride-2 max pool (padding 1) and three 2×2
/// average pools in the transitions need ⌊(S − 1)/2⌋ + 1 ≥ 15, so 29. ResNets pad every
/// stage and end in an adaptive pool: 1. TorchScript models: 1 (unknown here).
std::int64_t smallest_input_size(Architecture architecture);

/// Throws salient::Error, naming the architecture and its smallest side, when @p spec's
/// input size is below smallest_input_size.
void check_input_size(const ModelSpec& spec);
std::string output_kind_name(OutputKind kind);
OutputKind parse_output_kind(const std::string& name);

/// The spec as JSON text and back (the checkpoint's "spec" entry).
std::string spec_to_json(const ModelSpec& spec);
ModelSpec spec_from_json(const std::string& text, const std::string& where);

}  // namespace salient::models
