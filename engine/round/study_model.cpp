#include "engine/round/study_model.h"

namespace salient::round {

models::ModelChoice model_choice_of(const StudyConfig& config) {
  models::ModelChoice choice;
  choice.model = config.model.model;
  choice.weights = config.model.weights;
  choice.input_size = config.model.input_size;
  choice.wildcat = config.model.wildcat;
  choice.seed = config.scoring.seed;
  // Full-network MC dropout samples DenseNet-121's own dropout (IDEAL): the trunk needs a rate.
  const auto& mc_dropout = config.scoring.parameters.mc_dropout;
  if (mc_dropout.placement == models::DropoutPlacement::throughout) choice.trunk_dropout = mc_dropout.rate;
  return choice;
}

std::unique_ptr<models::Classifier> open_study_model(const StudyConfig& config, const io::PoolManifest& manifest,
                                                     const c10::Device& device) {
  return models::open_model(model_choice_of(config), manifest.label_names, device);
}

std::string describe_study_model(const StudyConfig& config) { return models::describe_model(model_choice_of(config)); }

}  // namespace salient::round
