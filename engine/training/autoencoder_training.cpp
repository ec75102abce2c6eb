#include "engine/training/autoencoder_training.h"

#include <torch/torch.h>

#include "engine/training/gradient_averager.h"
#include "engine/training/replica_checksum.h"
#include "engine/training/trainer.h"
#include "salient/check.h"

namespace salient::training {

std::vector<double> train_autoencoder(models::SaliencyAutoencoder& autoencoder, const at::Tensor& maps,
                                      comm::Communicator& communicator, const AutoencoderTrainingOptions& options) {
  SALIENT_CHECK(options.epochs >= 0 && options.batch_size >= 1 && options.learning_rate > 0.0,
                "saliency autoencoder training: {} epochs, batches of {}, learning rate {}: expected epochs ≥ 0, "
                "batches ≥ 1 and a positive rate",
                options.epochs, options.batch_size, options.learning_rate);
  const std::int64_t count = maps.size(0);
  const int ranks = communicator.size();
  const auto parameters = autoencoder.parameters();
  torch::optim::Adam adam(parameters, torch::optim::AdamOptions(options.learning_rate));
  GradientAverager averager(parameters, communicator);
  std::vector<double> mean_errors;
  autoencoder.train(true);
  for (std::int64_t epoch = 0; epoch < options.epochs; ++epoch) {
    const auto order = epoch_permutation(count, options.seed, options.round, epoch);
    double error_sum = 0.0;
    for (std::int64_t first = 0; first < count; first += options.batch_size) {
      const std::int64_t batch = std::min(options.batch_size, count - first);
      const auto [begin, end] = rank_share(batch, communicator.rank(), ranks);
      adam.zero_grad();
      if (end > begin) {
        const auto positions = torch::tensor(std::vector<std::int64_t>(order.begin() + first + begin,
                                                                       order.begin() + first + end));
        const auto mine = maps.index_select(0, positions.to(maps.device()));
        const auto errors = models::reconstruction_errors(autoencoder.forward(mine), mine).sum();
        (errors * (static_cast<double>(ranks) / static_cast<double>(batch))).backward();
        error_sum += errors.item<double>();
      }
      averager.average();
      adam.step();
    }
    auto total = torch::tensor({error_sum}, torch::TensorOptions(torch::kDouble).device(maps.device()));
    communicator.all_reduce(total, comm::ReduceOp::sum);
    mean_errors.push_back(count > 0 ? total.item<double>() / static_cast<double>(count) : 0.0);
  }
  autoencoder.train(false);
  check_replicas_identical(parameters, communicator);
  return mean_errors;
}

at::Tensor encode_maps(models::SaliencyAutoencoder& autoencoder, const at::Tensor& maps, std::int64_t batch_size) {
  torch::NoGradGuard no_grad;
  std::vector<at::Tensor> codes;
  for (std::int64_t first = 0; first < maps.size(0); first += batch_size)
    codes.push_back(autoencoder.encode(maps.narrow(0, first, std::min(batch_size, maps.size(0) - first))));
  if (codes.empty()) return torch::empty({0, autoencoder.spec().latent}, maps.options());
  return torch::cat(codes);
}

}  // namespace salient::training
