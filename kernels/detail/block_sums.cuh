// Fixed-size sums of doubles or integers reduced across a block with CUB BlockReduce.
#pragma once

namespace salient::kernels::detail {

template <typename T, int K>
struct Sums {
  T v[K];
};

struct AddSums {
  template <typename T, int K>
  __device__ Sums<T, K> operator()(const Sums<T, K>& a, const Sums<T, K>& b) const {
    Sums<T, K> r;
    for (int k = 0; k < K; ++k) r.v[k] = a.v[k] + b.v[k];
    return r;
  }
};

}  // namespace salient::kernels::detail
