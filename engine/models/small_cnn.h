// salient's small CNN, for tests and the CPU demo: four conv3×3 (no bias) – BN – ReLU
// blocks of 16, 32, 64 and 128 channels, 2×2 max pooling after the first three, then the
// shared head; ~98k parameters in the trunk, fast at 32–128 px. Module names: block1.conv,
// block1.norm, …, block4.norm, classifier (tests/engine/reference/reference_models.py
// builds the same network in PyTorch).
//
// Trunk = block4's output (after ReLU), 128 channels at S/8. Stages: block1 … block4.
#pragma once

#include <memory>

#include "engine/models/builtin_network.h"

namespace salient::models {

/// A new small CNN for @p spec, initialised like torchvision's ResNet (Kaiming-normal
/// fan-out convolutions, batch norm 1/0), classifier bias 0, from the global torch generator.
std::shared_ptr<BuiltinNetwork> make_small_cnn(const ModelSpec& spec);

}  // namespace salient::models
