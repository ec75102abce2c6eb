#include "engine/training/gradient_averager.h"

#include <torch/cuda.h>
#include <torch/torch.h>

#include <chrono>

namespace salient::training {

GradientAverager::GradientAverager(const std::vector<at::Tensor>& parameters, comm::Communicator& communicator,
                                   std::int64_t bucket_bytes)
    : communicator_(communicator) {
  SALIENT_CHECK(bucket_bytes > 0, "the gradient bucket size must be positive, not {}", bucket_bytes);
  std::int64_t bytes_in_last = 0;
  for (const auto& parameter : parameters) {
    if (!parameter.requires_grad()) continue;
    const std::int64_t bytes = parameter.numel() * static_cast<std::int64_t>(parameter.element_size());
    const bool fits = !buckets_.empty() && buckets_.back().parameters.front().scalar_type() == parameter.scalar_type() &&
                      buckets_.back().parameters.front().device() == parameter.device() &&
                      bytes_in_last + bytes <= bucket_bytes;
    if (!fits) {
      buckets_.emplace_back();
      bytes_in_last = 0;
    }
    buckets_.back().parameters.push_back(parameter);
    bytes_in_last += bytes;
  }
  for (auto& bucket : buckets_) {
    std::int64_t numel = 0;
    for (const auto& parameter : bucket.parameters) numel += parameter.numel();
    bucket.flat = torch::empty({numel}, bucket.parameters.front().options().requires_grad(false));
  }
}

void GradientAverager::average() {
  const auto start = std::chrono::steady_clock::now();
  const torch::NoGradGuard no_gradient;
  for (auto& bucket : buckets_) {
    std::int64_t offset = 0;
    for (const auto& parameter : bucket.parameters) {
      auto slice = bucket.flat.narrow(0, offset, parameter.numel());
      if (parameter.grad().defined()) {
        slice.copy_(parameter.grad().reshape({-1}));
      } else {
        slice.zero_();
      }
      offset += parameter.numel();
    }
    communicator_.all_reduce(bucket.flat, comm::ReduceOp::mean);
    offset = 0;
    for (const auto& parameter : bucket.parameters) {
      const auto mean = bucket.flat.narrow(0, offset, parameter.numel()).view(parameter.sizes());
      auto& gradient = parameter.mutable_grad();
      if (gradient.defined()) {
        gradient.copy_(mean);
      } else {
        gradient = mean.clone();
      }
      offset += parameter.numel();
    }
  }
  if (!buckets_.empty() && buckets_.front().flat.is_cuda()) {
    torch::cuda::synchronize(buckets_.front().flat.device().index());
  }
  seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace salient::training
