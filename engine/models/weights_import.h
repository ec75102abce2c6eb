// `salient import-weights`: a salient checkpoint (checkpoint.h) from the weights users
// already have, a torch.save state_dict of torchvision's DenseNet-121, ResNet-18 or
// ResNet-50, or of torchxrayvision's DenseNet-121 (xrv.models.DenseNet). The checkpoint
// records the input convention the weights were trained with, so that scoring and
// fine-tuning prepare images the way they expect:
//   torchvision      grey images on the RGB model (its first convolution summed over RGB,
//                    torchvision_weights.h), ImageNet's statistics averaged over RGB;
//   torchxrayvision  one channel, (2u − 1)·1024 for intensity u ∈ [0, 1] (xrv.utils.normalize),
//                    224 px, 18 outputs named by xrv.datasets.default_pathologies.
// Its operating-point calibration (op_threshs) is not applied: salient works with logits.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/models/builtin_classifier.h"
#include "engine/models/model_spec.h"

namespace salient::models {

enum class WeightsSource { torchvision, torchxrayvision };

WeightsSource parse_weights_source(const std::string& name);

/// torchxrayvision's 18 output names, in output order.
const std::vector<std::string>& torchxrayvision_labels();

struct WeightsImport {
  WeightsSource source = WeightsSource::torchvision;
  std::string path;  ///< the state_dict
  Architecture architecture = Architecture::densenet121;
  /// Outputs to keep, in this order, by name (torchxrayvision's) or by position ("0", "17");
  /// empty: every output.
  std::vector<std::string> labels;
  std::int64_t input_size = 224;
};

/// The imported model, on the CPU in eval mode. Throws salient::Error naming the file and
/// the key when the state_dict does not fit the architecture, and naming the outputs there
/// are when a label is not one of them.
std::unique_ptr<BuiltinClassifier> import_weights(const WeightsImport& request);

}  // namespace salient::models
