// Weights from PyTorch: a state_dict saved with torch.save(model.state_dict(), path) from
// torchvision's densenet121, resnet18 or resnet50 (or from reference_models.SmallCnn),
// loaded into the built-in network of the same architecture by parameter name (the file is
// read by torch_save_file.h: LibTorch's pickle_load cannot read an OrderedDict).
//
// Grayscale convention: where the network's first convolution has 1 input channel and the
// file's has 3 (torchvision's RGB models), the file's kernel is summed over RGB. The
// 1-channel network fed a grey image x then computes exactly what the RGB model computes on
// (x, x, x): conv(W_R, x) + conv(W_G, x) + conv(W_B, x) = conv(W_R + W_G + W_B, x). The
// grey image must be normalised as each RGB channel would be (one mean and std for all).
//
// Keys use torchvision's current names (denselayer1.norm1, not the legacy "norm.1" of the
// original DenseNet downloads, which torchvision renames when it loads them).
#pragma once

#include <ATen/core/Tensor.h>

#include <map>
#include <string>

#include "engine/models/builtin_network.h"

namespace salient::models {

enum class HeadWeights {
  load,  ///< the file's classifier/fc must match the spec's classes
  keep,  ///< keep the network's own head (fine-tuning an ImageNet trunk for other classes)
};

/// Copies every parameter and buffer of @p network from the state_dict at @p path. Entries
/// of the file the network does not have are ignored. Throws salient::Error naming the file
/// and the key when a tensor is missing or its shape differs (both shapes given).
void load_state_dict_file(BuiltinNetwork& network, const std::string& path, HeadWeights head = HeadWeights::load);

/// As load_state_dict_file, from tensors already read; @p where names their source in errors.
void load_state_dict(BuiltinNetwork& network, const std::map<std::string, at::Tensor>& tensors,
                     const std::string& where, HeadWeights head = HeadWeights::load);

}  // namespace salient::models
