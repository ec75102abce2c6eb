// The few collectives a round needs beyond training's all-reduce, on MPI_COMM_WORLD: agree
// on counts and on failure, gather per-rank results to one rank, share a text from one.
// Every rank must call each of them, in the same order, from the main thread (MpiSession
// asks for MPI_THREAD_FUNNELED). MPI errors throw salient::Error naming host and rank.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace salient::comm {

/// Σ over ranks of @p mine.
std::int64_t allreduce_sum(std::int64_t mine);

/// True when any rank passes true: ranks agree to stop together when one of them failed,
/// instead of the others waiting in the next collective forever.
bool allreduce_any(bool mine);

void barrier();

/// @p root gets every rank's @p mine, rank-major (size × length values); the other ranks
/// get an empty vector. Every rank passes the same length; otherwise every rank throws
/// salient::Error naming the ranks whose lengths differ (all alike, so none is left waiting).
std::vector<double> gather_doubles(const std::vector<double>& mine, int root);

/// @p root gets every rank's text, in rank order; the other ranks an empty vector.
std::vector<std::string> gather_strings(const std::string& mine, int root);

/// Every rank's text, in rank order, on every rank.
std::vector<std::string> allgather_strings(const std::string& mine);

/// @p root's @p text on every rank (the other ranks' @p text is ignored).
std::string broadcast_string(const std::string& text, int root);

}  // namespace salient::comm
