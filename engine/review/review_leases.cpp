#include "engine/review/review_leases.h"

namespace salient::review {
namespace {

bool submitted_by(const ReviewState& state, const std::string& annotator, std::int64_t position) {
  const auto images = state.find(annotator);
  if (images == state.end()) return false;
  const auto image = images->second.find(position);
  return image != images->second.end() && image->second.submitted;
}

bool submitted_by_anyone(const ReviewState& state, std::int64_t position) {
  for (const auto& [annotator, _] : state) {
    if (submitted_by(state, annotator, position)) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> LeaseTable::holder(std::int64_t position, Clock::time_point now) const {
  const auto lease = leases_.find(position);
  if (lease == leases_.end() || lease->second.expires <= now) return std::nullopt;
  return lease->second.annotator;
}

bool LeaseTable::take(std::int64_t position, const std::string& annotator, Clock::time_point now) {
  const auto current = holder(position, now);
  if (current && *current != annotator) return false;
  for (auto lease = leases_.begin(); lease != leases_.end();) {
    lease = lease->second.annotator == annotator && lease->first != position ? leases_.erase(lease) : std::next(lease);
  }
  leases_[position] = {annotator, now + duration_};
  return true;
}

std::optional<std::int64_t> LeaseTable::next(const std::string& annotator, std::int64_t after, std::int64_t queue_size,
                                             const ReviewState& state, Clock::time_point now) {
  const auto free_for_annotator = [&](std::int64_t position) {
    const auto current = holder(position, now);
    return !current || *current == annotator;
  };
  const auto first_where = [&](auto&& wanted) -> std::optional<std::int64_t> {
    for (std::int64_t step = 1; step <= queue_size; ++step) {
      const std::int64_t position = ((after + step) % queue_size + queue_size) % queue_size;
      if (free_for_annotator(position) && wanted(position)) return position;
    }
    return std::nullopt;
  };
  if (queue_size <= 0) return std::nullopt;
  auto chosen = first_where([&](std::int64_t position) { return !submitted_by_anyone(state, position); });
  if (!chosen) chosen = first_where([&](std::int64_t position) { return !submitted_by(state, annotator, position); });
  if (chosen) take(*chosen, annotator, now);
  return chosen;
}

}  // namespace salient::review
