#include "engine/training/distributed_prediction.h"

#include <torch/torch.h>

#include "engine/training/trainer.h"
#include "salient/check.h"

namespace salient::training {

at::Tensor predict_probabilities(models::Classifier& model, const ExampleStore& examples,
                                 comm::Communicator& communicator, std::int64_t batch_size,
                                 runtime::Precision precision) {
  SALIENT_CHECK(batch_size >= 1, "prediction batches need at least one image, not {}", batch_size);
  const int ranks = communicator.size();
  const auto classes = model.spec().classes;
  const auto device = model.device();
  const auto [first, last] = rank_share(examples.size(), communicator.rank(), ranks);
  // Every rank sends the same shape: its part, padded to the largest part.
  const std::int64_t padded = (examples.size() + ranks - 1) / ranks;
  auto mine = torch::zeros({padded, classes}, torch::TensorOptions(torch::kFloat).device(device));
  model.train(false);
  torch::NoGradGuard no_grad;
  for (std::int64_t start = first; start < last; start += batch_size) {
    const std::int64_t end = std::min(last, start + batch_size);
    std::vector<std::int64_t> positions(static_cast<std::size_t>(end - start));
    for (std::int64_t i = start; i < end; ++i) positions[static_cast<std::size_t>(i - start)] = i;
    at::Tensor logits;
    {
      runtime::AutocastScope autocast(device, precision);
      logits = model.logits(examples.inputs(positions, model.spec(), device));
    }
    mine.narrow(0, start - first, end - start).copy_(models::probabilities_from_logits(logits.to(torch::kFloat),
                                                                                       model.spec().output));
  }
  auto all = communicator.gather(mine, 0);
  if (communicator.rank() != 0) all = torch::empty({ranks, padded, classes}, mine.options());
  communicator.broadcast(all, 0);
  std::vector<at::Tensor> parts;
  for (int rank = 0; rank < ranks; ++rank) {
    const auto [part_first, part_last] = rank_share(examples.size(), rank, ranks);
    parts.push_back(all[rank].narrow(0, 0, part_last - part_first));
  }
  return torch::cat(parts).to(torch::kCPU).contiguous();
}

}  // namespace salient::training
