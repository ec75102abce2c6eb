#include "engine/models/layer_ops.h"

#include <torch/torch.h>

namespace salient::models {

at::Tensor LayerOps::conv(torch::nn::Conv2dImpl& conv, const at::Tensor& x) { return conv.forward(x); }

at::Tensor LayerOps::batch_norm(torch::nn::BatchNorm2dImpl& norm, const at::Tensor& x) { return norm.forward(x); }

at::Tensor LayerOps::relu(const at::Tensor& x) { return torch::relu(x); }

at::Tensor LayerOps::max_pool(torch::nn::MaxPool2dImpl& pool, const at::Tensor& x) { return pool.forward(x); }

at::Tensor LayerOps::avg_pool(torch::nn::AvgPool2dImpl& pool, const at::Tensor& x) { return pool.forward(x); }

// adaptive_avg_pool2d, as torchvision computes it, rather than mean(): the same summation order.
at::Tensor LayerOps::global_avg_pool(const at::Tensor& x) { return torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1); }

at::Tensor LayerOps::add(const at::Tensor& branch, const at::Tensor& shortcut) { return branch + shortcut; }

at::Tensor LayerOps::linear(torch::nn::LinearImpl& linear, const at::Tensor& x) { return linear.forward(x); }

LayerOps& plain_ops() {
  static LayerOps ops;
  return ops;
}

}  // namespace salient::models
