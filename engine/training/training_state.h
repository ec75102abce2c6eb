// What a fine-tuning step saves after every epoch so that a killed job resumes where it
// stopped and ends with the same weights as an uninterrupted one: the network's parameters
// and buffers, Adam's moments and step counts, the epochs done, and a fingerprint of what
// is being trained (labels, options), which a resumed step must match. One LibTorch
// archive, written atomically by rank 0, entries
//   salient_format  "salient-training-state-1"
//   fingerprint     text
//   epochs_done     int
//   network         BuiltinNetwork::save
//   optimizer       torch::optim::Adam::save
#pragma once

#include <torch/optim/adam.h>

#include <cstdint>
#include <string>

#include "engine/models/builtin_classifier.h"

namespace salient::training {

void save_training_state(const std::string& path, models::BuiltinClassifier& model, torch::optim::Adam& optimizer,
                         std::int64_t epochs_done, const std::string& fingerprint);

/// Restores @p model and @p optimizer from @p path and returns the epochs done. Throws
/// salient::Error naming the file when it is not a training state, or when its fingerprint
/// is not @p fingerprint (the labels or options changed since it was written).
std::int64_t load_training_state(const std::string& path, models::BuiltinClassifier& model,
                                 torch::optim::Adam& optimizer, const std::string& fingerprint);

}  // namespace salient::training
