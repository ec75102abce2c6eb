#include "engine/models/model_choice.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "engine/models/builtin_classifier.h"
#include "engine/models/model_factory.h"
#include "engine/models/torchvision_weights.h"
#include "salient/check.h"

namespace salient::models {

bool is_builtin_architecture(const std::string& name) { return find_builtin_architecture(name).has_value(); }

std::unique_ptr<Classifier> open_model(const ModelChoice& choice, const std::vector<std::string>& label_names,
                                       const c10::Device& device) {
  const auto classes = static_cast<std::int64_t>(label_names.size());
  ModelSpec spec;
  spec.classes = classes;
  spec.input_size = choice.input_size;
  if (!is_builtin_architecture(choice.model)) {
    SALIENT_CHECK(choice.weights.empty(), "weights '{}' apply to a built-in architecture, not to the file '{}'",
                  choice.weights, choice.model);
    auto model = load_classifier(choice.model, device, spec);
    const std::vector<std::string>& outputs = model->spec().labels;
    SALIENT_CHECK(outputs.empty() || outputs == label_names,
                  "model '{}' predicts {} and the pool is labelled {}: import its weights with --labels naming the "
                  "pool's labels in order", choice.model, fmt::join(outputs, ", "), fmt::join(label_names, ", "));
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
