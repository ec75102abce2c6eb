// Communicator whose ranks are threads of one process: the unit tests' stand-in for a job's
// ranks. Each collective is a rendezvous: every rank deposits a copy of its tensor, waits
// for the others, computes the result from the copies in rank order (so every rank gets the
// same bits), and waits again before the copies may be replaced.
#include <torch/torch.h>

#include <condition_variable>
#include <mutex>

#include "engine/comm/communicator.h"
#include "engine/comm/tensor_agreement.h"

namespace salient::comm {
namespace {

class Rendezvous {
 public:
  explicit Rendezvous(int size) : size_(size), deposits_(static_cast<std::size_t>(size)) {}

  int size() const { return size_; }

  /// Every rank's deposit, in rank order, once every rank has deposited.
  std::vector<at::Tensor> exchange(int rank, at::Tensor deposit) {
    std::unique_lock<std::mutex> lock(mutex_);
    deposits_[static_cast<std::size_t>(rank)] = std::move(deposit);
    wait_for_all(lock);
    std::vector<at::Tensor> all = deposits_;
    wait_for_all(lock);
    return all;
  }

  void barrier() {
    std::unique_lock<std::mutex> lock(mutex_);
    wait_for_all(lock);
  }

 private:
  void wait_for_all(std::unique_lock<std::mutex>& lock) {
    const std::uint64_t generation = generation_;
    if (++arrived_ == size_) {
      arrived_ = 0;
      ++generation_;
      all_arrived_.notify_all();
    } else {
      all_arrived_.wait(lock, [&] { return generation_ != generation; });
    }
  }

  const int size_;
  std::mutex mutex_;
  std::condition_variable all_arrived_;
  int arrived_ = 0;
  std::uint64_t generation_ = 0;
  std::vector<at::Tensor> deposits_;
};

class InProcessCommunicator : public Communicator {
 public:
  InProcessCommunicator(std::shared_ptr<Rendezvous> group, int rank) : group_(std::move(group)), rank_(rank) {}

  int rank() const override { return rank_; }
  int size() const override { return group_->size(); }
  std::string backend() const override { return "in-process"; }

  void all_reduce(at::Tensor& tensor, ReduceOp op) override {
    const auto all = agreed(tensor, "all_reduce");
    at::Tensor total = all.front().clone();
    for (std::size_t r = 1; r < all.size(); ++r) total.add_(all[r]);
    if (op == ReduceOp::mean) total.div_(size());
    tensor.copy_(total);
  }

  void broadcast(at::Tensor& tensor, int root) override {
    const auto all = agreed(tensor, "broadcast");
    tensor.copy_(all[static_cast<std::size_t>(root)]);
  }

  at::Tensor gather(const at::Tensor& tensor, int root) override {
    const auto all = agreed(tensor, "gather");
    return rank_ == root ? torch::stack(all) : at::Tensor();
  }

  void barrier() override { group_->barrier(); }

 private:
  // Every rank's copy, after the checks every rank runs alike on all of them.
  std::vector<at::Tensor> agreed(const at::Tensor& tensor, const char* collective) {
    check_collective_tensor(tensor, c10::DeviceType::CPU, collective);
    auto all = group_->exchange(rank_, tensor.clone());
    std::vector<TensorSignature> signatures;
    for (const auto& deposit : all) signatures.push_back(signature_of(deposit));
    check_signatures_agree(signatures, collective);
    for (auto& deposit : all) deposit = deposit.view(tensor.sizes());
    return all;
  }

  std::shared_ptr<Rendezvous> group_;
  int rank_;
};

}  // namespace

std::vector<std::unique_ptr<Communicator>> make_in_process_communicators(int size) {
  SALIENT_CHECK(size >= 1, "an in-process group needs at least one rank, not {}", size);
  auto group = std::make_shared<Rendezvous>(size);
  std::vector<std::unique_ptr<Communicator>> communicators;
  for (int rank = 0; rank < size; ++rank) communicators.push_back(std::make_unique<InProcessCommunicator>(group, rank));
  return communicators;
}

}  // namespace salient::comm
