#include "engine/comm/text_collectives.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstring>

namespace salient::comm {
namespace {

at::Tensor bytes_of(const std::string& text, std::int64_t length) {
  auto bytes = torch::zeros({std::max<std::int64_t>(length, 1)}, torch::kUInt8);
  std::memcpy(bytes.data_ptr<std::uint8_t>(), text.data(), text.size());
  return bytes;
}

std::string text_of(const at::Tensor& bytes, std::int64_t length) {
  return std::string(reinterpret_cast<const char*>(bytes.data_ptr<std::uint8_t>()), static_cast<std::size_t>(length));
}

}  // namespace

std::string broadcast_text(Communicator& comm, const std::string& text, int root) {
  auto length = torch::full({1}, static_cast<std::int64_t>(comm.rank() == root ? text.size() : 0), torch::kInt64);
  comm.broadcast(length, root);
  const std::int64_t n = length.item<std::int64_t>();
  auto bytes = bytes_of(comm.rank() == root ? text : std::string(), n);
  comm.broadcast(bytes, root);
  return text_of(bytes, n);
}

std::vector<std::string> gather_texts(Communicator& comm, const std::string& mine, int root) {
  // Every rank learns every length (a sum of one-hot rows), so all send the same count.
  auto lengths = torch::zeros({comm.size()}, torch::kInt64);
  lengths[comm.rank()] = static_cast<std::int64_t>(mine.size());
  comm.all_reduce(lengths, ReduceOp::sum);
  const std::int64_t longest = lengths.max().item<std::int64_t>();
  const auto gathered = comm.gather(bytes_of(mine, longest), root);
  std::vector<std::string> texts;
  if (comm.rank() != root) return texts;
  for (int r = 0; r < comm.size(); ++r) texts.push_back(text_of(gathered[r].contiguous(), lengths[r].item<std::int64_t>()));
  return texts;
}

}  // namespace salient::comm
