#include "engine/comm/progress_reduction.h"

#include "engine/comm/mpi_collectives.h"
#include "engine/comm/mpi_session.h"

namespace salient::comm {

ProgressReduction::ProgressReduction(std::int64_t my_total, int ticks)
    : my_total_(my_total), ticks_(ticks), in_flight_(std::make_unique<std::deque<Tick>>()) {
  SALIENT_CHECK(my_total >= 0, "progress: a rank's total must be >= 0, got {}", my_total);
  SALIENT_CHECK(ticks >= 1, "progress: needs at least one tick, got {}", ticks);
  global_total_ = allreduce_sum(my_total);
}

ProgressReduction::~ProgressReduction() {
  // Only after finish() or with no tick started is nothing in flight. Otherwise this rank is
  // leaving on an error, and main() ends the job with MPI_Abort: the buffers must outlive us.
  if (!in_flight_->empty()) static_cast<void>(in_flight_.release());
}

void ProgressReduction::start_ticks(std::int64_t my_done) {
  // Tick k (1-based) is due when k/K <= my_done/my_total, in integers.
  while (started_ < ticks_ && (my_total_ == 0 || (started_ + 1) * my_total_ <= my_done * ticks_)) {
    Tick& tick = in_flight_->emplace_back();
    tick.mine = my_done;
    SALIENT_MPI_CHECK(
        MPI_Iallreduce(&tick.mine, &tick.sum, 1, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD, &tick.request));
    ++started_;
  }
}

std::optional<std::int64_t> ProgressReduction::update(std::int64_t my_done) {
  SALIENT_CHECK(my_done >= 0 && my_done <= my_total_, "progress: {} done of a share of {}", my_done, my_total_);
  start_ticks(my_done);
  // In order: a later tick's value is only news once the earlier ones are done.
  std::optional<std::int64_t> newest;
  while (!in_flight_->empty()) {
    Tick& tick = in_flight_->front();
    int completed = 0;
    SALIENT_MPI_CHECK(MPI_Test(&tick.request, &completed, MPI_STATUS_IGNORE));
    if (completed == 0) break;
    newest = tick.sum;
    in_flight_->pop_front();
  }
  return newest;
}

std::int64_t ProgressReduction::finish(const std::function<void(std::int64_t)>& on_completed) {
  start_ticks(my_total_);
  while (!in_flight_->empty()) {
    Tick& tick = in_flight_->front();
    SALIENT_MPI_CHECK(MPI_Wait(&tick.request, MPI_STATUS_IGNORE));
    const std::int64_t value = tick.sum;
    in_flight_->pop_front();
    on_completed(value);
  }
  return global_total_;
}

}  // namespace salient::comm
