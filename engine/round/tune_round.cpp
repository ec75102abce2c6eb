#include "engine/round/tune_round.h"

#include <torch/torch.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "engine/comm/mpi_collectives.h"
#include "engine/models/checkpoint.h"
#include "engine/round/deep_levels.h"
#include "engine/round/score_round.h"
#include "engine/round/study_feedback.h"
#include "engine/round/study_labels.h"
#include "engine/round/study_model.h"
#include "engine/runtime/threads.h"
#include "engine/training/distributed_prediction.h"
#include "engine/training/training_state.h"
#include "salient/check.h"
#include "salient/io/atomic_file.h"
#include "salient/io/study_dir.h"

namespace salient::round {
namespace {

namespace fs = std::filesystem;

nlohmann::json read_json(const std::string& path) {
  std::ifstream input(path);
  SALIENT_CHECK(input, "cannot read '{}'", path);
  const auto json = nlohmann::json::parse(input, nullptr, false);
  SALIENT_CHECK(!json.is_discarded(), "'{}' is not valid JSON", path);
  return json;
}

// NaN (an AUC the split cannot define) as JSON null and back.
nlohmann::json number_or_null(double value) { return std::isnan(value) ? nlohmann::json() : nlohmann::json(value); }
double number_of(const nlohmann::json& value) {
  return value.is_null() ? std::numeric_limits<double>::quiet_NaN() : value.get<double>();
}

nlohmann::json metrics_json(const RoundMetrics& metrics, const std::vector<std::string>& label_names) {
  nlohmann::json auc = nlohmann::json::object();
  for (std::size_t c = 0; c < label_names.size(); ++c) auc[label_names[c]] = number_or_null(metrics.validation.auc[c]);
  return {{"round", metrics.round},
          {"labels", metrics.labels},
          {"validation",
           {{"images", metrics.validation_images},
            {"mean_auc", number_or_null(metrics.validation.mean_auc)},
            {"accuracy", metrics.validation.accuracy},
            {"auc", auc}}}};
}

RoundMetrics metrics_from_json(const nlohmann::json& json, const std::vector<std::string>& label_names) {
  RoundMetrics metrics;
  metrics.round = json.at("round").get<std::uint32_t>();
  metrics.labels = json.at("labels").get<std::int64_t>();
  const auto& validation = json.at("validation");
  metrics.validation_images = validation.at("images").get<std::int64_t>();
  metrics.validation.mean_auc = number_of(validation.at("mean_auc"));
  metrics.validation.accuracy = validation.at("accuracy").get<double>();
  for (const auto& name : label_names) metrics.validation.auc.push_back(number_of(validation.at("auc").at(name)));
  return metrics;
}

std::int64_t labels_before(const io::LabelTable& table, std::uint32_t round) {
  std::int64_t count = 0;
  for (const auto& row : table.rows) count += row.round < round ? 1 : 0;
  return count;
}

// Misclassified by the probabilities: a known label on the wrong side of 0.5 (multi-label),
// or an argmax that is not the positive label (multi-class).
bool misclassified(const float* probabilities, const std::vector<std::int8_t>& labels, models::OutputKind kind) {
  if (kind == models::OutputKind::multi_label) {
    for (std::size_t c = 0; c < labels.size(); ++c) {
      if (labels[c] >= 0 && (probabilities[c] >= 0.5f) != (labels[c] == 1)) return true;
    }
    return false;
  }
  const auto argmax = std::max_element(probabilities, probabilities + labels.size()) - probabilities;
  return labels[static_cast<std::size_t>(argmax)] != 1;
}

struct TrainingSet {
  std::vector<std::int64_t> indices;
  std::vector<std::vector<std::int8_t>> labels;
  std::int64_t new_images = 0;
  std::int64_t earlier_images = 0;  ///< older labels retrained on (all, or the misclassified)
};

at::Tensor label_tensor(const std::vector<std::vector<std::int8_t>>& rows, std::int64_t classes) {
  auto labels = torch::empty({static_cast<std::int64_t>(rows.size()), classes}, torch::kInt8);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::copy(rows[i].begin(), rows[i].end(), labels.data_ptr<std::int8_t>() + i * classes);
  }
  return labels;
}

// The fine-tuning strategy's training set for round @p round, from labels.csv.
TrainingSet choose_training_set(const StudyConfig& config, const std::string& study_dir, std::uint32_t round,
                                const io::Pool& pool, models::Classifier& start, const TuneContext& context) {
  const auto table = read_study_labels(study_dir, pool.manifest());
  const auto id_index = pool.id_index();
  const auto classes = static_cast<std::int64_t>(pool.manifest().label_names.size());
  TrainingSet set;
  std::vector<std::int64_t> earlier_indices;
  std::vector<std::vector<std::int8_t>> earlier_labels;
  for (const auto& row : table.rows) {
    if (row.round > round) continue;
    const auto found = id_index.find(row.id);
    SALIENT_CHECK(found != id_index.end(), "{}: image '{}' is not in the pool '{}'", io::StudyDir(study_dir).labels(), row.id,
                  pool.dir());
    if (row.round == round) {
      set.indices.push_back(found->second);
      set.labels.push_back(row.labels);
    } else {
      earlier_indices.push_back(found->second);
      earlier_labels.push_back(row.labels);
    }
  }
  set.new_images = static_cast<std::int64_t>(set.indices.size());
  SALIENT_CHECK(set.new_images > 0, "round {} of '{}' has no labels to fine-tune on ({})", round, study_dir,
                io::StudyDir(study_dir).labels());
  std::vector<bool> keep(earlier_indices.size(), config.training.fine_tuning != "acft-q");
  if (config.training.fine_tuning == "acft-hq" && !earlier_indices.empty()) {
    const auto earlier = training::ExampleStore::read(pool, earlier_indices, label_tensor(earlier_labels, classes));
    const auto probabilities =
        training::predict_probabilities(start, earlier, context.communicator, config.training.options.batch_size,
                                        runtime::Precision::fp32);
    for (std::size_t i = 0; i < earlier_indices.size(); ++i) {
      keep[i] = misclassified(probabilities[static_cast<std::int64_t>(i)].data_ptr<float>(), earlier_labels[i],
                              start.spec().output);
    }
  }
  for (std::size_t i = 0; i < earlier_indices.size(); ++i) {
    if (!keep[i]) continue;
    set.indices.push_back(earlier_indices[i]);
    set.labels.push_back(earlier_labels[i]);
    ++set.earlier_images;
  }
  return set;
}

// What a training state belongs to: a resumed step must train the same thing the same way.
std::string training_fingerprint(const StudyConfig& config, std::uint32_t round, const std::string& start_model,
                                 const TrainingSet& set) {
  std::string images;
  for (std::size_t i = 0; i < set.indices.size(); ++i) {
    images += std::to_string(set.indices[i]) + ":";
    for (const auto label : set.labels[i]) images += std::to_string(label) + ",";
  }
  const nlohmann::json json{{"round", round},
                            {"start", start_model},
                            {"fine_tuning", config.training.fine_tuning},
                            {"epochs", config.training.epochs},
                            {"batch_size", config.training.options.batch_size},
                            {"learning_rate", config.training.options.learning_rate},
                            {"betas", {config.training.options.beta1, config.training.options.beta2}},
                            {"augment", config.training.options.augment},
                            {"precision", runtime::precision_name(config.training.options.precision)},
                            {"rrr", {config.training.options.rrr_lambda, config.training.options.rrr_grid}},
                            {"guidance_weight", config.training.options.guidance_weight},
                            {"seed", config.scoring.seed},
                            {"images", std::to_string(std::hash<std::string>{}(images))}};
  return json.dump();
}

nlohmann::json epoch_json(const training::EpochReport& epoch) {
  return {{"epoch", epoch.epoch},
          {"images", epoch.images},
          {"steps", epoch.steps},
          {"mean_loss", epoch.mean_loss},
          {"seconds", epoch.seconds},
          {"images_per_second", epoch.seconds > 0 ? static_cast<double>(epoch.images) / epoch.seconds : 0.0},
          {"all_reduce_share", epoch.seconds > 0 ? epoch.all_reduce_seconds / epoch.seconds : 0.0}};
}

}  // namespace

void write_initial_model(const StudyConfig& config, const std::string& study_dir, const io::PoolManifest& manifest) {
  const std::string path = io::StudyDir(study_dir).model(0);
  if (fs::exists(path)) return;
  fs::create_directories(io::StudyDir(study_dir).round(0));
  auto model = open_study_model(config, manifest, c10::Device(c10::kCPU));
  SALIENT_CHECK(dynamic_cast<models::BuiltinClassifier*>(model.get()) != nullptr,
                "fine-tuning needs a built-in architecture or a salient checkpoint as model.model, not the "
                "TorchScript file '{}'",
                config.model.model);
  models::save_checkpoint(*model, path);
}

TuneResources open_tune_resources(const StudyConfig& config, const std::string& study_dir,
                                  runtime::DeviceChoice device_choice, const comm::MpiSession& mpi) {
  const c10::Device device = runtime::resolve_device(device_choice, mpi.local_rank());
  runtime::configure_cpu_threads(config.scoring.threads, mpi.local_size());
  const io::Pool pool = io::Pool::open(config.pool.directory);
  std::string text;
  if (mpi.rank() == 0) text = nlohmann::json(study_validation_split(study_dir, pool, config)).dump();
  const auto indices = nlohmann::json::parse(comm::broadcast_string(text, 0)).get<std::vector<std::int64_t>>();
  return {device, comm::make_communicator(mpi, device),
          training::ExampleStore::read(pool, indices, training::pool_labels(pool, indices))};
}

training::LabelMetrics validation_metrics(models::Classifier& model, const StudyConfig& config,
                                          const TuneContext& context) {
  const auto probabilities =
      training::predict_probabilities(model, context.validation, context.communicator,
                                      config.training.options.batch_size, runtime::Precision::fp32);
  const auto labels = context.validation.labels();
  std::vector<double> scores(probabilities.data_ptr<float>(), probabilities.data_ptr<float>() + probabilities.numel());
  const std::vector<std::int8_t> known(labels.data_ptr<std::int8_t>(), labels.data_ptr<std::int8_t>() + labels.numel());
  return training::label_metrics(scores, known, labels.size(1), model.spec().output == models::OutputKind::multi_label);
}

RoundMetrics evaluate_round(const StudyConfig& config, const std::string& study_dir, std::uint32_t round,
                            const TuneContext& context) {
  const io::PoolManifest manifest = io::read_manifest(config.pool.directory);
  const std::string path = io::StudyDir(study_dir).metrics(round);
  if (fs::exists(path)) return metrics_from_json(read_json(path), manifest.label_names);
  auto model = models::load_checkpoint(io::StudyDir(study_dir).model(round));
  model->to(context.device);
  RoundMetrics metrics;
  metrics.round = round;
  metrics.labels = labels_before(read_study_labels(study_dir, manifest), round);
  metrics.validation_images = context.validation.size();
  metrics.validation = validation_metrics(*model, config, context);
  if (context.mpi.rank() == 0) {
    auto json = metrics_json(metrics, manifest.label_names);
    const std::string training = io::StudyDir(study_dir).training(round);
    if (fs::exists(training)) json["training"] = read_json(training);
    io::write_file_atomically(path, json.dump(2) + "\n");
  }
  comm::barrier();
  return metrics;
}

training::TrainingOptions training_options_of(const StudyConfig& config, std::uint32_t round,
                                              const c10::Device& device) {
  training::TrainingOptions options = config.training.options;
  options.augmentation.seed = config.scoring.seed;
  options.augmentation.round = round;
  if (!device.is_cuda()) options.precision = runtime::Precision::fp32;
  return options;
}

TuneReport tune_round(const StudyConfig& config, const std::string& study_dir, std::uint32_t round,
                      const TuneContext& context) {
  const auto start_time = std::chrono::steady_clock::now();
  TuneReport report;
  report.round = round;
  if (selected_by_ideal_deep(study_dir, round)) learn_deep_levels(config, study_dir, round, context);
  const std::uint32_t next = round + 1;
  const std::string model_out = io::StudyDir(study_dir).model(next);
  if (fs::exists(model_out)) {
    report.already_done = fs::exists(io::StudyDir(study_dir).metrics(next));
    report.metrics = evaluate_round(config, study_dir, next, context);
    return report;
  }
  const io::Pool pool = io::Pool::open(config.pool.directory);
  const bool from_initial = config.training.fine_tuning == "rft" || config.training.fine_tuning == "aft";
  const std::string start_path = io::StudyDir(study_dir).model(from_initial ? 0 : round);
  auto model = models::load_checkpoint(start_path);
  model->to(context.device);
  const TrainingSet set = choose_training_set(config, study_dir, round, pool, *model, context);
  const auto classes = static_cast<std::int64_t>(pool.manifest().label_names.size());
  auto examples = training::ExampleStore::read(pool, set.indices, label_tensor(set.labels, classes));
  examples.set_feedback(study_feedback(study_dir));
  report.trained_images = examples.size();
  report.feedback_images = examples.feedback_count();

  training::DataParallelTrainer trainer(*model, context.communicator,
                                        training_options_of(config, round, context.device));
  const std::string state_path = io::StudyDir(study_dir).training_state(next);
  const std::string fingerprint = training_fingerprint(config, round, start_path, set);
  if (context.mpi.rank() == 0) fs::create_directories(io::StudyDir(study_dir).round(next));
  comm::barrier();
  if (fs::exists(state_path)) {
    report.first_epoch = training::load_training_state(state_path, *model, trainer.optimizer(), fingerprint);
  }
  const bool talk = context.mpi.rank() == 0;
  if (talk) {
    spdlog::info("round {} fine-tuning ({}) from {} on {} images ({} new, {} earlier) over {} rank(s){}", round,
                 config.training.fine_tuning, start_path, examples.size(), set.new_images, set.earlier_images,
                 context.communicator.size(),
                 report.first_epoch > 0 ? fmt::format(", resuming after epoch {}", report.first_epoch) : "");
  }
  for (std::int64_t epoch = report.first_epoch; epoch < config.training.epochs; ++epoch) {
    const auto done = trainer.train_epoch(examples, epoch);
    report.epochs.push_back(done);
    if (talk) {
      training::save_training_state(state_path, *model, trainer.optimizer(), epoch + 1, fingerprint);
      const double images_per_second = done.seconds > 0 ? static_cast<double>(done.images) / done.seconds : 0.0;
      spdlog::info("  epoch {}/{}: loss {:.4f}, {:.1f} images/s, all-reduce {:.1f}% of the epoch", epoch + 1,
                   config.training.epochs, done.mean_loss, images_per_second,
                   done.seconds > 0 ? 100.0 * done.all_reduce_seconds / done.seconds : 0.0);
    }
    comm::barrier();
  }
  if (talk) {
    nlohmann::json epochs = nlohmann::json::array();
    for (const auto& epoch : report.epochs) epochs.push_back(epoch_json(epoch));
    const nlohmann::json training{{"fine_tuning", config.training.fine_tuning},
                                  {"start_model", start_path},
                                  {"images", examples.size()},
                                  {"feedback_images", examples.feedback_count()},
                                  {"new_images", set.new_images},
                                  {"earlier_images", set.earlier_images},
                                  {"ranks", context.communicator.size()},
                                  {"backend", context.communicator.backend()},
                                  {"resumed_after_epoch", report.first_epoch},
                                  {"epochs", epochs}};
    io::write_file_atomically(io::StudyDir(study_dir).training(next), training.dump(2) + "\n");
    models::save_checkpoint(*model, model_out);
    fs::remove(state_path);
  }
  comm::barrier();
  report.metrics = evaluate_round(config, study_dir, next, context);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
  return report;
}

}  // namespace salient::round
