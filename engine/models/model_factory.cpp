#include "engine/models/model_factory.h"

#include <torch/torch.h>

#include "engine/models/builtin_classifier.h"
#include "engine/models/checkpoint.h"
#include "engine/models/densenet.h"
#include "engine/models/resnet.h"
#include "engine/models/small_cnn.h"
#include "engine/models/torchscript_classifier.h"
#include "salient/check.h"

namespace salient::models {

std::shared_ptr<BuiltinNetwork> make_network(const ModelSpec& spec) {
  switch (spec.architecture) {
    case Architecture::densenet121:
      return make_densenet121(spec);
    case Architecture::resnet18:
    case Architecture::resnet50:
      return make_resnet(spec);
    case Architecture::small_cnn:
      return make_small_cnn(spec);
    case Architecture::torchscript:
      break;
  }
  throw Error("a TorchScript model is loaded from its file (load_classifier), not built from a spec");
}

std::unique_ptr<Classifier> make_classifier(const ModelSpec& spec, std::uint64_t seed) {
  check_input_size(spec);
  torch::manual_seed(seed);
  auto network = make_network(spec);
  network->eval();
  return std::make_unique<BuiltinClassifier>(std::move(network));
}

std::unique_ptr<Classifier> load_classifier(const std::string& path, const c10::Device& device,
                                            const ModelSpec& torchscript_hint) {
  std::unique_ptr<Classifier> classifier = load_checkpoint_if_salient(path);
  if (!classifier) classifier = load_torchscript_classifier(path, torchscript_hint);
  classifier->to(device);
  classifier->train(false);
  return classifier;
}

}  // namespace salient::models
