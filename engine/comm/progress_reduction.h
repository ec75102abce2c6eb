// The progress of a whole MPI job, for one progress bar on rank 0, from non-blocking
// all-reduces: no rank ever waits for another while it works.
//
// A non-blocking collective must be started by every rank, the same number of times and in
// the same order, but ranks do their shares at different paces. So the progress is cut into
// K fixed ticks: a rank starts tick k, an MPI_Iallreduce(SUM) of its count of images done,
// once it has done k/K of its own share, and every rank starts ticks 1…K in that order. A
// tick's value is the sum over ranks of the count each had when it started the tick; tick
// K's is the job's total.
//
// A tick completes only when the last rank has started it, so the bar follows the slowest
// rank: it lags the faster ranks' work, and shows what the whole job waits for, since the
// job ends with its slowest rank.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

namespace salient::comm {

class ProgressReduction {
 public:
  /// A collective: every rank constructs one, with its own share (a blocking all-reduce for
  /// global_total). Starts no tick.
  explicit ProgressReduction(std::int64_t my_total, int ticks = 100);
  /// Ticks still in flight (an exception left this rank's loop) keep their buffers for good:
  /// the other ranks may still complete them, and MPI would write into freed memory.
  ~ProgressReduction();
  ProgressReduction(const ProgressReduction&) = delete;
  ProgressReduction& operator=(const ProgressReduction&) = delete;

  /// Starts every tick k with k/K <= my_done/my_total not started yet (a rank with nothing
  /// to do starts them all), then tests the ticks in flight in order. Returns the value of
  /// the newest tick completed since the last call, or nullopt. Never blocks.
  /// @param my_done  images this rank has done, in [0, my_total], not decreasing
  std::optional<std::int64_t> update(std::int64_t my_done);

  /// Starts the remaining ticks with my_total and waits for every tick in flight, in order,
  /// calling @p on_completed with each one's value. Returns global_total().
  std::int64_t finish(const std::function<void(std::int64_t)>& on_completed);

  /// Σ over ranks of my_total.
  std::int64_t global_total() const { return global_total_; }

 private:
  struct Tick {
    std::int64_t mine = 0;  ///< this rank's count, the all-reduce's send buffer
    std::int64_t sum = 0;   ///< its receive buffer
    MPI_Request request = MPI_REQUEST_NULL;
  };

  void start_ticks(std::int64_t my_done);

  std::int64_t my_total_;
  int ticks_;
  std::int64_t global_total_ = 0;
  int started_ = 0;
  /// Ticks in flight, oldest first. MPI uses a tick's buffers until it completes; a deque
  /// keeps its elements in place while others are added at the back or removed at the front.
  std::unique_ptr<std::deque<Tick>> in_flight_;
};

}  // namespace salient::comm
