// salient checkpoints (rounds/R/model.pt): a built-in model's parameters and buffers by
// name plus its spec as JSON, so that the file alone rebuilds the model. The file is a
// LibTorch archive (torch::serialize, a zip) with the entries
//   salient_format  "salient-checkpoint-1"
//   salient_spec    spec_to_json(spec)
//   network         the network's parameters and buffers (torch::nn::Module::save)
// written atomically (salient/io/atomic_file.h). Loading restores them bit for bit.
#pragma once

#include <memory>
#include <string>

#include "engine/models/builtin_classifier.h"
#include "engine/models/classifier.h"

namespace salient::models {

/// Writes @p model to @p path atomically. Throws salient::Error for a model salient did not
/// build (TorchScript) or a write that fails.
void save_checkpoint(Classifier& model, const std::string& path);

/// The model stored at @p path, on the CPU in eval mode. Throws salient::Error naming
/// @p path when it is missing, unreadable, not a salient checkpoint, or holds a tensor
/// missing or of the wrong shape for its spec.
std::unique_ptr<BuiltinClassifier> load_checkpoint(const std::string& path);

/// As load_checkpoint, but nullptr when @p path is a LibTorch archive without salient's
/// entries: a TorchScript module.
std::unique_ptr<BuiltinClassifier> load_checkpoint_if_salient(const std::string& path);

}  // namespace salient::models
