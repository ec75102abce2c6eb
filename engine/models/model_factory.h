// Building and loading classifiers: a new built-in model from its spec, or a model from a
// file (a salient checkpoint or a TorchScript module).
#pragma once

#include <c10/core/Device.h>

#include <cstdint>
#include <memory>
#include <string>

#include "engine/models/builtin_network.h"
#include "engine/models/classifier.h"

namespace salient::models {

/// A built-in network for @p spec, initialised from the global torch generator as it stands.
std::shared_ptr<BuiltinNetwork> make_network(const ModelSpec& spec);

/// A new built-in classifier for @p spec (any architecture but torchscript), on the CPU, in
/// eval mode, randomly initialised with torchvision's conventions. Calls
/// torch::manual_seed(@p seed) first and leaves the global generator where construction
/// left it (the generator is process-wide: builds in parallel threads are not repeatable).
/// The same spec and seed give bit-identical weights.
std::unique_ptr<Classifier> make_classifier(const ModelSpec& spec, std::uint64_t seed);

/// Loads the salient checkpoint (checkpoint.h) or, failing that, the TorchScript module at
/// @p path, in eval mode on @p device. @p torchscript_hint describes a TorchScript module's
/// classes, output and input (see torchscript_classifier.h); checkpoints carry their own spec.
std::unique_ptr<Classifier> load_classifier(const std::string& path, const c10::Device& device,
                                            const ModelSpec& torchscript_hint = {});

}  // namespace salient::models
