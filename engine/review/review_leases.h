// Who is looking at which image: each image the page opens is leased to its annotator for
// a short time, renewed while they work on it, so that two experts labeling the same round
// are rarely handed the same image. Leases live in the server's memory only: a restart
// forgets them, which costs at most one image seen twice.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/review/review_state.h"

namespace salient::review {

class LeaseTable {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LeaseTable(std::chrono::seconds duration) : duration_(duration) {}

  /// The annotator holding a live lease on @p position at @p now, if any.
  std::optional<std::string> holder(std::int64_t position, Clock::time_point now) const;

  /// Gives @p annotator the lease of @p position unless another annotator holds it; the
  /// annotator's other leases end. Returns whether @p annotator holds it now.
  bool take(std::int64_t position, const std::string& annotator, Clock::time_point now);

  /// The image to hand @p annotator next, after queue position @p after (−1: from the start),
  /// in queue order with wrap-around: the first that nobody has submitted and no other
  /// annotator holds; failing that, the first that @p annotator has not submitted and no other
  /// annotator holds; none when @p annotator has submitted every image left to them. The
  /// image is leased to @p annotator.
  std::optional<std::int64_t> next(const std::string& annotator, std::int64_t after, std::int64_t queue_size,
                                   const ReviewState& state, Clock::time_point now);

 private:
  struct Lease {
    std::string annotator;
    Clock::time_point expires;
  };
  std::chrono::seconds duration_;
  std::map<std::int64_t, Lease> leases_;
};

}  // namespace salient::review
