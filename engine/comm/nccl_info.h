// Which NCCL this binary carries.
#pragma once

#include <string>

namespace salient::comm {

/// NCCL's runtime version ("2.28.9"), or "none" in a build without CUDA.
std::string nccl_version();

}  // namespace salient::comm
