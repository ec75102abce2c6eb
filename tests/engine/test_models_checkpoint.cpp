// salient checkpoints: a bit-exact round trip of parameters, buffers, spec and outputs, and
// errors that name the file.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "engine/models/checkpoint.h"
#include "engine/models/model_factory.h"
#include "salient/check.h"
#include "support/flat_temp_dir.h"
#include "test_models_reference.h"

namespace salient {
namespace {

using models::Architecture;

class ModelsCheckpoint : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return directory_ / name; }

  testing::FlatTempDir directory_;
};

void expect_error_naming(const std::string& path) {
  try {
    models::load_checkpoint(path);
    FAIL() << "expected salient::Error for " << path;
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
  }
}

TEST_F(ModelsCheckpoint, RoundTripIsBitExact) {
  auto spec = testing::spec_of(Architecture::resnet18, 1, 3, 32);
  spec.wildcat = {true, 3, 2, 1, 0.4};
  spec.head_dropout = 0.2;
  auto model = std::make_unique<models::BuiltinClassifier>(models::make_network(spec));
  // Batch-norm statistics as training leaves them, not their initial values.
  model->train(true);
  {
    torch::NoGradGuard no_grad;
    for (int step = 0; step < 2; ++step) model->logits(torch::randn({4, 1, 32, 32}));
  }
  model->train(false);
  models::save_checkpoint(*model, path("model.pt"));
  auto loaded = models::load_checkpoint(path("model.pt"));

  EXPECT_EQ(models::spec_to_json(loaded->spec()), models::spec_to_json(spec));
  auto& saved_network = model->network();
  auto& loaded_network = loaded->network();
  const auto parameters = loaded_network.named_parameters();
  for (const auto& item : saved_network.named_parameters()) {
    ASSERT_TRUE(parameters.contains(item.key())) << item.key();
    EXPECT_TRUE(torch::equal(parameters[item.key()], item.value())) << item.key();
  }
  const auto buffers = loaded_network.named_buffers();
  for (const auto& item : saved_network.named_buffers()) {
    ASSERT_TRUE(buffers.contains(item.key())) << item.key();
    EXPECT_TRUE(torch::equal(buffers[item.key()], item.value())) << item.key();
  }
  torch::NoGradGuard no_grad;
  const auto input = torch::randn({2, 1, 32, 32});
  EXPECT_TRUE(torch::equal(loaded->logits(input), model->logits(input)));
  auto through_factory = models::load_classifier(path("model.pt"), torch::kCPU);
  EXPECT_TRUE(torch::equal(through_factory->logits(input), model->logits(input)));
  // Nothing but the checkpoint is left in the directory (no temporary file).
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(directory_.path()), std::filesystem::directory_iterator()), 1);
}

TEST_F(ModelsCheckpoint, MissingCorruptAndTruncatedFilesAreNamed) {
  expect_error_naming(path("missing.pt"));

  std::ofstream(path("garbage.pt")) << "this is not a checkpoint";
  expect_error_naming(path("garbage.pt"));

  auto model = models::make_classifier(testing::spec_of(Architecture::small_cnn, 1, 2, 32), 1);
  models::save_checkpoint(*model, path("whole.pt"));
  const auto size = std::filesystem::file_size(path("whole.pt"));
  std::filesystem::copy_file(path("whole.pt"), path("truncated.pt"));
  std::filesystem::resize_file(path("truncated.pt"), size / 2);
  expect_error_naming(path("truncated.pt"));
}

TEST_F(ModelsCheckpoint, ATensorOfTheWrongShapeIsNamed) {
  // A checkpoint whose spec says 5 classes but whose head has 2: the file was tampered with.
  auto two_classes = models::make_classifier(testing::spec_of(Architecture::small_cnn, 1, 2, 32), 1);
  auto& network = dynamic_cast<models::BuiltinClassifier&>(*two_classes).network();
  torch::serialize::OutputArchive network_archive;
  network.save(network_archive);
  torch::serialize::OutputArchive archive;
  archive.write("salient_format", c10::IValue(std::string("salient-checkpoint-1")));
  archive.write("salient_spec", c10::IValue(models::spec_to_json(testing::spec_of(Architecture::small_cnn, 1, 5, 32))));
  archive.write("network", network_archive);
  archive.save_to(path("tampered.pt"));
  try {
    models::load_checkpoint(path("tampered.pt"));
    FAIL() << "expected salient::Error";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(path("tampered.pt")), std::string::npos) << message;
    EXPECT_NE(message.find("'classifier."), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace salient
