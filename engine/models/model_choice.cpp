#include "engine/models/model_choice.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "engine/models/builtin_classifier.h"
#include "engine/models/model_factory.h"
#include "engine/models/torchvision_weights.h"
#include "salient/check.h"

namespace salient::models {

bool is_builtin_architecture(const std::string& name) { return find_builtin_architecture(name).has_value(); }

std::unique_ptr<Classifier> open_model(const ModelChoice& choice, std::int64_t classes, const c10::Device& device) {
  ModelSpec spec;
  spec.classes = classes;
  spec.input_size = choice.input_size;
  if (!is_builtin_architecture(choice.model)) {
    SALIENT_CHECK(choice.weights.empty(), "weights '{}' apply to a built-in architecture, not to the file '{}'",
                  choice.weights, choice.model);
    auto model = load_classifier(choice.model, device, spec);
    if (model->spec().classes != classes) {
      spdlog::warn("model '{}' has {} classes and the pool {} labels", choice.model, model->spec().classes, classes);
    }
    return model;
  }
  spec.architecture = parse_architecture(choice.model);
  spec.wildcat.enabled = choice.wildcat;
  spec.trunk_dropout = choice.trunk_dropout;
  auto model = make_classifier(spec, choice.seed);
  if (!choice.weights.empty()) {
    auto& builtin = dynamic_cast<BuiltinClassifier&>(*model);
    load_state_dict_file(builtin.network(), choice.weights);
  }
  model->to(device);
  return model;
}

std::string describe_model(const ModelChoice& choice) {
  if (!is_builtin_architecture(choice.model)) return choice.model;
  const std::string head = choice.wildcat ? " with a WILDCAT head" : "";
  if (choice.weights.empty()) return fmt::format("{}{} (random weights, seed {})", choice.model, head, choice.seed);
  return fmt::format("{}{} (weights {})", choice.model, head, choice.weights);
}

}  // namespace salient::models
