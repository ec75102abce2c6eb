#include "engine/round/select_round.h"

#include <torch/torch.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "engine/round/deep_codes.h"
#include "engine/round/score_round.h"
#include "engine/round/selection_maps.h"
#include "engine/round/selection_montage.h"
#include "engine/round/shard_collector.h"
#include "engine/round/study_labels.h"
#include "engine/runtime/field_text.h"
#include "engine/selection/cluster_margin.h"
#include "engine/selection/strategy_criteria.h"
#include "engine/selection/strategy_table.h"
#include "salient/io/atomic_file.h"
#include "salient/io/csv.h"
#include "salient/io/csv_table.h"
#include "salient/io/review_files.h"
#include "salient/io/score_table.h"
#include "salient/io/study_dir.h"

namespace salient::round {
namespace {

// Shards that score-report.json lists as unreadable (skipped by --on-bad-image=skip).
std::set<std::int64_t> unreadable_shards(const std::string& study_dir, std::uint32_t round) {
  const std::filesystem::path path = io::StudyDir(study_dir).score_report(round);
  std::set<std::int64_t> shards;
  std::ifstream input(path);
  if (!input) return shards;
  const auto report = nlohmann::json::parse(input, nullptr, false);
  if (report.is_discarded() || !report.contains("unreadable_shards")) return shards;
  for (const auto& bad : report.at("unreadable_shards")) shards.insert(bad.at("shard").get<std::int64_t>());
  return shards;
}

// --force on a labeled round: the round's labels of images the new selection leaves out move
// from labels.csv to rounds/RRR/labels-set-aside.csv (added to what an earlier --force put there).
void set_aside_labels(const SelectJob& job, const io::LabelTable& labels, SelectOutcome& outcome) {
  std::set<std::string> selected;
  for (const auto& candidate : outcome.selection.selected) selected.insert(candidate.id);
  io::LabelTable kept{labels.label_names, {}};
  outcome.set_aside_path = io::StudyDir(job.study_dir).labels_set_aside(job.round);
  io::LabelTable aside{labels.label_names, {}};
  for (const auto& row : labels.rows) {
    const bool leaves = row.round == job.round && selected.count(row.id) == 0;
    (leaves ? aside : kept).rows.push_back(row);
    outcome.labels_set_aside += leaves ? 1 : 0;
  }
  if (std::filesystem::exists(outcome.set_aside_path)) {  // an earlier --force's, unless labeled again since
    std::set<std::string> again;
    for (const auto& row : aside.rows) again.insert(row.id);
    for (auto& row : io::read_labels_csv(outcome.set_aside_path, labels.label_names).rows) {
      if (again.count(row.id) == 0) aside.rows.push_back(std::move(row));
    }
  }
  io::write_labels_csv(outcome.set_aside_path, aside);
  io::write_labels_csv(io::StudyDir(job.study_dir).labels(), kept);
}

std::string direction_name(kernels::Direction direction) {
  return direction == kernels::Direction::descending ? "descending" : "ascending";
}

// rank,id,index,shard,row,score,<criterion>…: one line per selected image, best first.
std::string selection_csv(const selection::Selection& chosen, const io::Pool& pool) {
  std::string text = "rank,id,index,shard,row,score";
  for (const auto& criterion : chosen.criteria) text += "," + criterion.name;
  text += "\n";
  for (const auto& candidate : chosen.selected) {
    const io::ImageLocation at = pool.locate(candidate.global_index);
    text += fmt::format("{},{},{},{},{},{:.17g}", candidate.position, candidate.id, candidate.global_index, at.shard,
                        at.row, candidate.score);
    for (const float value : candidate.criteria) text += fmt::format(",{:.9g}", value);
    text += "\n";
  }
  return text;
}

std::string selection_json(const selection::Selection& chosen, const selection::StrategySpec& spec,
                           std::int64_t unscored, const std::string& csv, const std::string& montage) {
  nlohmann::json criteria = nlohmann::json::array();
  for (const auto& use : chosen.criteria) {
    criteria.push_back({{"name", use.name}, {"direction", direction_name(use.direction)}, {"nan", use.nan_count}});
  }
  const nlohmann::json json{{"strategy", selection::strategy_label(spec)},
                            {"budget", spec.budget},
                            {"reverse", spec.reverse},
                            {"seed", spec.seed},
                            {"round", spec.round},
                            {"score", chosen.score_name},
                            {"score_direction", direction_name(chosen.score_direction)},
                            {"criteria", criteria},
                            {"candidates", chosen.candidates},
                            {"excluded", chosen.labeled},
                            {"unscored_images", unscored},
                            {"selected", chosen.selected.size()},
                            {"csv", csv},
                            {"montage", montage}};
  return json.dump(2) + "\n";
}

/// Runs @p read; if it throws on any rank, every rank throws the first rank's error, so that
/// no rank is left waiting in the selection's next all-gather.
template <typename Read>
void agree_on_failure(selection::RankGroup& group, Read read) {
  std::string failure;
  try {
    read();
  } catch (const std::exception& error) {
    failure = error.what();
    if (failure.empty()) failure = "unknown error";
  }
  for (const auto& text : group.all_gather(failure)) {
    if (!text.empty()) throw Error(text);
  }
}

/// cluster-margin's clusters of this rank's candidates: from clusters.csv when an earlier
/// selection formed them (every candidate must be there), else formed now from every rank's
/// embeddings and written there by rank 0. Whether the file exists is rank 0's answer, so
/// that every rank takes the same path.
std::vector<std::int32_t> study_clusters(const std::string& study_dir, const selection::CriteriaTable& table,
                                         const selection::StrategySpec& spec, selection::RankGroup& group) {
  const auto path = io::StudyDir(study_dir).clusters();
  if (selection::all_gather_value(group, std::filesystem::exists(path) ? 1 : 0).front() != 0) {
    std::vector<std::int32_t> clusters;
    agree_on_failure(group, [&] {
      const io::CsvTable csv(path);
      const std::size_t id = csv.column("id"), cluster = csv.column("cluster");
      std::map<std::string, std::int32_t> of_id;
      for (const auto& row : csv.rows()) {
        int value = 0;
        try {
          runtime::parse_text(csv.field(row, cluster), value);
          SALIENT_CHECK(value >= -1, "expected a cluster >= -1, got {}", value);
        } catch (const Error& error) {
          throw Error(fmt::format("'{}' line {}, column 'cluster': {}", path, row.line, error.what()));
        }
        of_id[csv.field(row, id)] = value;
      }
      for (const auto& candidate : table.ids()) {
        const auto found = of_id.find(candidate);
        SALIENT_CHECK(found != of_id.end(),
                      "'{}' has no cluster for image '{}': remove the file to form the clusters anew", path, candidate);
        clusters.push_back(found->second);
      }
    });
    return clusters;
  }
  SALIENT_CHECK(table.embedding_dim() > 0,
                "strategy 'cluster-margin' clusters the pool's embeddings, and the round was scored without them: "
                "score it again (scoring.embeddings auto or fp16)");
  const auto clusters =
      selection::cluster_embeddings({table.embeddings().data(), static_cast<std::int64_t>(table.rows()),
                                     table.embedding_dim()},
                                    table.global_indices(), spec.clusters, spec.cluster_sample, spec.seed, group);
  std::string text;
  for (std::size_t row = 0; row < table.rows(); ++row)
    text += fmt::format("{},{}\n", io::csv_field(table.ids()[row]), clusters[row]);
  const auto parts = group.all_gather(text);
  const auto rows = selection::sum_over_ranks(group, static_cast<std::int64_t>(table.rows()));
  if (group.rank() == 0) {
    io::write_file_atomically(path, "id,cluster\n" + fmt::format("{}", fmt::join(parts, "")));
    const auto sampled = std::min<std::int64_t>(spec.cluster_sample, rows);
    spdlog::info("cluster-margin: {} images in {} clusters (average linkage on {} of them), written to {}", rows,
                 spec.clusters, sampled, path);
  }
  return clusters;
}

/// ideal-deep's forest for round @p round (rounds/RRR/forest.cbor, written when round − 1's
/// levels were learnt), or none: in the study's first ideal-deep round, and after the
/// autoencoder was retrained (deep_codes.h). Rank 0's answer.
std::shared_ptr<const selection::OnlineForest> study_forest(const std::string& study_dir, std::uint32_t round,
                                                            selection::RankGroup& group) {
  const auto path = io::StudyDir(study_dir).forest(round);
  const int usable = group.rank() == 0 && forest_reads_round_codes(study_dir, round) ? 1 : 0;
  if (selection::all_gather_value(group, usable).front() == 0) return nullptr;
  std::shared_ptr<const selection::OnlineForest> forest;
  agree_on_failure(group,
                   [&] { forest = std::make_shared<selection::OnlineForest>(selection::OnlineForest::load(path)); });
  return forest;
}

// The montage of the first selected images and, for a human-mode round's own selection, the
// review page's maps of all of them (rounds/RRR/review.h5), from one pass of the model.
void write_selection_maps(const SelectJob& job, const io::Pool& pool, SelectOutcome& outcome) {
  const auto& selected = outcome.selection.selected;
  const auto selected_count = static_cast<std::int64_t>(selected.size());
  const std::int64_t montage = std::min(std::max<std::int64_t>(job.montage_count, 0), selected_count);
  const io::StudyDir study(job.study_dir);
  const bool review = job.config.run.labels == "human" && std::filesystem::exists(outcome.csv_path) &&
                      std::filesystem::equivalent(outcome.csv_path, study.selection(job.round));
  const std::int64_t mapped = review ? selected_count : montage;
  if (mapped == 0) return;
  const auto maps = selection_maps(job, pool, {selected.begin(), selected.begin() + mapped});
  if (montage > 0) {
    outcome.montage_path = montage_path_for(outcome.csv_path);
    write_selection_montage(maps, montage, outcome.montage_path);
  }
  if (review) {
    outcome.review_path = study.review_maps(job.round);
    io::write_review_maps(outcome.review_path,
                          review_maps_of(maps, saliency::method_name(job.config.saliency.method), job.round));
  }
}

}  // namespace

std::string montage_path_for(const std::string& csv_path) {
  std::filesystem::path path(csv_path);
  return (path.parent_path() / (path.stem().string() + "-montage.png")).string();
}

selection::CriteriaTable read_round_criteria(const std::string& study_dir, std::uint32_t round, const io::Pool& pool,
                                             const selection::StrategySpec& strategy, std::int64_t* unscored_images,
                                             selection::RankGroup& group) {
  const auto scored = io::scored_shards(study_dir, round);
  const std::set<std::int64_t> have(scored.begin(), scored.end());
  const auto unreadable = unreadable_shards(study_dir, round);
  std::vector<std::int64_t> missing;
  std::int64_t unscored = 0;
  for (std::int64_t shard = 0; shard < pool.shard_count(); ++shard) {
    if (have.count(shard) != 0) continue;
    if (unreadable.count(shard) != 0) {
      unscored += shard_rows(pool, shard);
    } else {
      missing.push_back(shard);
    }
  }
  SALIENT_CHECK(missing.empty(),
                "round {} of study '{}' is not completely scored: shard(s) {} have no score table in {}/scores; run "
                "`salient score` again (it resumes)",
                round, study_dir, fmt::join(missing, ", "), io::StudyDir(study_dir).round(round));
  if (unscored_images != nullptr) *unscored_images = unscored;

  // This rank's block: a contiguous run of the scored shards, so of ascending global indices.
  const auto ranks = static_cast<std::size_t>(group.size()), rank = static_cast<std::size_t>(group.rank());
  const std::vector<std::int64_t> mine(scored.begin() + static_cast<std::ptrdiff_t>(scored.size() * rank / ranks),
                                       scored.begin() + static_cast<std::ptrdiff_t>(scored.size() * (rank + 1) / ranks));
  io::ScoreTableSubset subset;
  subset.criteria.emplace();
  for (const auto& criterion : selection::strategy_criteria(strategy)) subset.criteria->push_back(criterion.name);
  subset.embeddings = selection::descriptor_of(strategy.strategy).reads_embeddings;
  std::vector<std::int64_t> indices;
  std::vector<std::string> ids;
  std::map<std::string, std::vector<float>> columns;
  std::int64_t embedding_dim = -1;  // −1 before the first table
  std::vector<float> embeddings;
  std::int64_t classes = 0;
  std::string probability_kind;
  std::vector<float> probabilities;
  agree_on_failure(group, [&] {
    for (const auto shard : mine) {
      const io::ScoreTable table = io::read_score_table(io::StudyDir(study_dir).score_table(round, shard), subset);
      SALIENT_CHECK(embedding_dim < 0 || table.embeddings.dim == embedding_dim,
                    "{} has embeddings of dimension {}, an earlier table {}",
                    io::StudyDir(study_dir).score_table(round, shard), table.embeddings.dim, embedding_dim);
      embedding_dim = table.embeddings.dim;
      embeddings.insert(embeddings.end(), table.embeddings.values.begin(), table.embeddings.values.end());
      SALIENT_CHECK(shard == mine.front() ||
                        (table.probabilities.dim == classes && table.probability_kind == probability_kind),
                    "{} has probabilities of {} classes ({}), an earlier table {} ({})",
                    io::StudyDir(study_dir).score_table(round, shard), table.probabilities.dim, table.probability_kind,
                    classes, probability_kind);
      classes = table.probabilities.dim;
      probability_kind = table.probability_kind;
      probabilities.insert(probabilities.end(), table.probabilities.values.begin(), table.probabilities.values.end());
      indices.insert(indices.end(), table.indices.begin(), table.indices.end());
      ids.insert(ids.end(), table.ids.begin(), table.ids.end());
      for (const auto& column : table.columns) {
        auto& values = columns[column.name];
        SALIENT_CHECK(values.size() + column.values.size() == indices.size(),
                      "{} has column {} that an earlier table lacks (or lacks one it has)",
                      io::StudyDir(study_dir).score_table(round, shard), column.name);
        values.insert(values.end(), column.values.begin(), column.values.end());
      }
    }
  });
  // Every rank's tables must agree with every other's; a rank without shards (more ranks
  // than shards) takes their columns, empty.
  struct Schema {
    std::int64_t embedding_dim, classes, multi_label, rows;
  };
  const Schema schema{std::max<std::int64_t>(embedding_dim, 0), classes, probability_kind == "multi-label" ? 1 : 0,
                      static_cast<std::int64_t>(indices.size())};
  const auto schemas = selection::all_gather_value(group, schema);
  for (std::size_t other = 0; other < schemas.size(); ++other) {
    const auto& theirs = schemas[other];
    if (theirs.rows == 0) continue;
    if (indices.empty()) {
      embedding_dim = theirs.embedding_dim;
      classes = theirs.classes;
      probability_kind = theirs.multi_label != 0 ? "multi-label" : "multi-class";
      for (const auto& criterion : *subset.criteria) columns[criterion];
      continue;
    }
    SALIENT_CHECK(theirs.embedding_dim == schema.embedding_dim && theirs.classes == schema.classes &&
                      theirs.multi_label == schema.multi_label,
                  "round {} of study '{}': the score tables of rank {} have embeddings of dimension {} and {} class "
                  "probabilities, those of rank {} {} and {}: score the round again",
                  round, study_dir, other, theirs.embedding_dim, theirs.classes, group.rank(), schema.embedding_dim,
                  schema.classes);
  }
  selection::CriteriaTable table(std::move(indices), std::move(ids));
  for (auto& [name, values] : columns) table.set_column(name, std::move(values));
  if (embedding_dim > 0) table.set_embeddings(embedding_dim, std::move(embeddings));
  if (classes > 0) table.set_probabilities(classes, std::move(probabilities), probability_kind == "multi-label");
  return table;
}

SelectOutcome select_round(const SelectJob& job, selection::RankGroup& group) {
  const io::Pool pool = io::Pool::open(job.config.pool.directory);
  SelectOutcome outcome;
  outcome.csv_path = job.csv_path.empty() ? io::StudyDir(job.study_dir).selection(job.round) : job.csv_path;
  const io::LabelTable labels = read_study_labels(job.study_dir, pool.manifest());
  std::set<std::string> round_labels;
  for (const auto& row : labels.rows) {
    if (row.round == job.round) round_labels.insert(row.id);
  }
  std::set<std::string> labeled;
  for (const auto& row : labels.rows) labeled.insert(row.id);
  const auto held_out = validation_ids(job.study_dir);
  const bool replaces_labeled = !round_labels.empty() && std::filesystem::exists(outcome.csv_path) &&
                                std::filesystem::equivalent(outcome.csv_path, io::StudyDir(job.study_dir).selection(job.round));
  if (replaces_labeled) {
    SALIENT_CHECK(job.force,
                  "round {} of '{}' has {} labels from its selection ({}): selecting again would replace {} under "
                  "them. Write another selection with --out FILE, or give --force to replace it and set aside the "
                  "labels of images it leaves out",
                  job.round, job.study_dir, round_labels.size(), io::StudyDir(job.study_dir).labels(), outcome.csv_path);
    for (const auto& id : round_labels) labeled.erase(id);
  }
  const auto spec = strategy_spec_of(job.config, job.round);
  auto table = read_round_criteria(job.study_dir, job.round, pool, spec, &outcome.unscored_images, group);
  if (spec.strategy == selection::Strategy::cluster_margin)
    table.set_clusters(study_clusters(job.study_dir, table, spec, group));
  if (spec.strategy == selection::Strategy::ideal_deep) table.set_forest(study_forest(job.study_dir, job.round, group));
  outcome.selection = selection::select(table, spec, labeled, {held_out.begin(), held_out.end()}, group);
  if (group.rank() != 0) return outcome;
  if (replaces_labeled) set_aside_labels(job, labels, outcome);

  outcome.json_path = (std::filesystem::path(outcome.csv_path).replace_extension(".json")).string();
  io::write_file_atomically(outcome.csv_path, selection_csv(outcome.selection, pool));
  write_selection_maps(job, pool, outcome);
  io::write_file_atomically(outcome.json_path, selection_json(outcome.selection, spec, outcome.unscored_images,
                                                              outcome.csv_path, outcome.montage_path));
  return outcome;
}

}  // namespace salient::round
