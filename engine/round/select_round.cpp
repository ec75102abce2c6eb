#include "engine/round/select_round.h"

#include <torch/torch.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "engine/round/score_round.h"
#include "engine/round/selection_montage.h"
#include "engine/round/shard_collector.h"
#include "engine/round/study_labels.h"
#include "salient/io/atomic_file.h"
#include "salient/io/score_table.h"

namespace salient::round {
namespace {

// Shards that score-report.json lists as unreadable (skipped by --on-bad-image=skip).
std::set<std::int64_t> unreadable_shards(const std::string& study_dir, std::uint32_t round) {
  const auto path = std::filesystem::path(round_dir(study_dir, round)) / "score-report.json";
  std::set<std::int64_t> shards;
  std::ifstream input(path);
  if (!input) return shards;
  const auto report = nlohmann::json::parse(input, nullptr, false);
  if (report.is_discarded() || !report.contains("unreadable_shards")) return shards;
  for (const auto& bad : report.at("unreadable_shards")) shards.insert(bad.at("shard").get<std::int64_t>());
  return shards;
}

// Candidates never selected: the images labeled already and the validation split.
std::set<std::string> excluded_ids(const std::string& study_dir, const io::PoolManifest& manifest) {
  std::set<std::string> ids;
  for (const auto& row : read_study_labels(study_dir, manifest).rows) ids.insert(row.id);
  for (auto& id : validation_ids(study_dir)) ids.insert(std::move(id));
  return ids;
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
  const nlohmann::json json{{"strategy", selection::strategy_name(spec.strategy)},
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

}  // namespace

std::string montage_path_for(const std::string& csv_path) {
  std::filesystem::path path(csv_path);
  return (path.parent_path() / (path.stem().string() + "-montage.png")).string();
}

selection::CriteriaTable read_round_criteria(const std::string& study_dir, std::uint32_t round, const io::Pool& pool,
                                             std::int64_t* unscored_images) {
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
                round, study_dir, fmt::join(missing, ", "), round_dir(study_dir, round));
  if (unscored_images != nullptr) *unscored_images = unscored;

  std::vector<std::int64_t> indices;
  std::vector<std::string> ids;
  std::map<std::string, std::vector<float>> columns;
  for (const auto shard : scored) {
    const io::ScoreTable table = io::read_score_table(io::score_table_path(study_dir, round, shard));
    indices.insert(indices.end(), table.indices.begin(), table.indices.end());
    ids.insert(ids.end(), table.ids.begin(), table.ids.end());
    for (const auto& column : table.columns) {
      auto& values = columns[column.name];
      SALIENT_CHECK(values.size() + column.values.size() == indices.size(),
                    "{} has column {} that an earlier table lacks (or lacks one it has)",
                    io::score_table_path(study_dir, round, shard), column.name);
      values.insert(values.end(), column.values.begin(), column.values.end());
    }
  }
  selection::CriteriaTable table(std::move(indices), std::move(ids));
  for (auto& [name, values] : columns) table.set_column(name, std::move(values));
  return table;
}

SelectOutcome select_round(const SelectJob& job) {
  const io::Pool pool = io::Pool::open(job.config.pool);
  SelectOutcome outcome;
  const auto table = read_round_criteria(job.study_dir, job.round, pool, &outcome.unscored_images);
  const auto spec = strategy_spec_of(job.config, job.round);
  outcome.selection = selection::select(table, spec, excluded_ids(job.study_dir, pool.manifest()));

  outcome.csv_path = job.csv_path.empty()
                         ? (std::filesystem::path(round_dir(job.study_dir, job.round)) / "selection.csv").string()
                         : job.csv_path;
  outcome.json_path = (std::filesystem::path(outcome.csv_path).replace_extension(".json")).string();
  io::write_file_atomically(outcome.csv_path, selection_csv(outcome.selection, pool));
  if (job.montage_count > 0 && !outcome.selection.selected.empty()) {
    outcome.montage_path = montage_path_for(outcome.csv_path);
    write_selection_montage(job, pool, outcome.selection, outcome.montage_path);
  }
  io::write_file_atomically(outcome.json_path, selection_json(outcome.selection, spec, outcome.unscored_images,
                                                              outcome.csv_path, outcome.montage_path));
  return outcome;
}

}  // namespace salient::round
