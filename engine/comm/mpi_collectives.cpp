#include "engine/comm/mpi_collectives.h"

#include <mpi.h>

#include <climits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/comm/mpi_session.h"

namespace salient::comm {
namespace {

int world_rank() {
  int rank = 0;
  SALIENT_MPI_CHECK(MPI_Comm_rank(MPI_COMM_WORLD, &rank));
  return rank;
}

int world_size() {
  int size = 0;
  SALIENT_MPI_CHECK(MPI_Comm_size(MPI_COMM_WORLD, &size));
  return size;
}

/// Every rank's element count. Gathered by all ranks, so that any check on the counts fails
/// on every rank alike: a rank that threw alone would leave the others waiting in the next
/// collective.
std::vector<int> allgather_counts(std::size_t count, const char* what) {
  const std::int64_t mine = static_cast<std::int64_t>(count);
  std::vector<std::int64_t> all(static_cast<std::size_t>(world_size()));
  SALIENT_MPI_CHECK(MPI_Allgather(&mine, 1, MPI_INT64_T, all.data(), 1, MPI_INT64_T, MPI_COMM_WORLD));
  // MPI counts and displacements are int; more needs MPI 4's large-count calls.
  std::int64_t total = 0;
  for (const auto n : all) total += n;
  SALIENT_CHECK(total <= INT_MAX, "{}: {} elements from all ranks exceed MPI's int counts", what, total);
  return std::vector<int>(all.begin(), all.end());
}

/// The ranks' values concatenated in rank order on @p root (empty elsewhere).
template <typename T>
std::vector<T> gather_variable(const std::vector<T>& mine, const std::vector<int>& counts, MPI_Datatype type,
                               int root) {
  const bool is_root = world_rank() == root;
  std::vector<int> displacements(counts.size());
  int total = 0;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    displacements[r] = total;
    total += counts[r];
  }
  std::vector<T> all(is_root ? static_cast<std::size_t>(total) : 0);
  SALIENT_MPI_CHECK(MPI_Gatherv(mine.data(), static_cast<int>(mine.size()), type, all.data(), counts.data(),
                                displacements.data(), type, root, MPI_COMM_WORLD));
  return all;
}

}  // namespace

std::int64_t allreduce_sum(std::int64_t mine) {
  std::int64_t total = 0;
  SALIENT_MPI_CHECK(MPI_Allreduce(&mine, &total, 1, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD));
  return total;
}

bool allreduce_any(bool mine) {
  const int flag = mine ? 1 : 0;
  int any = 0;
  SALIENT_MPI_CHECK(MPI_Allreduce(&flag, &any, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD));
  return any != 0;
}

void barrier() { SALIENT_MPI_CHECK(MPI_Barrier(MPI_COMM_WORLD)); }

std::vector<double> gather_doubles(const std::vector<double>& mine, int root) {
  const auto counts = allgather_counts(mine.size(), "gather_doubles");
  std::vector<int> differing;
  for (std::size_t r = 0; r < counts.size(); ++r)
    if (counts[r] != counts[0]) differing.push_back(static_cast<int>(r));
  SALIENT_CHECK(differing.empty(), "gather_doubles: rank 0 passes {} values and rank(s) {} another number ({})",
                counts[0], fmt::join(differing, ", "), fmt::join(counts, ", "));
  return gather_variable(mine, counts, MPI_DOUBLE, root);
}

std::vector<std::string> gather_strings(const std::string& mine, int root) {
  const auto counts = allgather_counts(mine.size(), "gather_strings");
  const auto characters = gather_variable(std::vector<char>(mine.begin(), mine.end()), counts, MPI_CHAR, root);
  std::vector<std::string> texts;
  if (world_rank() != root) return texts;
  std::size_t start = 0;
  for (const int count : counts) {
    texts.emplace_back(characters.data() + start, static_cast<std::size_t>(count));
    start += static_cast<std::size_t>(count);
  }
  return texts;
}

std::vector<std::string> allgather_strings(const std::string& mine) {
  const auto counts = allgather_counts(mine.size(), "allgather_strings");
  std::vector<int> displacements(counts.size());
  int total = 0;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    displacements[r] = total;
    total += counts[r];
  }
  std::vector<char> characters(static_cast<std::size_t>(total));
  SALIENT_MPI_CHECK(MPI_Allgatherv(mine.data(), static_cast<int>(mine.size()), MPI_CHAR, characters.data(),
                                   counts.data(), displacements.data(), MPI_CHAR, MPI_COMM_WORLD));
  std::vector<std::string> texts;
  for (std::size_t r = 0; r < counts.size(); ++r)
    texts.emplace_back(characters.data() + displacements[r], static_cast<std::size_t>(counts[r]));
  return texts;
}

std::string broadcast_string(const std::string& text, int root) {
  // The length first, as int64 on every rank, so that a text too long for MPI's int count
  // is refused by all ranks together.
  std::int64_t length = static_cast<std::int64_t>(text.size());
  SALIENT_MPI_CHECK(MPI_Bcast(&length, 1, MPI_INT64_T, root, MPI_COMM_WORLD));
  SALIENT_CHECK(length <= INT_MAX, "broadcast_string: {} characters exceed MPI's int count", length);
  std::string shared = world_rank() == root ? text : std::string(static_cast<std::size_t>(length), '\0');
  SALIENT_MPI_CHECK(MPI_Bcast(shared.data(), static_cast<int>(length), MPI_CHAR, root, MPI_COMM_WORLD));
  return shared;
}

}  // namespace salient::comm
