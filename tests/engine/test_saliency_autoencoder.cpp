// IDEAL's saliency autoencoder against the same network in PyTorch (forward, and Adam steps
// on one full batch), data-parallel training on two ranks against one, learning on maps with
// structure, saving and loading, and bad input.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <thread>

#include "engine/comm/communicator.h"
#include "engine/models/saliency_autoencoder.h"
#include "engine/models/torch_save_file.h"
#include "engine/training/autoencoder_training.h"
#include "salient/check.h"
#include "test_models_reference.h"

namespace salient {
namespace {

constexpr const char* kReference = "autoencoder_reference.h5";

std::shared_ptr<models::SaliencyAutoencoder> pytorch_initial_autoencoder() {
  auto autoencoder = std::make_shared<models::SaliencyAutoencoder>(models::AutoencoderSpec{32, 8}, 0);
  const auto path = testing::models_reference_path("autoencoder_state_dict.pt");
  models::load_autoencoder_state(*autoencoder, models::read_torch_save_tensors(path), path);
  return autoencoder;
}

TEST(SaliencyAutoencoder, EncodesAndDecodesAsPyTorch) {
  auto autoencoder = pytorch_initial_autoencoder();
  const auto maps = testing::models_reference_tensor<float>(kReference, "maps");
  torch::NoGradGuard no_grad;
  const auto codes = autoencoder->encode(maps);
  EXPECT_LT(testing::scaled_max_difference(codes, testing::models_reference_tensor<float>(kReference, "codes")), 1e-5);
  EXPECT_LT(testing::scaled_max_difference(autoencoder->decode(codes),
                                           testing::models_reference_tensor<float>(kReference, "reconstructions")),
            1e-5);
}

training::AutoencoderTrainingOptions full_batch_steps(std::int64_t steps, std::int64_t maps) {
  training::AutoencoderTrainingOptions options;
  options.epochs = steps;
  options.batch_size = maps;
  options.learning_rate = 1e-3;
  return options;
}

TEST(SaliencyAutoencoder, AdamStepsOnOneBatchFollowPyTorch) {
  auto autoencoder = pytorch_initial_autoencoder();
  const auto maps = testing::models_reference_tensor<float>(kReference, "maps");
  auto communicators = comm::make_in_process_communicators(1);
  const auto errors = training::train_autoencoder(*autoencoder, maps, *communicators[0], full_batch_steps(3, 12));
  const auto losses = testing::models_reference_tensor<double>(kReference, "losses");
  ASSERT_EQ(errors.size(), 3u);
  for (std::size_t step = 0; step < 3; ++step)
    EXPECT_NEAR(errors[step], losses[static_cast<std::int64_t>(step)].item<double>(), 1e-6 * errors[step]) << step;
  for (const auto& item : autoencoder->named_parameters())
    EXPECT_LT(testing::scaled_max_difference(
                  item.value(), testing::models_reference_tensor<float>(kReference, "trained/" + item.key())),
              1e-5)
        << item.key();
}

TEST(SaliencyAutoencoder, TwoRanksKeepIdenticalReplicasThatFollowOneRank) {
  const auto maps = testing::models_reference_tensor<float>(kReference, "maps");
  auto options = full_batch_steps(4, 5);  // batches of 5, 5 and 2 maps: uneven shares
  options.seed = 3;
  auto one = pytorch_initial_autoencoder();
  auto single = comm::make_in_process_communicators(1);
  const auto one_errors = training::train_autoencoder(*one, maps, *single[0], options);

  std::vector<std::shared_ptr<models::SaliencyAutoencoder>> replicas = {pytorch_initial_autoencoder(),
                                                                        pytorch_initial_autoencoder()};
  std::vector<std::vector<double>> errors(2);
  auto communicators = comm::make_in_process_communicators(2);
  std::vector<std::thread> threads;
  for (int r = 0; r < 2; ++r)
    threads.emplace_back([&, r] { errors[r] = training::train_autoencoder(*replicas[r], maps, *communicators[r], options); });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors[0], errors[1]);
  const auto first = replicas[0]->parameters();
  const auto second = replicas[1]->parameters();
  const auto reference = one->parameters();
  for (std::size_t p = 0; p < first.size(); ++p) {
    EXPECT_TRUE(torch::equal(first[p], second[p])) << "parameter " << p;
    EXPECT_LT(testing::scaled_max_difference(first[p], reference[p]), 1e-5) << "parameter " << p;
  }
  for (std::size_t e = 0; e < one_errors.size(); ++e) EXPECT_NEAR(errors[0][e], one_errors[e], 1e-6) << e;
}

TEST(SaliencyAutoencoder, LearnsToReconstructMapsWithStructure) {
  // Gaussian spots at 48 positions on 32 × 32 maps: the error falls well below the first
  // epoch's, and the codes of two maps with the same spot are nearer than those of two far
  // apart spots.
  const std::int64_t size = 32;
  const auto grid = torch::arange(size, torch::kFloat);
  std::vector<at::Tensor> spots;
  for (int k = 0; k < 48; ++k) {
    const double cy = 4.0 + (k % 8) * 3.4, cx = 4.0 + (k / 8) * 4.5;
    const auto dy = (grid - cy).pow(2).view({size, 1});
    const auto dx = (grid - cx).pow(2).view({1, size});
    spots.push_back(torch::exp(-(dy + dx) / 18.0).unsqueeze(0));
  }
  const auto maps = torch::stack(spots);
  models::SaliencyAutoencoder autoencoder({size, 8}, 11);
  auto communicators = comm::make_in_process_communicators(1);
  training::AutoencoderTrainingOptions options;
  options.epochs = 25;
  options.batch_size = 16;
  options.learning_rate = 5e-3;
  const auto errors = training::train_autoencoder(autoencoder, maps, *communicators[0], options);
  EXPECT_LT(errors.back(), 0.25 * errors.front()) << errors.front() << " → " << errors.back();
  const auto codes = training::encode_maps(autoencoder, maps, 7);
  ASSERT_EQ(codes.sizes(), (std::vector<std::int64_t>{48, 8}));
  torch::NoGradGuard no_grad;
  EXPECT_TRUE(torch::equal(codes, autoencoder.encode(maps)));
  const double near = (codes[0] - codes[1]).norm().item<double>();   // neighbouring spots
  const double far = (codes[0] - codes[47]).norm().item<double>();   // opposite corners
  EXPECT_LT(near, far);
}

TEST(SaliencyAutoencoder, SavesAndLoadsBitForBit) {
  auto autoencoder = pytorch_initial_autoencoder();
  const auto path = (std::filesystem::temp_directory_path() / "salient-autoencoder-test.pt").string();
  models::save_autoencoder(*autoencoder, path);
  const auto loaded = models::load_autoencoder(path);
  std::filesystem::remove(path);
  EXPECT_EQ(loaded->spec().map_size, 32);
  EXPECT_EQ(loaded->spec().latent, 8);
  const auto saved = autoencoder->parameters();
  const auto read = loaded->parameters();
  ASSERT_EQ(saved.size(), read.size());
  for (std::size_t p = 0; p < saved.size(); ++p) EXPECT_TRUE(torch::equal(saved[p], read[p])) << p;
}

TEST(SaliencyAutoencoder, RefusesBadSpecsInputsAndFiles) {
  EXPECT_THROW(models::SaliencyAutoencoder({30, 8}, 0), Error);
  EXPECT_THROW(models::SaliencyAutoencoder({32, 0}, 0), Error);
  models::SaliencyAutoencoder autoencoder({32, 8}, 0);
  EXPECT_THROW(autoencoder.encode(torch::zeros({2, 1, 64, 64})), Error);
  EXPECT_THROW(models::load_autoencoder("/nonexistent/autoencoder.pt"), Error);
  // A torch.save state_dict is not a saved autoencoder.
  EXPECT_THROW(models::load_autoencoder(testing::models_reference_path("autoencoder_state_dict.pt")), Error);
  auto tensors = models::read_torch_save_tensors(testing::models_reference_path("autoencoder_state_dict.pt"));
  tensors["conv1.weight"] = torch::zeros({16, 1, 5, 5});
  EXPECT_THROW(models::load_autoencoder_state(autoencoder, tensors, "misshapen"), Error);
  tensors.erase("conv1.weight");
  EXPECT_THROW(models::load_autoencoder_state(autoencoder, tensors, "missing"), Error);
}

}  // namespace
}  // namespace salient
