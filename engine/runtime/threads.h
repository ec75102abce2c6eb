// How many CPU threads LibTorch computes with.
#pragma once

namespace salient::runtime {

/// Gives LibTorch's intra-op pool this machine's cores shared among @p ranks_on_node ranks
/// (at least one each), unless OMP_NUM_THREADS is set, which LibTorch then follows. Without
/// this LibTorch may start with a single thread.
void use_all_cpu_threads(int ranks_on_node);

}  // namespace salient::runtime
