#include "engine/training/training_state.h"

#include <torch/torch.h>

#include <filesystem>

#include "engine/runtime/archive_file.h"
#include "salient/check.h"

namespace salient::training {
namespace {

constexpr const char* kFormat = "salient-training-state-1";

c10::IValue read_entry(torch::serialize::InputArchive& archive, const char* key, const std::string& path) {
  c10::IValue value;
  SALIENT_CHECK(archive.try_read(key, value), "{}: the training state has no '{}' entry", path, key);
  return value;
}

}  // namespace

void save_training_state(const std::string& path, models::BuiltinClassifier& model, torch::optim::Adam& optimizer,
                         std::int64_t epochs_done, const std::string& fingerprint) {
  torch::serialize::OutputArchive network;
  model.network().save(network);
  torch::serialize::OutputArchive moments;
  optimizer.save(moments);
  torch::serialize::OutputArchive archive;
  archive.write("salient_format", c10::IValue(std::string(kFormat)));
  archive.write("fingerprint", c10::IValue(fingerprint));
  archive.write("epochs_done", c10::IValue(epochs_done));
  archive.write("network", network);
  archive.write("optimizer", moments);
  runtime::write_archive_atomically(archive, path, "the training state");
}

std::int64_t load_training_state(const std::string& path, models::BuiltinClassifier& model,
                                 torch::optim::Adam& optimizer, const std::string& fingerprint) {
  SALIENT_CHECK(std::filesystem::is_regular_file(path), "{}: no training state", path);
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path, model.device());
    const auto format = read_entry(archive, "salient_format", path);
    SALIENT_CHECK(format.isString() && format.toStringRef() == kFormat, "{}: not a salient training state", path);
    const auto stored = read_entry(archive, "fingerprint", path);
    SALIENT_CHECK(stored.isString() && stored.toStringRef() == fingerprint,
                  "{}: this training state was written for other labels or options; remove it to start the step "
                  "again\n  stored:  {}\n  now:     {}",
                  path, stored.isString() ? stored.toStringRef() : "?", fingerprint);
    torch::serialize::InputArchive network;
    SALIENT_CHECK(archive.try_read("network", network), "{}: the training state has no network", path);
    model.network().load(network);
    torch::serialize::InputArchive moments;
    SALIENT_CHECK(archive.try_read("optimizer", moments), "{}: the training state has no optimizer", path);
    optimizer.load(moments);
    return read_entry(archive, "epochs_done", path).toInt();
  } catch (const c10::Error& error) {
    throw Error(fmt::format("{}: unreadable training state ({})", path, error.what_without_backtrace()));
  }
}

}  // namespace salient::training
