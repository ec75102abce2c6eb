// Texts over a Communicator's ranks (any backend with CPU tensors: MPI, in-process): what a
// scoring round exchanges beside tensors, rank 0's decisions and every rank's report, as
// JSON text. Every rank calls each function, in the same order.
#pragma once

#include <string>
#include <vector>

#include "engine/comm/communicator.h"

namespace salient::comm {

/// @p root's @p text on every rank (the other ranks' @p text is ignored).
std::string broadcast_text(Communicator& comm, const std::string& text, int root);

/// @p root gets every rank's text, in rank order; the other ranks an empty vector.
std::vector<std::string> gather_texts(Communicator& comm, const std::string& mine, int root);

}  // namespace salient::comm
