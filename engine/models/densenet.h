// DenseNet-121 (Huang et al., "Densely connected convolutional networks", CVPR 2017) as
// torchvision builds it: growth rate 32, blocks of 6/12/24/16 layers, bottleneck width
// 4·32, 64 initial features, drop_rate = spec.trunk_dropout after each dense layer, and
// torchvision's module names (features.conv0 … features.norm5, classifier).
//
// Trunk = features then ReLU (torchvision's forward applies F.relu to features before
// pooling): the 1024-channel map Grad-CAM uses, at S/32. Stages: conv0, norm0, relu0,
// pool0, denseblock1, transition1, …, denseblock4, norm5, relu5 (the trunk's output).
#pragma once

#include <memory>

#include "engine/models/builtin_network.h"

namespace salient::models {

/// A new DenseNet-121 for @p spec, initialised as torchvision does (Kaiming-normal
/// convolutions, batch norm 1/0, classifier bias 0) from the global torch generator.
std::shared_ptr<BuiltinNetwork> make_densenet121(const ModelSpec& spec);

}  // namespace salient::models
