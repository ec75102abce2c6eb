// How a built-in network applies the layers that saliency methods treat specially. The
// architectures call these instead of the modules' forward(), so that LRP
// (engine/saliency/lrp.cpp) can substitute layers with the same values whose gradients
// carry its propagation rules, on exactly the same forward code.
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/pooling.h>

namespace salient::models {

class LayerOps {
 public:
  virtual ~LayerOps() = default;
  virtual at::Tensor conv(torch::nn::Conv2dImpl& conv, const at::Tensor& x);
  virtual at::Tensor batch_norm(torch::nn::BatchNorm2dImpl& norm, const at::Tensor& x);
  virtual at::Tensor relu(const at::Tensor& x);
  virtual at::Tensor max_pool(torch::nn::MaxPool2dImpl& pool, const at::Tensor& x);
  virtual at::Tensor avg_pool(torch::nn::AvgPool2dImpl& pool, const at::Tensor& x);
  /// N×K×h×w → N×K, the mean over positions.
  virtual at::Tensor global_avg_pool(const at::Tensor& x);
  /// A residual connection's sum.
  virtual at::Tensor add(const at::Tensor& branch, const at::Tensor& shortcut);
  virtual at::Tensor linear(torch::nn::LinearImpl& linear, const at::Tensor& x);
};

/// The plain forward pass.
LayerOps& plain_ops();

}  // namespace salient::models
