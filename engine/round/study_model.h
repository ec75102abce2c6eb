// The model a study scores with, from its [model] keys (models::ModelChoice: a built-in
// architecture by name with seeded random weights or a torch.save state_dict, a salient
// checkpoint or a TorchScript file).
#pragma once

#include <c10/core/Device.h>

#include <memory>

#include "engine/models/classifier.h"
#include "engine/models/model_choice.h"
#include "engine/round/study_config.h"
#include "salient/io/pool_manifest.h"

namespace salient::round {

/// The study's [model] keys as a model choice (MC dropout throughout sets the trunk's dropout).
models::ModelChoice model_choice_of(const StudyConfig& config);

/// The study's model on @p device in eval mode, with one class per label of @p manifest for
/// a built-in architecture. A file model keeps its own classes (a warning when they differ
/// from the pool's labels).
std::unique_ptr<models::Classifier> open_study_model(const StudyConfig& config, const io::PoolManifest& manifest,
                                                     const c10::Device& device);

/// One line naming the model for logs and reports.
std::string describe_study_model(const StudyConfig& config);

}  // namespace salient::round
