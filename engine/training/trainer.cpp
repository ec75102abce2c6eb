#include "engine/training/trainer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <chrono>

#include "engine/models/counter_uniform_tensor.h"
#include "engine/runtime/out_of_memory.h"
#include "engine/training/gradient_averager.h"
#include "engine/training/losses.h"
#include "engine/training/replica_checksum.h"
#include "salient/check.h"

namespace salient::training {
namespace {

// Augmented ROIs are resampled bilinearly; a pixel stays inside where at least half of it is.
constexpr double kRoiThreshold = 0.5;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::vector<std::int64_t> epoch_permutation(std::int64_t count, std::uint64_t seed, std::uint32_t round,
                                            std::int64_t epoch) {
  const std::uint64_t key =
      models::splitmix64(seed ^ models::splitmix64(round ^ models::splitmix64(static_cast<std::uint64_t>(epoch))));
  auto generator = at::make_generator<at::CPUGeneratorImpl>(key);
  const auto order = torch::randperm(count, generator, torch::kLong);
  return {order.data_ptr<std::int64_t>(), order.data_ptr<std::int64_t>() + count};
}

std::pair<std::int64_t, std::int64_t> rank_share(std::int64_t count, int rank, int ranks) {
  return {count * rank / ranks, count * (rank + 1) / ranks};
}

DataParallelTrainer::DataParallelTrainer(models::BuiltinClassifier& model, comm::Communicator& communicator,
                                         const TrainingOptions& options)
    : model_(model), communicator_(communicator), options_(options), parameters_(model.parameters()) {
  SALIENT_CHECK(options.batch_size >= 1, "the training batch must hold at least one image, not {}",
                options.batch_size);
  SALIENT_CHECK(options.rrr_lambda >= 0.0 && options.guidance_weight >= 0.0,
                "loss weights must not be negative (rrr_lambda {}, guidance_weight {})", options.rrr_lambda,
                options.guidance_weight);
  optimizer_ = std::make_unique<torch::optim::Adam>(
      parameters_,
      torch::optim::AdamOptions(options.learning_rate).betas(std::make_tuple(options.beta1, options.beta2)));
}

EpochReport DataParallelTrainer::train_epoch(const ExampleStore& examples, std::int64_t epoch) {
  const auto start = std::chrono::steady_clock::now();
  const int ranks = communicator_.size();
  GradientAverager averager(parameters_, communicator_);
  model_.train(true);
  const auto order = epoch_permutation(examples.size(), options_.augmentation.seed, options_.augmentation.round, epoch);
  EpochReport report;
  report.epoch = epoch;
  double loss_sum = 0.0;
  for (std::int64_t first = 0; first < examples.size(); first += options_.batch_size) {
    const std::int64_t batch = std::min(options_.batch_size, examples.size() - first);
    const auto [begin, end] = rank_share(batch, communicator_.rank(), ranks);
    optimizer_->zero_grad();
    if (end > begin) {
      const std::vector<std::int64_t> positions(order.begin() + first + begin, order.begin() + first + end);
      try {
        const auto losses = rank_loss(examples, positions, epoch);
        const auto total = losses.sum();
        (total * (static_cast<double>(ranks) / static_cast<double>(batch))).backward();
        loss_sum += total.item<double>();
      } catch (const std::exception& error) {
        if (!runtime::is_out_of_memory(error)) throw;
        runtime::throw_out_of_memory(
            error,
            fmt::format("fine-tuning on {} images of a step at {}×{} on {}", end - begin, model_.spec().input_size,
                        model_.spec().input_size, model_.device().str()),
            fmt::format("lower --train-batch-size (training.batch_size, now {} over {} rank(s)) or --input-size",
                        options_.batch_size, ranks));
      }
    }
    averager.average();
    optimizer_->step();
    ++report.steps;
  }
  model_.train(false);
  share_buffers_and_check();
  auto loss = torch::tensor({loss_sum}, torch::TensorOptions(torch::kDouble).device(model_.device()));
  communicator_.all_reduce(loss, comm::ReduceOp::sum);
  report.images = examples.size();
  report.mean_loss = examples.size() > 0 ? loss.item<double>() / static_cast<double>(examples.size()) : 0.0;
  report.all_reduce_seconds = averager.seconds();
  report.seconds = seconds_since(start);
  return report;
}

at::Tensor DataParallelTrainer::rank_loss(const ExampleStore& examples, const std::vector<std::int64_t>& positions,
                                          std::int64_t epoch) {
  const auto& spec = model_.spec();
  const auto device = model_.device();
  auto input = examples.inputs(positions, spec, device);
  // HITL's marks: the squares an expert marked where the image has them, else the cells
  // outside the pool's ROI; EG-AL's guidance: the ROI.
  const bool penalise_input_gradient = options_.rrr_lambda > 0.0 && (examples.has_roi() || examples.has_feedback());
  const bool guide = options_.guidance_weight > 0.0 && examples.has_roi();
  at::Tensor roi = (penalise_input_gradient || guide) && examples.has_roi()
                       ? examples.roi(positions, spec.input_size, device)
                       : at::Tensor();
  at::Tensor feedback, has_feedback;
  if (penalise_input_gradient && examples.has_feedback()) {
    std::tie(feedback, has_feedback) = examples.feedback_marks(positions, spec.input_size, device);
  }
  if (options_.augment) {
    // The masks take the image's own transform, then are made 0/1 again.
    const auto indices = examples.indices_of(positions).to(device);
    std::vector<at::Tensor> planes{input};
    for (const auto& mask : {roi, feedback}) {
      if (mask.defined()) planes.push_back(mask);
    }
    const auto moved = augment(torch::cat(planes, 1), indices, epoch, options_.augmentation);
    auto channel = input.size(1);
    input = moved.narrow(1, 0, channel).contiguous();
    for (auto* mask : {&roi, &feedback}) {
      if (mask->defined()) *mask = moved.narrow(1, channel++, 1).ge(kRoiThreshold).to(torch::kFloat);
    }
  }
  if (penalise_input_gradient) input.requires_grad_(true);
  at::Tensor trunk_output;
  at::Tensor logits;
  {
    runtime::AutocastScope autocast(device, options_.precision);
    trunk_output = model_.trunk(input);
    logits = model_.head(trunk_output);
  }
  const auto labels = examples.labels_of(positions, device);
  auto loss = classification_loss(logits, labels, spec.output);
  if (penalise_input_gradient) {
    auto marks =
        roi.defined() ? ignore_mask_from_roi(roi, options_.rrr_grid) : torch::zeros_like(input.narrow(1, 0, 1));
    if (feedback.defined()) marks = torch::where(has_feedback.view({-1, 1, 1, 1}), feedback, marks);
    loss = loss + options_.rrr_lambda * input_gradient_penalty(input, logits, marks, spec.output);
  }
  if (guide) {
    loss = loss + options_.guidance_weight * gradcam_outside_roi(trunk_output, logits, labels, roi);
  }
  return loss;
}

void DataParallelTrainer::share_buffers_and_check() {
  std::vector<at::Tensor> state = parameters_;
  torch::NoGradGuard no_grad;
  for (auto buffer : model_.network().buffers()) {
    communicator_.broadcast(buffer, 0);
    state.push_back(buffer);
  }
  check_replicas_identical(state, communicator_);
}

}  // namespace salient::training
