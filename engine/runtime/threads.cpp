#include "engine/runtime/threads.h"

#include <sched.h>
#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace salient::runtime {
namespace {

int node_cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

void warn_when_bound(int threads, int usable) {
  if (threads <= usable) return;
  spdlog::warn(
      "this process may run on {} of the node's {} CPUs (its launcher bound it) and LibTorch wants {} threads: "
      "with mpirun, --bind-to none or --map-by slot:PE={} gives each rank its cores",
      usable, node_cores(), threads, threads);
}

}  // namespace

int usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return node_cores();
  return std::max(1, CPU_COUNT(&set));
}

void use_all_cpu_threads(int ranks_on_node) {
  if (std::getenv("OMP_NUM_THREADS") != nullptr) return;
  const int share = std::max(1, node_cores() / std::max(1, ranks_on_node));
  const int usable = usable_cpus();
  warn_when_bound(share, usable);
  const int threads = std::min(share, usable);
  torch::set_num_threads(threads);
  spdlog::debug("LibTorch uses {} CPU threads", threads);
}

void use_cpu_threads(int threads) {
  warn_when_bound(threads, usable_cpus());
  torch::set_num_threads(threads);
}

int configure_cpu_threads(int threads, int ranks_on_node) {
  if (threads > 0) {
    use_cpu_threads(threads);
  } else {
    use_all_cpu_threads(ranks_on_node);
  }
  return torch::get_num_threads();
}

}  // namespace salient::runtime
