#include "engine/models/checkpoint.h"

#include <torch/torch.h>

#include <fmt/ranges.h>

#include <filesystem>
#include <map>

#include "engine/models/model_factory.h"
#include "engine/runtime/archive_file.h"
#include "salient/check.h"

namespace salient::models {
namespace {

constexpr const char* kFormatKey = "salient_format";
constexpr const char* kFormat = "salient-checkpoint-1";
constexpr const char* kSpecKey = "salient_spec";
constexpr const char* kNetworkKey = "network";

std::string read_string(torch::serialize::InputArchive& archive, const char* key, const std::string& path) {
  c10::IValue value;
  SALIENT_CHECK(archive.try_read(key, value) && value.isString(), "{}: the checkpoint has no string entry '{}'", path,
                key);
  return value.toStringRef();
}

/// Shapes of every parameter and buffer, by name: what the spec's network expects.
std::map<std::string, std::vector<std::int64_t>> tensor_shapes(const BuiltinNetwork& network) {
  std::map<std::string, std::vector<std::int64_t>> shapes;
  for (const auto& item : network.named_parameters()) shapes[item.key()] = item.value().sizes().vec();
  for (const auto& item : network.named_buffers()) shapes[item.key()] = item.value().sizes().vec();
  return shapes;
}

}  // namespace

void save_checkpoint(Classifier& model, const std::string& path) {
  auto* builtin = dynamic_cast<BuiltinClassifier*>(&model);
  SALIENT_CHECK(builtin != nullptr, "{}: only built-in models are saved as salient checkpoints (this one is {})", path,
                architecture_name(model.spec().architecture));
  torch::serialize::OutputArchive network_archive;
  builtin->network().save(network_archive);
  torch::serialize::OutputArchive archive;
  archive.write(kFormatKey, c10::IValue(std::string(kFormat)));
  archive.write(kSpecKey, c10::IValue(spec_to_json(model.spec())));
  archive.write(kNetworkKey, network_archive);
  runtime::write_archive_atomically(archive, path, "the checkpoint");
}

std::unique_ptr<BuiltinClassifier> load_checkpoint_if_salient(const std::string& path) {
  SALIENT_CHECK(std::filesystem::is_regular_file(path), "{}: no such model file", path);
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path);
  } catch (const c10::Error& error) {
    throw Error(fmt::format("{}: not a salient checkpoint or TorchScript file ({})", path,
                            error.what_without_backtrace()));
  }
  c10::IValue format;
  if (!archive.try_read(kFormatKey, format)) return nullptr;
  SALIENT_CHECK(format.isString() && format.toStringRef() == kFormat,
                "{}: unsupported checkpoint format (expected '{}')", path, kFormat);
  const ModelSpec spec = spec_from_json(read_string(archive, kSpecKey, path), path);
  auto network = make_network(spec);
  const auto expected = tensor_shapes(*network);
  torch::serialize::InputArchive network_archive;
  try {
    SALIENT_CHECK(archive.try_read(kNetworkKey, network_archive), "{}: the checkpoint has no '{}' entry", path,
                  kNetworkKey);
    network->load(network_archive);
  } catch (const c10::Error& error) {
    throw Error(fmt::format("{}: the checkpoint does not match its {} spec ({})", path,
                            architecture_name(spec.architecture), error.what_without_backtrace()));
  }
  // Module::load replaces tensors whatever their shape: check them against the spec.
  for (const auto& [name, shape] : tensor_shapes(*network)) {
    const auto& wanted = expected.at(name);
    SALIENT_CHECK(shape == wanted, "{}: tensor '{}' has shape [{}], the spec needs [{}]", path, name,
                  fmt::join(shape, ", "), fmt::join(wanted, ", "));
  }
  network->eval();
  return std::make_unique<BuiltinClassifier>(std::move(network));
}

std::unique_ptr<BuiltinClassifier> load_checkpoint(const std::string& path) {
  auto classifier = load_checkpoint_if_salient(path);
  SALIENT_CHECK(classifier != nullptr, "{}: not a salient checkpoint (no '{}' entry)", path, kFormatKey);
  return classifier;
}

}  // namespace salient::models
