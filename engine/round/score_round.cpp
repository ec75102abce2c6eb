#include "engine/round/score_round.h"

#include <torch/cuda.h>
#include <torch/torch.h>

#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include "engine/runtime/progress_bar.h"
#include "engine/comm/text_collectives.h"
#include "engine/comm/progress_reduction.h"
#include "engine/criteria/batch_criteria.h"
#include "engine/models/model_input.h"
#include "engine/round/deep_codes.h"
#include "engine/round/shard_collector.h"
#include "engine/round/study_model.h"
#include "engine/runtime/out_of_memory.h"
#include "engine/runtime/precision.h"
#include "engine/runtime/threads.h"
#include "engine/saliency/saliency.h"
#include "salient/io/atomic_file.h"
#include "salient/io/pool.h"
#include "salient/io/score_table.h"
#include "salient/io/shard_checksum.h"
#include "salient/io/shard_reader.h"
#include "salient/io/study_dir.h"

namespace salient::round {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Adds the time since the previous lap to a stage. On a GPU it waits for the device first,
// so each stage is charged with its own kernels rather than with the next stage's wait.
class StageClock {
 public:
  explicit StageClock(const c10::Device& device) : device_(device), last_(Clock::now()) {}
  void lap(double& stage) {
    if (device_.is_cuda()) torch::cuda::synchronize(device_.index());
    const auto now = Clock::now();
    stage += std::chrono::duration<double>(now - last_).count();
    last_ = now;
  }

 private:
  c10::Device device_;
  Clock::time_point last_;
};

// The settings (top-level keys of two fingerprints) whose values differ.
std::vector<std::string> differing_settings(const std::string& stored, const std::string& wanted) {
  std::vector<std::string> keys;
  const auto a = nlohmann::json::parse(stored, nullptr, false);
  const auto b = nlohmann::json::parse(wanted, nullptr, false);
  if (!a.is_object() || !b.is_object()) return {"the whole fingerprint"};
  for (const auto& [key, value] : b.items()) {
    if (!a.contains(key) || a.at(key) != value) keys.push_back(key);
  }
  for (const auto& [key, value] : a.items()) {
    if (!b.contains(key)) keys.push_back(key);
  }
  return keys;
}

// Temporary files of writers killed mid-write (AtomicOutput's, never read) in @p directory.
void remove_abandoned_temporaries(const std::filesystem::path& directory) {
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (io::is_temporary_output(entry.path().string())) std::filesystem::remove(entry.path());
  }
}

// The settings fingerprint a score table or part was written with ("{}" when it has none).
std::string stored_fingerprint(const std::string& path) {
  const auto attributes = io::read_score_attributes(path);
  const auto stored = attributes.find("scoring");
  return stored == attributes.end() ? std::string("{}") : stored->second;
}

// Part files a killed run with other settings left: their rows are scored again by this
// job, so that no merge can take them.
void remove_stale_parts(const ScoreJob& job, const std::string& fingerprint) {
  for (const auto shard : io::shards_with_parts(job.study_dir, job.round)) {
    for (const auto& part : io::score_part_files(job.study_dir, job.round, shard)) {
      const std::string stored_text = stored_fingerprint(part);
      if (stored_text == fingerprint) continue;
      spdlog::warn("removed {}: a killed run scored it with other settings ({} differ); its rows are scored again",
                   part, fmt::join(differing_settings(stored_text, fingerprint), ", "));
      std::filesystem::remove(part);
    }
  }
}

// Rank 0 decides which shards are done and tells the others, so every rank skips the same.
// Before anyone writes, it clears what a killed run of this round left half-written, and
// the parts a run with other settings left.
std::vector<std::int64_t> agree_on_done_shards(const ScoreJob& job, const std::string& fingerprint,
                                               comm::Communicator& comm) {
  std::string text;
  if (comm.rank() == 0) {
    const io::StudyDir study(job.study_dir);
    std::filesystem::create_directories(study.scores(job.round));
    remove_abandoned_temporaries(study.round(job.round));
    remove_abandoned_temporaries(study.scores(job.round));
    remove_stale_parts(job, fingerprint);
    text = nlohmann::json(shards_already_scored(job.study_dir, job.round, fingerprint)).dump();
  }
  return nlohmann::json::parse(comm::broadcast_text(comm, text, 0)).get<std::vector<std::int64_t>>();
}

// Images of the rank's share that belong to shards still to score.
std::int64_t images_to_score(const io::Pool& pool, const io::RankShare& share, const std::set<std::int64_t>& done) {
  std::int64_t count = 0;
  for (std::int64_t index = share.begin; index < share.end;) {
    const io::ImageLocation at = pool.locate(index);
    const std::int64_t run = std::min(share.end - index, shard_rows(pool, at.shard) - at.row);
    if (done.count(at.shard) == 0) count += run;
    index += run;
  }
  return count;
}

at::Tensor index_tensor(const std::vector<std::int64_t>& indices) {
  return torch::tensor(indices, torch::kInt64);
}

at::Tensor roi_tensor(const io::ImageBatch& batch, std::int64_t height, std::int64_t width, const c10::Device& device) {
  if (batch.roi == nullptr) return {};
  // Used before the batch's lease is returned: on the CPU the reader's buffer serves as is.
  return torch::from_blob(const_cast<std::uint8_t*>(batch.roi), {batch.size(), height, width}, torch::kUInt8)
      .to(device);
}

// Merges the parts of shards two ranks shared, and drops the parts that a complete table made
// stale (e.g. from an earlier run with another number of ranks) or that belong to a shard
// some rank could not read. Returns the shards merged.
std::int64_t merge_parts(const ScoreJob& job, const io::Pool& pool, const std::string& fingerprint,
                         const std::set<std::int64_t>& unreadable) {
  std::int64_t merged = 0;
  for (const auto shard : io::shards_with_parts(job.study_dir, job.round)) {
    if (unreadable.count(shard) != 0 ||
        std::filesystem::exists(io::StudyDir(job.study_dir).score_table(job.round, shard))) {
      for (const auto& part : io::score_part_files(job.study_dir, job.round, shard)) std::filesystem::remove(part);
    } else if (io::merge_score_parts(job.study_dir, job.round, shard, shard_rows(pool, shard),
                                     {{"scoring", fingerprint}})) {
      ++merged;
    } else {
      throw Error(fmt::format("the parts of shard {} in round {} of '{}' do not cover its {} rows: {}", shard,
                              job.round, job.study_dir,
                              shard_rows(pool, shard),
                              fmt::join(io::score_part_files(job.study_dir, job.round, shard), ", ")));
    }
  }
  return merged;
}

class RankScorer {
 public:
  RankScorer(const ScoreJob& job, const comm::RankPlacement& where, const io::Pool& pool, std::string fingerprint,
             const std::vector<std::int64_t>& done)
      : job_(job), where_(where), pool_(pool), fingerprint_(std::move(fingerprint)), done_(done.begin(), done.end()),
        device_(runtime::resolve_device(job.device, where.local_rank)),
        request_(criteria_request_of(job.config, job.round)), needs_(criteria::needs_of(request_)),
        saliency_options_(saliency_options_of(job.config, job.round)),
        precision_(runtime::parse_precision(job.config.scoring.precision)) {
    report_.rank = where.rank;
    report_.host = where.host;
    report_.device = device_.str();
    report_.threads = runtime::configure_cpu_threads(job.config.scoring.threads, where.local_size);
    if (job.config.scoring.deterministic) runtime::use_deterministic_algorithms();
    model_ = open_study_model(job.config, pool.manifest(), device_);
    if (job.config.scoring.channels_last) runtime::use_channels_last(model_->parameters());
    SALIENT_CHECK(!needs_.roi || pool.open_shard(0).has_roi(),
                  "criteria {} compare saliency with expert ROI masks, and pool '{}' has none",
                  fmt::join(request_.names, ", "), pool.dir());
  }

  /// Loads the round's saliency autoencoder, trained first unless it exists, when the request
  /// stores codes (deep_codes.h). A collective.
  void prepare_codes(comm::Communicator& comm) {
    if (!needs_.codes) return;
    const AutoencoderJob job{job_.study_dir, job_.round, job_.config.scoring.seed, request_.deep_codes, pool_,
                             *model_, device_, saliency_options_, job_.config.scoring.batch_size};
    autoencoder_ = models::load_autoencoder(ensure_round_autoencoder(job, comm));
    autoencoder_->to(device_);
    autoencoder_->eval();
  }

  RankScoreReport run() {
    io::ReaderOptions options;
    options.batch_size = job_.config.scoring.batch_size;
    options.rank = where_.rank;
    options.world = where_.size;
    options.pinned = device_.is_cuda();
    options.with_roi = needs_.roi;
    options.skip_shards.assign(done_.begin(), done_.end());
    options.skip_unreadable_shards = job_.config.scoring.on_bad_image == "skip";
    io::ShardReader reader(pool_, options);
    ShardCollector collector(pool_, job_.study_dir, job_.round, {{"scoring", fingerprint_}},
                             {done_.begin(), done_.end()},
                             request_.embeddings == criteria::EmbeddingStorage::float16,
                             model_->spec().output == models::OutputKind::multi_label ? "multi-label" : "multi-class");
    // The job-wide bar's reduction (non-blocking MPI all-reduces): every rank or none.
    std::optional<comm::ProgressReduction> progress;
    std::optional<runtime::ProgressBar> bar;
    if (job_.progress_bar) {
      progress.emplace(images_to_score(pool_, reader.share(), done_));
      if (where_.rank == 0) bar.emplace("images", progress->global_total());
    }

    const auto start = Clock::now();
    StageClock clock(device_);
    while (auto lease = reader.next()) {
      clock.lap(report_.times.read);
      criteria::BatchCriteria criteria;
      try {
        criteria = score_batch(*lease, clock);
      } catch (const std::exception& error) {
        if (!runtime::is_out_of_memory(error)) throw;
        runtime::throw_out_of_memory(
            error,
            fmt::format("in the {} stage of scoring a batch of {} images at {}×{} on {}", stage_, lease->size(),
                        model_->spec().input_size, model_->spec().input_size, device_.str()),
            fmt::format("lower --batch-size (scoring.batch_size, now {}) or --input-size, or start fewer ranks per "
                        "node or GPU",
                        job_.config.scoring.batch_size));
      }
      report_.images_computed += lease->size();
      report_.images_scored += collector.add(*lease, criteria);
      clock.lap(report_.times.write);
      if (progress) {
        if (const auto global = progress->update(report_.images_scored); global && bar) bar->update(*global);
      }
    }
    collector.finish();
    partial_checksums_ = reader.partial_checksums();
    clock.lap(report_.times.write);
    report_.seconds = seconds_since(start);
    report_.tables_written = collector.tables_written();
    report_.parts_written = collector.parts_written();
    report_.unreadable = collector.unreadable();
    // Images of unreadable shards will never be scored: count them done for the bar.
    if (progress) {
      progress->finish([&](std::int64_t global) {
        if (bar) bar->update(global);
      });
    }
    if (bar) bar->finish();
    for (const auto& bad : report_.unreadable) spdlog::warn("skipped unreadable shard {}: {}", bad.shard, bad.message);
    return report_;
  }

  /// After run(): the CRCs of the shards this rank read only in part.
  const std::vector<io::RowRangeChecksum>& partial_checksums() const { return partial_checksums_; }
  bool reads_roi() const { return needs_.roi; }

 private:
  // Every requested criterion of one batch: the saliency pass (maps stay on the device),
  // the model passes the criteria need, then the kernels.
  criteria::BatchCriteria score_batch(const io::ImageBatch& batch, StageClock& clock) {
    stage_ = "input";
    const auto& manifest = pool_.manifest();
    auto input = models::model_input(batch.pixels, manifest.pixel_type, batch.size(), manifest.height,
                                     manifest.width, model_->spec(), device_);
    if (job_.config.scoring.channels_last) input = input.contiguous(at::MemoryFormat::ChannelsLast);
    const auto global = index_tensor(batch.indices);
    const auto roi = needs_.roi ? roi_tensor(batch, manifest.height, manifest.width, device_) : at::Tensor();
    clock.lap(report_.times.read);
    stage_ = "saliency";

    const runtime::AutocastScope autocast(device_, precision_);
    at::Tensor maps, probabilities, trunk_output;
    if (needs_.maps) {
      const auto result = saliency::compute_saliency(*model_, input, {}, global, saliency_options_);
      maps = models::resize_maps(result.maps.detach().to(torch::kFloat32), manifest.height, manifest.width);
      probabilities = models::probabilities_from_logits(result.logits.detach(), model_->spec().output)
                          .to(torch::kFloat32);
      trunk_output = result.trunk_output;
    }
    clock.lap(report_.times.saliency);
    stage_ = "model";
    criteria::CriteriaInputs inputs;
    {
      const torch::NoGradGuard no_gradient;
      if (needs_.embeddings && !trunk_output.defined()) {
        // One trunk pass serves the embeddings and, through the head, the probabilities.
        model_->train(false);
        trunk_output = model_->trunk(input);
      }
      if (needs_.embeddings && !probabilities.defined()) {
        probabilities = models::probabilities_from_logits(model_->head(trunk_output), model_->spec().output)
                            .to(torch::kFloat32);
      }
      inputs = criteria::run_model_passes(*model_, input, global, maps, roi, probabilities, request_, trunk_output);
    }
    clock.lap(report_.times.model);
    stage_ = "criterion kernels";
    auto criteria = criteria::compute_criteria(inputs, request_);
    if (needs_.embeddings) {
      criteria.embeddings = criteria::embedding_rows(trunk_output);
      criteria.embedding_dim = trunk_output.size(1);
      const auto host = inputs.probabilities.to(torch::kFloat32).contiguous().cpu();
      criteria.probabilities.assign(host.data_ptr<float>(), host.data_ptr<float>() + host.numel());
      criteria.classes = host.size(1);
    }
    if (needs_.codes) {
      for (auto& column : code_columns(*autoencoder_, maps)) criteria.columns.push_back(std::move(column));
    }
    clock.lap(report_.times.kernels);
    return criteria;
  }

  const ScoreJob& job_;
  const comm::RankPlacement& where_;
  const io::Pool& pool_;
  std::string fingerprint_;
  std::set<std::int64_t> done_;
  c10::Device device_;
  criteria::CriteriaRequest request_;
  criteria::CriteriaNeeds needs_;
  saliency::SaliencyOptions saliency_options_;
  runtime::Precision precision_;
  std::unique_ptr<models::Classifier> model_;
  std::shared_ptr<models::SaliencyAutoencoder> autoencoder_;  ///< when the request stores codes
  RankScoreReport report_;
  std::vector<io::RowRangeChecksum> partial_checksums_;
  const char* stage_ = "input";  ///< the stage score_batch is in, for errors
};

std::string checksums_json(const std::vector<io::RowRangeChecksum>& ranges) {
  auto json = nlohmann::json::array();
  for (const auto& range : ranges) json.push_back({range.shard, range.first_row, range.rows, range.images, range.roi});
  return json.dump();
}

// Rank 0: the shards ranks read in parts, checked from every rank's CRCs of its rows (a shard
// a rank read whole was checked by its reader). A damaged shard stops the job (its parts are
// removed first) or, under --on-bad-image=skip, is returned to be left out like an unreadable one.
std::vector<io::UnreadableShard> check_shared_shards(const ScoreJob& job, const io::Pool& pool,
                                                     const std::vector<std::string>& gathered,
                                                     const std::set<std::int64_t>& unreadable, bool with_roi) {
  std::map<std::int64_t, std::vector<io::RowRangeChecksum>> by_shard;
  for (const auto& text : gathered) {
    for (const auto& item : nlohmann::json::parse(text)) {
      const io::RowRangeChecksum range{item[0].get<std::int64_t>(), item[1].get<std::int64_t>(),
                                       item[2].get<std::int64_t>(), item[3].get<std::uint32_t>(),
                                       item[4].get<std::uint32_t>()};
      if (unreadable.count(range.shard) == 0) by_shard[range.shard].push_back(range);
    }
  }
  std::vector<io::UnreadableShard> damaged;
  for (const auto& [shard, ranges] : by_shard) {
    try {
      io::check_shard_checksums(pool, ranges, with_roi);
    } catch (const Error& error) {
      for (const auto& part : io::score_part_files(job.study_dir, job.round, shard)) std::filesystem::remove(part);
      if (job.config.scoring.on_bad_image != "skip") throw;
      spdlog::warn("skipped unreadable shard {}: {}", shard, error.what());
      damaged.push_back({shard, error.what()});
    }
  }
  return damaged;
}

}  // namespace

std::vector<std::int64_t> shards_already_scored(const std::string& study_dir, std::uint32_t round,
                                                const std::string& fingerprint) {
  std::vector<std::int64_t> done = io::scored_shards(study_dir, round);
  for (const auto shard : done) {
    const std::string path = io::StudyDir(study_dir).score_table(round, shard);
    const std::string stored_text = stored_fingerprint(path);
    if (stored_text != fingerprint) {
      throw Error(fmt::format("{} was scored with other settings ({} differ): score into another round or study, or "
                              "remove {} to score this round again",
                              path, fmt::join(differing_settings(stored_text, fingerprint), ", "),
                              std::filesystem::path(path).parent_path().string()));
    }
  }
  return done;
}

ScoreReport score_round(const ScoreJob& job, const comm::MpiSession& mpi) {
  const auto comm = comm::make_mpi_communicator(mpi);
  return score_round(job, *comm, comm::placement_of(mpi));
}

ScoreReport score_round(const ScoreJob& job, comm::Communicator& comm, const comm::RankPlacement& where) {
  const auto start = Clock::now();
  const io::Pool pool = io::Pool::open(job.config.pool.directory);
  const std::string fingerprint = scoring_fingerprint(job.config, job.round);
  const auto done = agree_on_done_shards(job, fingerprint, comm);
  if (comm.rank() == 0 && !done.empty()) {
    spdlog::info("{} of {} shards already scored in {}: skipped", done.size(), pool.shard_count(),
                 io::StudyDir(job.study_dir).round(job.round));
  }
  RankScorer scorer(job, where, pool, fingerprint, done);
  scorer.prepare_codes(comm);
  const RankScoreReport mine = scorer.run();
  const auto gathered = comm::gather_texts(comm, rank_report_json(mine), 0);
  const auto gathered_checksums = comm::gather_texts(comm, checksums_json(scorer.partial_checksums()), 0);

  ScoreReport report;
  report.round = job.round;
  report.pool = job.config.pool.directory;
  report.model = describe_study_model(job.config);
  report.fingerprint = fingerprint;
  report.pool_images = pool.size();
  report.shards = pool.shard_count();
  report.shards_already_scored = static_cast<std::int64_t>(done.size());
  if (comm.rank() != 0) {
    report.ranks.push_back(mine);
    return report;
  }
  std::set<std::int64_t> unreadable;
  for (const auto& text : gathered) {
    report.ranks.push_back(rank_report_from_json(text));
    for (const auto& bad : report.ranks.back().unreadable) unreadable.insert(bad.shard);
  }
  report.damaged = check_shared_shards(job, pool, gathered_checksums, unreadable, scorer.reads_roi());
  for (const auto& bad : report.damaged) unreadable.insert(bad.shard);
  report.parts_merged = merge_parts(job, pool, fingerprint, unreadable);
  report.seconds = seconds_since(start);
  io::write_file_atomically(io::StudyDir(job.study_dir).score_report(job.round),
                            score_report_json(report));
  return report;
}

}  // namespace salient::round
