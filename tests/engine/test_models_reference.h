// The torchvision and zennit reference files of tests/engine/reference/models_reference.py
// and lrp_reference.py, written at build time into SALIENT_MODELS_REFERENCE_DIR.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/models/builtin_classifier.h"
#include "engine/models/model_factory.h"
#include "engine/models/torchvision_weights.h"
#include "salient/io/hdf5.h"

namespace salient::testing {

inline std::string models_reference_path(const std::string& name) {
  return std::string(SALIENT_MODELS_REFERENCE_DIR) + "/" + name;
}

/// Dataset @p name of reference file @p file as a CPU tensor of element type T.
template <typename T>
at::Tensor models_reference_tensor(const std::string& file, const std::string& name) {
  const auto h5 = io::h5::File::open(models_reference_path(file));
  const auto dataset = h5.dataset(name);
  auto values = dataset.read_all<T>();
  std::vector<std::int64_t> sizes(dataset.shape().begin(), dataset.shape().end());
  return torch::from_blob(values.data(), sizes, c10::CppTypeToScalarType<T>::value).clone();
}

/// A built-in classifier for @p spec with the weights of state_dict file @p state_dict, in eval mode.
inline std::unique_ptr<models::BuiltinClassifier> classifier_from_state_dict(const models::ModelSpec& spec,
                                                                             const std::string& state_dict) {
  auto classifier = std::make_unique<models::BuiltinClassifier>(models::make_network(spec));
  models::load_state_dict_file(classifier->network(), models_reference_path(state_dict));
  classifier->train(false);
  return classifier;
}

inline models::ModelSpec spec_of(models::Architecture architecture, std::int64_t in_channels, std::int64_t classes,
                                 std::int64_t input_size) {
  models::ModelSpec spec;
  spec.architecture = architecture;
  spec.in_channels = in_channels;
  spec.classes = classes;
  spec.input_size = input_size;
  return spec;
}

/// max|a − b| / max(1, max|b|): absolute below 1, relative to the reference's scale above.
inline double scaled_max_difference(const at::Tensor& actual, const at::Tensor& reference) {
  const auto scale = std::max(1.0, reference.abs().max().item<double>());
  return (actual.to(torch::kFloat64) - reference.to(torch::kFloat64)).abs().max().item<double>() / scale;
}

}  // namespace salient::testing
