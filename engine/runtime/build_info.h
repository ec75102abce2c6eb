// What this binary was built from; defined in the generated build_info.cpp.
#pragma once

namespace salient::runtime {

const char* salient_version();
const char* git_hash();
/// True when the CUDA twins and the NCCL communicator were compiled in.
bool cuda_compiled();

}  // namespace salient::runtime
