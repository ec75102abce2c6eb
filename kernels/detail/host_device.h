// SALIENT_HOST_DEVICE marks formulas shared by the CPU and CUDA twins: compiled for both
// when nvcc sees them, plain host functions otherwise.
//
// nvcc contracts a*b + c into one fused multiply-add by default, which rounds once instead
// of twice; where a result must equal numpy's (or the other twin's) bit for bit, the twins
// call mul_rn/add_rn, which round every operation as IEEE 754 does on the host.
#pragma once

#include <cstdint>
#include <cstring>

#ifdef __CUDACC__
#define SALIENT_HOST_DEVICE __host__ __device__
#else
#define SALIENT_HOST_DEVICE
#endif

namespace salient::kernels::detail {

SALIENT_HOST_DEVICE inline double infinity_double() { return __builtin_huge_val(); }
SALIENT_HOST_DEVICE inline double quiet_nan_double() { return __builtin_nan(""); }
SALIENT_HOST_DEVICE inline float quiet_nan_float() { return __builtin_nanf(""); }

/// The IEEE 754 bits of a value.
SALIENT_HOST_DEVICE inline std::uint32_t float_bits(float x) {
#ifdef __CUDA_ARCH__
  return __float_as_uint(x);
#else
  std::uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits;
#endif
}

SALIENT_HOST_DEVICE inline std::uint64_t double_bits(double x) {
#ifdef __CUDA_ARCH__
  return static_cast<std::uint64_t>(__double_as_longlong(x));
#else
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits;
#endif
}

SALIENT_HOST_DEVICE inline double mul_rn(double a, double b) {
#ifdef __CUDA_ARCH__
  return __dmul_rn(a, b);
#else
  return a * b;
#endif
}

SALIENT_HOST_DEVICE inline double add_rn(double a, double b) {
#ifdef __CUDA_ARCH__
  return __dadd_rn(a, b);
#else
  return a + b;
#endif
}

SALIENT_HOST_DEVICE inline float mul_rn(float a, float b) {
#ifdef __CUDA_ARCH__
  return __fmul_rn(a, b);
#else
  return a * b;
#endif
}

SALIENT_HOST_DEVICE inline float add_rn(float a, float b) {
#ifdef __CUDA_ARCH__
  return __fadd_rn(a, b);
#else
  return a + b;
#endif
}

}  // namespace salient::kernels::detail
