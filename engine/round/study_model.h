// The model a study scores with: a built-in architecture by name (seeded random weights,
// or a torch.save state_dict given as weights), a salient checkpoint or a TorchScript file.
#pragma once

#include <c10/core/Device.h>

#include <memory>

#include "engine/models/classifier.h"
#include "engine/round/study_config.h"
#include "salient/io/pool_manifest.h"

namespace salient::round {

/// True when @p name is a built-in architecture (small-cnn, resnet18, resnet50, densenet121).
bool is_builtin_architecture(const std::string& name);

/// The study's model on @p device in eval mode, with one class per label of @p manifest for
/// a built-in architecture. A file model keeps its own classes (a warning when they differ
/// from the pool's labels).
std::unique_ptr<models::Classifier> open_study_model(const StudyConfig& config, const io::PoolManifest& manifest,
                                                     const c10::Device& device);

/// One line naming the model for logs and reports.
std::string describe_study_model(const StudyConfig& config);

}  // namespace salient::round
