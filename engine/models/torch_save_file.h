// Tensors from a file written by torch.save (PyTorch ≥ 1.6's zip format): a dict or
// OrderedDict of tensors, as torch.save(model.state_dict(), path) writes it.
//
// LibTorch's own torch::pickle_load cannot read these: its unpickler turns every
// collections.OrderedDict into None, state_dict()'s type included. This reader runs the
// subset of Python's pickle protocol (≤ 4) that such files use, rebuilds tensors from the
// archive's storages (torch._utils._rebuild_tensor_v2 / _rebuild_parameter) and ignores
// everything else (the state_dict's _metadata, backward hooks).
#pragma once

#include <ATen/core/Tensor.h>

#include <map>
#include <string>

namespace salient::models {

/// The top-level dict's string-keyed tensors, on the CPU. Throws salient::Error naming
/// @p path when it is missing, not a zip written by torch.save, uses a pickle opcode or
/// storage type outside that subset, or does not hold a dict.
std::map<std::string, at::Tensor> read_torch_save_tensors(const std::string& path);

}  // namespace salient::models
