#include "engine/round/deep_levels.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <set>

#include "engine/comm/text_collectives.h"
#include "engine/models/checkpoint.h"
#include "engine/round/deep_codes.h"
#include "engine/round/select_round.h"
#include "engine/round/study_labels.h"
#include "engine/selection/ideal_deep.h"
#include "salient/check.h"
#include "salient/io/atomic_file.h"
#include "salient/io/study_dir.h"
#include "salient/kernels/counter_random.h"

namespace salient::round {
namespace {

namespace fs = std::filesystem;

/// This rank's rows of the round's score tables in ascending global index, with their codes.
struct RoundCodes {
  std::vector<std::int64_t> global_index;
  std::vector<float> codes;  ///< rows × latent
  std::vector<std::uint8_t> eligible;
  std::int64_t latent = 0;
};

RoundCodes round_codes(const selection::CriteriaTable& table, const selection::StrategySpec& spec,
                       const std::set<std::string>& excluded) {
  std::vector<std::size_t> rows(table.rows());
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  const auto& indices = table.global_indices();
  std::sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) { return indices[a] < indices[b]; });
  RoundCodes codes;
  codes.latent = spec.latent;
  std::vector<const std::vector<float>*> columns;
  for (std::int64_t l = 0; l < spec.latent; ++l) columns.push_back(&table.column(selection::deep_code_column(l)));
  for (const auto row : rows) {
    codes.global_index.push_back(indices[row]);
    for (const auto* column : columns) codes.codes.push_back((*column)[row]);
    codes.eligible.push_back(excluded.count(table.ids()[row]) == 0 ? 1 : 0);
  }
  return codes;
}

/// The gain_replay earlier labels of seed @p s (see the header), ascending global index.
std::vector<std::size_t> replay_of(const std::vector<std::int64_t>& earlier, const selection::StrategySpec& spec,
                                   std::int64_t s) {
  const kernels::RandomKey key{spec.seed, spec.round, kernels::RandomStream::gain_replay};
  std::vector<std::pair<double, std::size_t>> drawn;
  for (std::size_t i = 0; i < earlier.size(); ++i)
    drawn.emplace_back(kernels::counter_uniform(key, earlier[i] * spec.gain_seeds + s), i);
  std::sort(drawn.begin(), drawn.end());
  drawn.resize(std::min<std::size_t>(drawn.size(), static_cast<std::size_t>(spec.gain_replay)));
  std::vector<std::size_t> chosen;
  for (const auto& [u, i] : drawn) chosen.push_back(i);
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

struct LabeledImage {
  std::int64_t global_index;
  std::vector<std::int8_t> labels;
};

/// Mean validation AUC after fine-tuning round @p round's model on @p images for gain_epochs
/// epochs (no training when there are none).
double trial_auc(const StudyConfig& config, const std::string& study_dir, const selection::StrategySpec& spec,
                 const io::Pool& pool, const std::vector<LabeledImage>& images, std::int64_t s,
                 const TuneContext& context) {
  auto model = models::load_checkpoint(io::StudyDir(study_dir).model(spec.round));
  model->to(context.device);
  if (!images.empty()) {
    const auto classes = static_cast<std::int64_t>(pool.manifest().label_names.size());
    std::vector<std::int64_t> indices;
    auto labels = torch::empty({static_cast<std::int64_t>(images.size()), classes}, torch::kInt8);
    for (std::size_t i = 0; i < images.size(); ++i) {
      indices.push_back(images[i].global_index);
      std::copy(images[i].labels.begin(), images[i].labels.end(), labels.data_ptr<std::int8_t>() + i * classes);
    }
    const auto examples = training::ExampleStore::read(pool, indices, labels);
    auto options = training_options_of(config, spec.round, context.device);
    options.augmentation.seed = config.scoring.seed + 1 + static_cast<std::uint64_t>(s);
    training::DataParallelTrainer trainer(*model, context.communicator, options);
    for (std::int64_t epoch = 0; epoch < spec.gain_epochs; ++epoch) trainer.train_epoch(examples, epoch);
  }
  return validation_metrics(*model, config, context).mean_auc;
}

/// Every rank's eligible members as (global index, cluster, code), ascending global index.
struct Members {
  std::vector<std::int64_t> global_index;
  std::vector<std::int32_t> cluster;
  std::vector<float> codes;
};

Members gather_members(const RoundCodes& codes, const selection::KMeansResult& clusters, selection::RankGroup& group) {
  const auto latent = static_cast<std::size_t>(codes.latent);
  selection::Message mine;
  for (std::size_t p = 0; p < codes.global_index.size(); ++p) {
    if (clusters.cluster_of[p] < 0) continue;
    mine.put(codes.global_index[p]).put(clusters.cluster_of[p]).put_all(codes.codes.data() + p * latent, latent);
  }
  Members members;
  for (const auto& bytes : group.all_gather(mine.bytes())) {  // rank blocks ascend: so do the members
    selection::MessageReader reader(bytes);
    while (!reader.done()) {
      members.global_index.push_back(reader.get<std::int64_t>());
      members.cluster.push_back(reader.get<std::int32_t>());
      members.codes.resize(members.codes.size() + latent);
      reader.get_all(members.codes.data() + members.codes.size() - latent, latent);
    }
  }
  return members;
}

}  // namespace

bool selected_by_ideal_deep(const std::string& study_dir, std::uint32_t round) {
  const auto path = fs::path(io::StudyDir(study_dir).selection(round)).replace_extension(".json");
  std::ifstream input(path);
  if (!input) return false;
  const auto json = nlohmann::json::parse(input, nullptr, false);
  return !json.is_discarded() &&
         json.value("strategy", "") == selection::strategy_name(selection::Strategy::ideal_deep);
}

void learn_deep_levels(const StudyConfig& config, const std::string& study_dir, std::uint32_t round,
                       const TuneContext& context) {
  const io::StudyDir study(study_dir);
  const auto forest_path = study.forest(round + 1);
  if (comm::broadcast_text(context.communicator, fs::exists(forest_path) ? "1" : "0", 0) == "1") return;
  const auto start = std::chrono::steady_clock::now();
  const io::Pool pool = io::Pool::open(config.pool.directory);
  const auto spec = strategy_spec_of(config, round);
  const auto labels = read_study_labels(study_dir, pool.manifest());
  const auto held_out = validation_ids(study_dir);
  std::set<std::string> excluded(held_out.begin(), held_out.end());
  std::map<std::string, const io::LabelRow*> this_round;
  std::vector<LabeledImage> earlier;
  const auto id_index = pool.id_index();
  for (const auto& row : labels.rows) {
    if (row.round < round) {
      const auto found = id_index.find(row.id);
      SALIENT_CHECK(found != id_index.end(), "{}: image '{}' is not in the pool '{}'", study.labels(), row.id,
                    pool.dir());
      excluded.insert(row.id);
      earlier.push_back({found->second, row.labels});
    } else if (row.round == round) {
      this_round[row.id] = &row;
    }
  }
  std::sort(earlier.begin(), earlier.end(),
            [](const LabeledImage& a, const LabeledImage& b) { return a.global_index < b.global_index; });

  // 1. The round's clusters, as its selection formed them.
  const auto group = selection::make_mpi_rank_group(context.mpi);
  const auto table = read_round_criteria(study_dir, round, pool, spec, nullptr, *group);
  const auto codes = round_codes(table, spec, excluded);
  const selection::EmbeddingRows rows{codes.codes.data(), static_cast<std::int64_t>(codes.global_index.size()),
                                      codes.latent};
  const auto clusters = selection::deep_clusters(rows, codes.eligible, spec, codes.global_index.data(), *group);

  // 2. ΔAUC of each representative, from the same replay sets and seeds with and without it.
  std::vector<std::int64_t> earlier_index;
  for (const auto& image : earlier) earlier_index.push_back(image.global_index);
  const auto k = static_cast<std::size_t>(clusters.clusters());
  std::vector<std::vector<double>> gains(k);
  std::vector<std::string> representative_ids(k);
  std::map<std::int64_t, std::string> id_of;
  for (const auto& [id, index] : id_index) id_of[index] = id;
  for (std::size_t c = 0; c < k; ++c) {
    if (clusters.representatives[c] < 0) continue;
    representative_ids[c] = id_of.at(clusters.representatives[c]);
    SALIENT_CHECK(this_round.count(representative_ids[c]) != 0,
                  "ideal-deep: the representative '{}' of cluster {} in round {} of '{}' has no label of that round "
                  "in {}: its ΔAUC cannot be measured",
                  representative_ids[c], c, round, study_dir, study.labels());
  }
  for (std::int64_t s = 0; s < spec.gain_seeds; ++s) {
    std::vector<LabeledImage> replay;
    for (const auto i : replay_of(earlier_index, spec, s)) replay.push_back(earlier[i]);
    const double without = trial_auc(config, study_dir, spec, pool, replay, s, context);
    for (std::size_t c = 0; c < k; ++c) {
      if (clusters.representatives[c] < 0) continue;
      auto with = replay;
      with.push_back({clusters.representatives[c], this_round.at(representative_ids[c])->labels});
      gains[c].push_back(trial_auc(config, study_dir, spec, pool, with, s, context) - without);
    }
  }

  // 3. Levels: decreasing mean ΔAUC, the lower cluster first on a tie.
  std::vector<double> mean_gain(k, 0.0);
  std::vector<std::size_t> order;
  for (std::size_t c = 0; c < k; ++c) {
    if (gains[c].empty()) continue;
    mean_gain[c] = std::accumulate(gains[c].begin(), gains[c].end(), 0.0) / static_cast<double>(gains[c].size());
    order.push_back(c);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return mean_gain[a] > mean_gain[b]; });
  std::vector<std::int32_t> level(k, -1);
  for (std::size_t place = 0; place < order.size(); ++place) level[order[place]] = static_cast<std::int32_t>(place);

  // 4. The forest learns every member's level.
  const auto members = gather_members(codes, clusters, *group);
  if (context.mpi.rank() == 0) {
    std::vector<std::int32_t> y;
    std::vector<float> x;
    const auto latent = static_cast<std::size_t>(codes.latent);
    for (std::size_t m = 0; m < members.global_index.size(); ++m) {
      const auto of = level[static_cast<std::size_t>(members.cluster[m])];
      if (of < 0) continue;
      y.push_back(of);
      x.insert(x.end(), members.codes.begin() + static_cast<std::ptrdiff_t>(m * latent),
               members.codes.begin() + static_cast<std::ptrdiff_t>((m + 1) * latent));
    }
    const auto n = static_cast<std::int64_t>(y.size());
    SALIENT_CHECK(n > 0, "ideal-deep: round {} of '{}' has no cluster member to learn levels from", round, study_dir);
    selection::OnlineForestParams params;
    params.trees = static_cast<std::int32_t>(spec.trees);
    params.min_samples = spec.forest_alpha;
    params.min_gain = spec.forest_beta;
    params.lambda = spec.forest_lambda;
    params.seed = spec.seed;
    auto forest =
        forest_reads_round_codes(study_dir, round)
            ? selection::OnlineForest::load(study.forest(round))
            : selection::OnlineForest(params, static_cast<std::int32_t>(spec.levels),
                                      selection::feature_ranges(x.data(), n, static_cast<std::int32_t>(latent)));
    forest.update(x.data(), y.data(), n, std::max(1, torch::get_num_threads()));

    nlohmann::json json{{"round", round},
                        {"gain_seeds", spec.gain_seeds},
                        {"gain_epochs", spec.gain_epochs},
                        {"gain_replay", spec.gain_replay},
                        {"members", n},
                        {"clusters", nlohmann::json::array()}};
    for (std::size_t c = 0; c < k; ++c) {
      json["clusters"].push_back({{"cluster", c},
                                  {"members", clusters.members[c]},
                                  {"representative", clusters.representatives[c]},
                                  {"id", representative_ids[c]},
                                  {"delta_auc", gains[c]},
                                  {"mean_delta_auc", mean_gain[c]},
                                  {"level", level[c]}});
    }
    io::write_file_atomically(study.levels(round), json.dump(2) + "\n");
    fs::create_directories(study.round(round + 1));
    forest.save(forest_path);
    spdlog::info(
        "round {}: ideal-deep levels of {} clusters (ΔAUC {:+.4f} … {:+.4f}) learnt by the forest from {} "
        "images in {:.1f} s ({})",
        round, order.size(), order.empty() ? 0.0 : mean_gain[order.front()],
        order.empty() ? 0.0 : mean_gain[order.back()], n,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), forest_path);
  }
  context.communicator.barrier();
}

}  // namespace salient::round
