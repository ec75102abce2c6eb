#include "engine/runtime/threads.h"

#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace salient::runtime {

void use_all_cpu_threads(int ranks_on_node) {
  if (std::getenv("OMP_NUM_THREADS") != nullptr) return;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int threads = std::max(1, cores / std::max(1, ranks_on_node));
  torch::set_num_threads(threads);
  spdlog::debug("LibTorch uses {} CPU threads", threads);
}

}  // namespace salient::runtime
