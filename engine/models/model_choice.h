// The one way every command opens a model (`--model`, `--weights`): a built-in architecture
// by name, with seeded random weights or a torch.save state_dict; or a salient checkpoint or
// TorchScript file, which carries its own weights.
#pragma once

#include <c10/core/Device.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/models/classifier.h"

namespace salient::models {

struct ModelChoice {
  std::string model = "small-cnn";  ///< small-cnn, resnet18, resnet50, densenet121, or a file
  std::string weights;              ///< with a built-in architecture: a state_dict file; "" for random
  std::int64_t input_size = 320;    ///< of a built-in architecture or a TorchScript file
  bool wildcat = false;             ///< a built-in architecture with a WILDCAT head
  std::uint64_t seed = 0;           ///< of random weights
  double trunk_dropout = 0.0;       ///< dropout inside a built-in trunk (MC dropout throughout)
};

/// True when @p name is a built-in architecture.
bool is_builtin_architecture(const std::string& name);

/// The chosen model on @p device in eval mode, for a pool labelled @p label_names: a built-in
/// architecture gets one output per label; a file keeps its own (a warning when their number
/// differs). Throws salient::Error for weights given with a file, an unknown name that is no
/// file, and a file whose outputs are named (imported weights) otherwise than the labels.
std::unique_ptr<Classifier> open_model(const ModelChoice& choice, const std::vector<std::string>& label_names,
                                       const c10::Device& device);

/// One line naming the model for logs and reports.
std::string describe_model(const ModelChoice& choice);

}  // namespace salient::models
