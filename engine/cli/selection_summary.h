// What `salient select` and `salient score --select` tell the user: where the files are,
// how many candidates there were, and the first few selected images.
#pragma once

#include "engine/round/select_round.h"

namespace salient::cli {

void print_selection_summary(const round::SelectOutcome& outcome);

}  // namespace salient::cli
