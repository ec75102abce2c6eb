#include <fmt/format.h>
#include <torch/version.h>

#include "engine/cli/commands.h"
#include "engine/comm/mpi_session.h"
#include "engine/comm/nccl_info.h"
#include "engine/runtime/build_info.h"
#include "salient/kernels/execution.h"

namespace salient::cli {

std::string version_report() {
  const int devices = kernels::cuda_device_count();
  std::string cuda;
  if (!runtime::cuda_compiled()) {
    cuda = "not compiled in (CPU-only build)";
  } else if (devices == 0) {
    cuda = fmt::format("compiled in (runtime {}), not usable: no CUDA device", kernels::cuda_runtime_version());
  } else {
    cuda = fmt::format("compiled in (runtime {}), usable: {} device(s), 0: {}", kernels::cuda_runtime_version(),
                       devices, kernels::cuda_device_description(0));
  }
  std::string nccl = runtime::cuda_compiled()
                         ? fmt::format("{}, {}", comm::nccl_version(), devices > 0 ? "usable" : "not usable: no CUDA device")
                         : "not compiled in";
  return fmt::format(
      "salient {} (git {})\n"
      "LibTorch: {}\n"
      "CUDA:     {}\n"
      "NCCL:     {}\n"
      "MPI:      {}\n",
      runtime::salient_version(), runtime::git_hash(), TORCH_VERSION, cuda, nccl, comm::mpi_library_version());
}

}  // namespace salient::cli
