// How many CPU threads LibTorch computes with.
#pragma once

namespace salient::runtime {

/// The CPUs this process may run on (its affinity mask): fewer than the node's cores when
/// a launcher binds it, as mpirun does by default (one core per rank for up to 2 ranks).
int usable_cpus();

/// Gives LibTorch's intra-op pool this machine's cores shared among @p ranks_on_node ranks
/// (at least one each), no more than usable_cpus(), unless OMP_NUM_THREADS is set, which
/// LibTorch then follows. Without this LibTorch may start with a single thread.
void use_all_cpu_threads(int ranks_on_node);

/// Sets LibTorch's intra-op threads, warning (with the mpirun options that fix it) when
/// they outnumber usable_cpus(): threads bound to one core take turns on it.
void use_cpu_threads(int threads);

/// use_cpu_threads(@p threads) when it is positive, else use_all_cpu_threads(@p ranks_on_node);
/// returns the threads LibTorch then has.
int configure_cpu_threads(int threads, int ranks_on_node);

}  // namespace salient::runtime
