// Device discovery for CPU-only builds (no nvcc at configure time).
#include "salient/check.h"
#include "salient/kernels/execution.h"

namespace salient::kernels {

bool cuda_compiled() { return false; }
int cuda_device_count() { return 0; }
std::string cuda_device_description(int) { throw Error("salient was built without CUDA"); }
std::string cuda_runtime_version() { return "none"; }

}  // namespace salient::kernels
