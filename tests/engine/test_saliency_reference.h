// The PyTorch and Captum reference values of tests/engine/reference/saliency_reference.py,
// written at build time into SALIENT_SALIENCY_REFERENCE_DIR.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "salient/io/hdf5.h"

namespace salient::testing {

inline std::string saliency_reference_path(const std::string& name) {
  return std::string(SALIENT_SALIENCY_REFERENCE_DIR) + "/" + name;
}

/// Dataset @p name of the reference file as a CPU tensor (float32, float64 or int64 as stored).
template <typename T>
at::Tensor reference_tensor(const std::string& name) {
  const auto file = io::h5::File::open(saliency_reference_path("saliency_reference.h5"));
  const auto dataset = file.dataset(name);
  auto values = dataset.read_all<T>();
  std::vector<std::int64_t> sizes(dataset.shape().begin(), dataset.shape().end());
  return torch::from_blob(values.data(), sizes, c10::CppTypeToScalarType<T>::value).clone();
}

/// max|a − b| / max|b|: the error relative to the reference's scale (pixels where the
/// reference is near 0 are judged by the map's largest value, not their own).
inline double max_relative_difference(const at::Tensor& actual, const at::Tensor& reference) {
  const auto scale = reference.abs().max().item<double>();
  return (actual.to(torch::kFloat64) - reference.to(torch::kFloat64)).abs().max().item<double>() / scale;
}

}  // namespace salient::testing
