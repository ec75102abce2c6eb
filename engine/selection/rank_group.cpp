#include "engine/selection/rank_group.h"

#include <condition_variable>
#include <mutex>

#include "engine/comm/mpi_collectives.h"
#include "engine/comm/mpi_session.h"

namespace salient::selection {
namespace {

class SingleProcess final : public RankGroup {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::vector<std::string> all_gather(const std::string& mine) override { return {mine}; }
};

class MpiWorld final : public RankGroup {
 public:
  explicit MpiWorld(const comm::MpiSession& mpi) : rank_(mpi.rank()), size_(mpi.size()) {}
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::vector<std::string> all_gather(const std::string& mine) override { return comm::allgather_strings(mine); }

 private:
  int rank_;
  int size_;
};

/// The slots and the two-phase barrier the threads of an in-process group share: every rank
/// writes its slot, waits until all have, copies all, and waits until all have copied.
struct SharedSlots {
  explicit SharedSlots(int size) : slots(static_cast<std::size_t>(size)) {}
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> slots;
  int arrived = 0;
  std::uint64_t generation = 0;

  void wait_for_all(std::unique_lock<std::mutex>& lock) {
    const auto mine = generation;
    if (++arrived == static_cast<int>(slots.size())) {
      arrived = 0;
      ++generation;
      changed.notify_all();
      return;
    }
    changed.wait(lock, [&] { return generation != mine; });
  }
};

class InProcess final : public RankGroup {
 public:
  InProcess(std::shared_ptr<SharedSlots> shared, int rank) : shared_(std::move(shared)), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return static_cast<int>(shared_->slots.size()); }
  std::vector<std::string> all_gather(const std::string& mine) override {
    std::unique_lock<std::mutex> lock(shared_->mutex);
    shared_->slots[static_cast<std::size_t>(rank_)] = mine;
    shared_->wait_for_all(lock);
    auto all = shared_->slots;
    shared_->wait_for_all(lock);
    return all;
  }

 private:
  std::shared_ptr<SharedSlots> shared_;
  int rank_;
};

}  // namespace

RankGroup& single_process() {
  static SingleProcess group;
  return group;
}

std::unique_ptr<RankGroup> make_mpi_rank_group(const comm::MpiSession& mpi) { return std::make_unique<MpiWorld>(mpi); }

std::vector<std::unique_ptr<RankGroup>> make_in_process_rank_groups(int size) {
  auto shared = std::make_shared<SharedSlots>(size);
  std::vector<std::unique_ptr<RankGroup>> groups;
  for (int rank = 0; rank < size; ++rank) groups.push_back(std::make_unique<InProcess>(shared, rank));
  return groups;
}

}  // namespace salient::selection
