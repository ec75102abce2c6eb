#include "engine/training/replica_checksum.h"

#include <torch/torch.h>

#include <cstring>

#include <fmt/ranges.h>

namespace salient::training {

std::uint64_t parameter_checksum(const std::vector<at::Tensor>& parameters) {
  // FNV-1a: offset basis 14695981039346656037, prime 1099511628211 (Fowler, Noll, Vo).
  std::uint64_t hash = 14695981039346656037ull;
  for (const auto& parameter : parameters) {
    const auto bytes = parameter.detach().cpu().contiguous();
    const auto* data = static_cast<const std::uint8_t*>(bytes.data_ptr());
    const auto size = static_cast<std::size_t>(bytes.numel()) * bytes.element_size();
    for (std::size_t i = 0; i < size; ++i) {
      hash ^= data[i];
      hash *= 1099511628211ull;
    }
  }
  return hash;
}

void check_replicas_identical(const std::vector<at::Tensor>& parameters, comm::Communicator& communicator) {
  const std::uint64_t mine = parameter_checksum(parameters);
  // int64 carries the checksum's bits; every rank learns every checksum, so all throw alike.
  // The exchange happens where the communicator works: the parameters' device.
  const auto device = parameters.empty() ? c10::Device(c10::kCPU) : parameters.front().device();
  auto all = torch::zeros({communicator.size()}, torch::kInt64);
  std::int64_t bits = 0;
  std::memcpy(&bits, &mine, sizeof bits);
  all[communicator.rank()] = bits;
  all = all.to(device);
  communicator.all_reduce(all, comm::ReduceOp::sum);
  all = all.cpu();
  std::vector<int> differing;
  for (int r = 1; r < communicator.size(); ++r) {
    if (all[r].item<std::int64_t>() != all[0].item<std::int64_t>()) differing.push_back(r);
  }
  SALIENT_CHECK(differing.empty(), "data-parallel replicas diverged: the parameters of rank(s) {} differ from rank 0's",
                fmt::join(differing, ", "));
}

}  // namespace salient::training
