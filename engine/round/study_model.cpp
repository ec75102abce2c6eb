#include "engine/round/study_model.h"

#include <spdlog/spdlog.h>

#include "engine/models/builtin_classifier.h"
#include "engine/models/model_factory.h"
#include "engine/models/torchvision_weights.h"

namespace salient::round {

bool is_builtin_architecture(const std::string& name) { return models::find_builtin_architecture(name).has_value(); }

std::unique_ptr<models::Classifier> open_study_model(const StudyConfig& config, const io::PoolManifest& manifest,
                                                     const c10::Device& device) {
  models::ModelSpec spec;
  spec.classes = static_cast<std::int64_t>(manifest.label_names.size());
  spec.input_size = config.input_size;
  if (!is_builtin_architecture(config.model)) {
    SALIENT_CHECK(config.weights.empty(), "model.weights '{}' applies to a built-in architecture, not to the file '{}'",
                  config.weights, config.model);
    auto model = models::load_classifier(config.model, device, spec);
    if (model->spec().classes != spec.classes) {
      spdlog::warn("model '{}' has {} classes and the pool {} labels", config.model, model->spec().classes,
                   spec.classes);
    }
    return model;
  }
  spec.architecture = models::parse_architecture(config.model);
  spec.wildcat.enabled = config.wildcat;
  // Full-network MC dropout samples DenseNet-121's own dropout (IDEAL): the trunk needs a rate.
  if (config.mc_dropout_placement == "throughout") spec.trunk_dropout = config.mc_dropout_rate;
  auto model = models::make_classifier(spec, config.seed);
  if (!config.weights.empty()) {
    auto& builtin = dynamic_cast<models::BuiltinClassifier&>(*model);
    models::load_state_dict_file(builtin.network(), config.weights);
  }
  model->to(device);
  return model;
}

std::string describe_study_model(const StudyConfig& config) {
  if (!is_builtin_architecture(config.model)) return config.model;
  const std::string head = config.wildcat ? " with a WILDCAT head" : "";
  if (config.weights.empty()) return fmt::format("{}{} (random weights, seed {})", config.model, head, config.seed);
  return fmt::format("{}{} (weights {})", config.model, head, config.weights);
}

}  // namespace salient::round
