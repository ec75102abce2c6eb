#include "engine/models/torchvision_weights.h"

#include <torch/torch.h>

#include <fmt/ranges.h>

#include <map>
#include <vector>

#include "engine/models/torch_save_file.h"
#include "salient/check.h"

namespace salient::models {
namespace {

/// The grayscale convention: a 3-channel first convolution summed over RGB.
bool is_rgb_kernel_for_grey(const at::Tensor& stored, const at::Tensor& target) {
  return stored.dim() == 4 && target.dim() == 4 && stored.size(1) == 3 && target.size(1) == 1 &&
         stored.size(0) == target.size(0) && stored.size(2) == target.size(2) && stored.size(3) == target.size(3);
}

void copy_entry(const std::string& path, const std::string& key, const std::map<std::string, at::Tensor>& stored,
                at::Tensor& target) {
  const auto found = stored.find(key);
  SALIENT_CHECK(found != stored.end(), "{}: the state_dict has no '{}' (shape [{}])", path, key,
                fmt::join(target.sizes(), ", "));
  auto value = found->second;
  if (is_rgb_kernel_for_grey(value, target)) value = value.sum(1, /*keepdim=*/true);
  SALIENT_CHECK(value.sizes() == target.sizes(), "{}: '{}' has shape [{}] in the file, the model needs [{}]", path,
                key, fmt::join(value.sizes(), ", "), fmt::join(target.sizes(), ", "));
  target.copy_(value);
}

bool in_head(const std::string& key, const std::string& head_name) { return key.rfind(head_name + ".", 0) == 0; }

}  // namespace

void load_state_dict_file(BuiltinNetwork& network, const std::string& path, HeadWeights head) {
  load_state_dict(network, read_torch_save_tensors(path), path, head);
}

void load_state_dict(BuiltinNetwork& network, const std::map<std::string, at::Tensor>& stored,
                     const std::string& path, HeadWeights head) {
  torch::NoGradGuard no_grad;
  for (auto& item : network.named_parameters()) {
    if (head == HeadWeights::keep && in_head(item.key(), network.head_name())) continue;
    copy_entry(path, item.key(), stored, item.value());
  }
  for (auto& item : network.named_buffers()) {
    if (head == HeadWeights::keep && in_head(item.key(), network.head_name())) continue;
    copy_entry(path, item.key(), stored, item.value());
  }
}

}  // namespace salient::models
