// ResNet-18 and ResNet-50 (He et al., "Deep residual learning for image recognition",
// CVPR 2016) as torchvision builds them (ResNet-50 is torchvision's "v1.5": stride on the
// 3×3 convolution), with torchvision's module names: conv1, bn1, layer1…layer4 (blocks
// "0", "1", …, each with conv1, bn1, conv2, bn2[, conv3, bn3][, downsample.0/.1]), fc.
//
// Trunk = layer4's output (after its final ReLU), at S/32: 512 channels for ResNet-18,
// 2048 for ResNet-50. Stages: conv1, bn1, relu, maxpool, layer1, layer2, layer3, layer4.
#pragma once

#include <memory>

#include "engine/models/builtin_network.h"

namespace salient::models {

/// A new ResNet for @p spec (architecture resnet18 or resnet50), initialised as torchvision
/// does (Kaiming-normal fan-out convolutions, batch norm 1/0, PyTorch's default Linear)
/// from the global torch generator.
std::shared_ptr<BuiltinNetwork> make_resnet(const ModelSpec& spec);

}  // namespace salient::models
