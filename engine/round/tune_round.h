// `salient tune`: after round R's labels, one data-parallel fine-tuning step on every rank
// of the job (training/trainer.h) makes round R+1's model, and the validation split
// evaluates it (DESIGN.md "Data flow of one round"). ACFT's fine-tuning strategies (Zhou et
// al., Table 2) choose where it starts and what it trains on:
//   rft, aft  from round 0's model, on every label so far (rft is aft after random selection)
//   acft-q    from round R's model, on round R's new labels
//   acft-lq   from round R's model, on every label so far
//   acft-hq   from round R's model, on the new labels and the older ones it misclassifies
//             (ACFT's choice: "continual fine-tuning on new ∪ misclassified")
// Files of rounds/R+1 (each written whole by rank 0):
//   training-state.pt  after every epoch (training/training_state.h): a killed job resumes there
//   training.json      the epochs: loss, images/s, all-reduce share
//   model.pt           the fine-tuned model (models/checkpoint.h); the training state is then removed
//   metrics.json       its AUC per label, mean AUC and accuracy on the validation split
// A rerun skips what exists, so killing the job at any point and running it again gives the
// same model and metrics as an uninterrupted run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/comm/communicator.h"
#include "engine/comm/mpi_session.h"
#include "engine/round/study_config.h"
#include "engine/runtime/device.h"
#include "engine/training/evaluation.h"
#include "engine/training/example_store.h"
#include "engine/training/trainer.h"

namespace salient::round {


/// Writes round 0's model (the study's model.model: a built-in architecture with seeded or
/// given weights, or a salient checkpoint) as rounds/000/model.pt unless it exists. Rank 0.
void write_initial_model(const StudyConfig& config, const std::string& study_dir, const io::PoolManifest& manifest);

/// What every rank of a job shares while it fine-tunes and evaluates.
struct TuneContext {
  const comm::MpiSession& mpi;
  comm::Communicator& communicator;
  c10::Device device;
  const training::ExampleStore& validation;  ///< the study's validation split, read once
};

/// Opens the job's device and communicator and reads the validation split (collective).
struct TuneResources {
  c10::Device device;
  std::unique_ptr<comm::Communicator> communicator;
  training::ExampleStore validation;
};
TuneResources open_tune_resources(const StudyConfig& config, const std::string& study_dir,
                                  runtime::DeviceChoice device, const comm::MpiSession& mpi);

struct RoundMetrics {
  std::uint32_t round = 0;
  std::int64_t labels = 0;  ///< labels the model learnt from (those of rounds before this one)
  training::LabelMetrics validation;
  std::int64_t validation_images = 0;
};

/// The metrics of @p model (on the context's device) on the validation split. A collective.
training::LabelMetrics validation_metrics(models::Classifier& model, const StudyConfig& config,
                                          const TuneContext& context);

/// Evaluates rounds/RRR/model.pt on the validation split and writes metrics.json (rank 0),
/// unless it exists; every rank returns the metrics. A collective.
RoundMetrics evaluate_round(const StudyConfig& config, const std::string& study_dir, std::uint32_t round,
                            const TuneContext& context);

struct TuneReport {
  std::uint32_t round = 0;  ///< the labels' round; the model made is round + 1's
  bool already_done = false;
  std::int64_t trained_images = 0;
  std::int64_t feedback_images = 0;  ///< of them, those with squares marked on the review page
  std::int64_t first_epoch = 0;  ///< > 0 when resumed from a training state
  std::vector<training::EpochReport> epochs;
  RoundMetrics metrics;
  double seconds = 0.0;
};

/// Fine-tunes on round @p round's labels and evaluates the result. A collective.
TuneReport tune_round(const StudyConfig& config, const std::string& study_dir, std::uint32_t round,
                      const TuneContext& context);

/// The training options of @p config for @p round on @p device.
training::TrainingOptions training_options_of(const StudyConfig& config, std::uint32_t round,
                                              const c10::Device& device);

}  // namespace salient::round
