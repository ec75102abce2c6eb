// `salient import-weights` against the models the weights come from, on the same images:
// tests/engine/reference/import_weights_reference.py runs torchxrayvision's DenseNet and
// torchvision's DenseNet-121 and ResNet-50. Each import is saved as a checkpoint and loaded
// back, and its images go through model_input with the checkpoint's own spec, so the
// recorded input convention is what is tested.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>
#include <vector>

#include "engine/models/checkpoint.h"
#include "engine/models/model_choice.h"
#include "engine/models/model_input.h"
#include "engine/models/weights_import.h"
#include "salient/check.h"
#include "support/temp_dir.h"
#include "test_models_reference.h"

namespace salient {
namespace {

using models::Architecture;
using models::WeightsSource;

const std::vector<std::string> kNihFindings = {
    "Atelectasis", "Cardiomegaly", "Effusion",           "Infiltration",  "Mass",
    "Nodule",      "Pneumonia",    "Pneumothorax",       "Consolidation", "Edema",
    "Emphysema",   "Fibrosis",     "Pleural_Thickening", "Hernia"};

// float32 through the same LibTorch kernels; only the summed RGB kernel differs in order.
constexpr double kTolerance = 1e-5;

// Logits of the reference images through the imported, saved and reloaded checkpoint.
at::Tensor imported_logits(const models::WeightsImport& request, const std::string& checkpoint) {
  auto imported = models::import_weights(request);
  models::save_checkpoint(*imported, checkpoint);
  auto model = models::load_checkpoint(checkpoint);
  const auto pixels = testing::models_reference_tensor<std::uint8_t>("import_weights_reference.h5", "images");
  torch::NoGradGuard no_grad;
  const auto input = models::model_input(pixels.data_ptr(), io::PixelType::uint8, pixels.size(0), pixels.size(1),
                                         pixels.size(2), model->spec(), c10::Device(c10::kCPU));
  return model->logits(input);
}

models::WeightsImport request_of(WeightsSource source, const std::string& file, Architecture architecture) {
  models::WeightsImport request;
  request.source = source;
  request.path = testing::models_reference_path(file);
  request.architecture = architecture;
  return request;
}

TEST(WeightsImport, TorchxrayvisionDenseNetGivesItsLogitsForTheNihFindings) {
  salient::testing::TempDir temp;
  auto request = request_of(WeightsSource::torchxrayvision, "import_xrv_densenet.pt", Architecture::densenet121);
  request.labels = kNihFindings;
  const auto logits = imported_logits(request, temp / "xrv.pt");
  const auto expected = testing::models_reference_tensor<float>("import_weights_reference.h5", "xrv_densenet/nih_logits");
  EXPECT_LT(testing::scaled_max_difference(logits, expected), kTolerance);
  const auto model = models::load_checkpoint(temp / "xrv.pt");
  EXPECT_EQ(model->spec().labels, kNihFindings);
  EXPECT_EQ(model->spec().input_size, 224);
  EXPECT_DOUBLE_EQ(model->spec().normalisation.of(0.0), -1024.0);  // xrv.utils.normalize: (2u − 1)·1024
  EXPECT_DOUBLE_EQ(model->spec().normalisation.of(1.0), 1024.0);
}

TEST(WeightsImport, TorchxrayvisionDenseNetKeepsAll18OutputsByDefault) {
  salient::testing::TempDir temp;
  const auto logits = imported_logits(
      request_of(WeightsSource::torchxrayvision, "import_xrv_densenet.pt", Architecture::densenet121), temp / "a.pt");
  const auto expected = testing::models_reference_tensor<float>("import_weights_reference.h5", "xrv_densenet/logits");
  EXPECT_LT(testing::scaled_max_difference(logits, expected), kTolerance);
  EXPECT_EQ(models::load_checkpoint(temp / "a.pt")->spec().labels, models::torchxrayvision_labels());
}

TEST(WeightsImport, TorchvisionDenseNet121AndResNet50GiveTheirLogits) {
  salient::testing::TempDir temp;
  for (const auto& [name, architecture] :
       {std::pair{std::string("densenet121"), Architecture::densenet121}, {"resnet50", Architecture::resnet50}}) {
    const auto logits = imported_logits(
        request_of(WeightsSource::torchvision, "import_tv_" + name + ".pt", architecture), temp / (name + ".pt"));
    const auto expected = testing::models_reference_tensor<float>("import_weights_reference.h5", "tv_" + name + "/logits");
    EXPECT_LT(testing::scaled_max_difference(logits, expected), kTolerance) << name;
    EXPECT_TRUE(models::load_checkpoint(temp / (name + ".pt"))->spec().labels.empty()) << name;
  }
}

TEST(WeightsImport, LabelsPickOutputsByPositionForTorchvision) {
  salient::testing::TempDir temp;
  auto request = request_of(WeightsSource::torchvision, "import_tv_resnet50.pt", Architecture::resnet50);
  request.labels = {"3", "0"};
  const auto logits = imported_logits(request, temp / "r.pt");
  const auto all = testing::models_reference_tensor<float>("import_weights_reference.h5", "tv_resnet50/logits");
  EXPECT_LT(testing::scaled_max_difference(logits, all.index_select(1, torch::tensor({3, 0}))), kTolerance);
}

TEST(WeightsImport, WrongLabelsArchitecturesAndPoolsAreRefusedByName) {
  auto unknown = request_of(WeightsSource::torchxrayvision, "import_xrv_densenet.pt", Architecture::densenet121);
  unknown.labels = {"Atelectasis", "Infiltrate"};
  EXPECT_THROW(
      {
        try {
          models::import_weights(unknown);
        } catch (const Error& error) {
          EXPECT_NE(std::string(error.what()).find("no output is called 'Infiltrate' (its outputs: Atelectasis, "),
                    std::string::npos)
              << error.what();
          throw;
        }
      },
      Error);
  EXPECT_THROW(models::import_weights(request_of(WeightsSource::torchxrayvision, "import_xrv_densenet.pt",
                                                 Architecture::resnet50)),
               Error);
  EXPECT_THROW(models::import_weights(request_of(WeightsSource::torchvision, "import_tv_densenet121.pt",
                                                 Architecture::resnet50)),
               Error);
  // A checkpoint whose outputs are named is opened only for a pool labelled the same.
  salient::testing::TempDir temp;
  auto request = request_of(WeightsSource::torchxrayvision, "import_xrv_densenet.pt", Architecture::densenet121);
  request.labels = {"Effusion", "Nodule"};
  models::save_checkpoint(*models::import_weights(request), temp / "two.pt");
  models::ModelChoice choice;
  choice.model = temp / "two.pt";
  EXPECT_NO_THROW(models::open_model(choice, {"Effusion", "Nodule"}, c10::Device(c10::kCPU)));
  EXPECT_THROW(models::open_model(choice, {"Nodule", "Effusion"}, c10::Device(c10::kCPU)), Error);
}

}  // namespace
}  // namespace salient
