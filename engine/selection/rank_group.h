// The ranks a selection runs over (DESIGN.md "Distribution"): each rank holds the score-table
// rows of its own shards, a block of ascending global indices (rank r's all below rank
// r+1's), and the strategies exchange only what they must: shortlists, one proposal per
// step, counts. Every exchange is an all-gather, so every rank ends each step with the same
// bits and the same selection. Three groups: one process, MPI_COMM_WORLD, and threads of one
// process for tests.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace salient::comm {
class MpiSession;
}

namespace salient::selection {

class RankGroup {
 public:
  virtual ~RankGroup() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// Every rank's @p mine, in rank order, on every rank. Every rank calls it, in the same
  /// order; lengths may differ.
  virtual std::vector<std::string> all_gather(const std::string& mine) = 0;
};

/// A group of one: this process holds every row.
RankGroup& single_process();

/// MPI_COMM_WORLD.
std::unique_ptr<RankGroup> make_mpi_rank_group(const comm::MpiSession& mpi);

/// @p size groups of one process, rank r to be used by one thread.
std::vector<std::unique_ptr<RankGroup>> make_in_process_rank_groups(int size);

/// Trivially copyable values in a row of bytes: what a rank sends in all_gather.
class Message {
 public:
  template <typename T>
  Message& put(const T& value) {
    return put_all(&value, 1);
  }
  template <typename T>
  Message& put_all(const T* values, std::size_t n) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes_.append(reinterpret_cast<const char*>(values), n * sizeof(T));
    return *this;
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

/// Reads a Message's values back in the order they were put.
class MessageReader {
 public:
  explicit MessageReader(const std::string& bytes) : bytes_(bytes) {}
  template <typename T>
  T get() {
    T value;
    get_all(&value, 1);
    return value;
  }
  template <typename T>
  void get_all(T* values, std::size_t n) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (n > 0) std::memcpy(values, bytes_.data() + offset_, n * sizeof(T));
    offset_ += n * sizeof(T);
  }
  bool done() const { return offset_ >= bytes_.size(); }

 private:
  const std::string& bytes_;
  std::size_t offset_ = 0;
};

/// Every rank's @p mine concatenated in rank order (T trivially copyable).
template <typename T>
std::vector<T> all_gather_values(RankGroup& group, const std::vector<T>& mine) {
  static_assert(std::is_trivially_copyable_v<T>);
  const std::string bytes(reinterpret_cast<const char*>(mine.data()), mine.size() * sizeof(T));
  std::vector<T> all;
  for (const auto& part : group.all_gather(bytes)) {
    const auto first = all.size();
    all.resize(first + part.size() / sizeof(T));
    if (!part.empty()) std::memcpy(all.data() + first, part.data(), part.size());
  }
  return all;
}

/// Every rank's one value, in rank order.
template <typename T>
std::vector<T> all_gather_value(RankGroup& group, const T& mine) {
  return all_gather_values(group, std::vector<T>{mine});
}

/// Σ over the ranks.
inline std::int64_t sum_over_ranks(RankGroup& group, std::int64_t mine) {
  std::int64_t total = 0;
  for (const auto value : all_gather_value(group, mine)) total += value;
  return total;
}

}  // namespace salient::selection
