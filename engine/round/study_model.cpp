#include "engine/round/study_model.h"

namespace salient::round {

models::ModelChoice model_choice_of(const StudyConfig& config) {
  models::ModelChoice choice;
  choice.model = config.model;
  choice.weights = config.weights;
  choice.input_size = config.input_size;
  choice.wildcat = config.wildcat;
  choice.seed = config.seed;
  // Full-network MC dropout samples DenseNet-121's own dropout (IDEAL): the trunk needs a rate.
  if (config.mc_dropout_placement == "throughout") choice.trunk_dropout = config.mc_dropout_rate;
  return choice;
}

std::unique_ptr<models::Classifier> open_study_model(const StudyConfig& config, const io::PoolManifest& manifest,
                                                     const c10::Device& device) {
  return models::open_model(model_choice_of(config), static_cast<std::int64_t>(manifest.label_names.size()), device);
}

std::string describe_study_model(const StudyConfig& config) { return models::describe_model(model_choice_of(config)); }

}  // namespace salient::round
