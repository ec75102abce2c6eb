#include "engine/comm/nccl_info.h"

#ifdef SALIENT_WITH_CUDA
#include <nccl.h>
#endif

#include <fmt/format.h>

namespace salient::comm {

std::string nccl_version() {
#ifdef SALIENT_WITH_CUDA
  int code = 0;
  if (ncclGetVersion(&code) != ncclSuccess) return "unreadable";
  // Since NCCL 2.9 the code is major*10000 + minor*100 + patch.
  return fmt::format("{}.{}.{}", code / 10000, (code % 10000) / 100, code % 100);
#else
  return "none";
#endif
}

}  // namespace salient::comm
