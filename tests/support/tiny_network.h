// A tiny convolutional network for the data-parallel tests: conv 1→4 (3×3), ReLU, linear to
// 2 outputs over 8×8 inputs. Parameters: conv weight 36, conv bias 4, linear weight 288,
// linear bias 2 (float32). The same seed gives the same weights.
#pragma once

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cstdint>
#include <utility>

namespace salient::testing {

inline torch::nn::Sequential tiny_network(std::uint64_t seed) {
  torch::manual_seed(seed);
  return torch::nn::Sequential(torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 4, 3)), torch::nn::ReLU(),
                               torch::nn::Flatten(), torch::nn::Linear(4 * 6 * 6, 2));
}

/// Rank @p rank's batch: 5 images 1×8×8 and their targets, from a seed of its own.
inline std::pair<torch::Tensor, torch::Tensor> rank_batch(int rank) {
  const auto generator = at::make_generator<at::CPUGeneratorImpl>(100 + rank);
  return {torch::randn({5, 1, 8, 8}, generator), torch::randn({5, 2}, generator)};
}

inline torch::Tensor batch_loss(torch::nn::Sequential& network, const std::pair<torch::Tensor, torch::Tensor>& batch) {
  return torch::mse_loss(network->forward(batch.first), batch.second);
}

}  // namespace salient::testing
