#include "engine/round/score_report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <utility>

namespace salient::round {
namespace {

using Stage = std::pair<const char*, double StageTimes::*>;
constexpr std::array<Stage, 5> kStages{{{"read", &StageTimes::read},
                                        {"saliency", &StageTimes::saliency},
                                        {"model", &StageTimes::model},
                                        {"kernels", &StageTimes::kernels},
                                        {"write", &StageTimes::write}}};

nlohmann::json stages_json(const StageTimes& times) {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [name, field] : kStages) json[name] = times.*field;
  return json;
}

double stage_sum(const StageTimes& times) {
  double sum = 0;
  for (const auto& stage : kStages) sum += times.*stage.second;
  return sum;
}

}  // namespace

std::string rank_report_json(const RankScoreReport& report) {
  nlohmann::json json{{"rank", report.rank},
                      {"host", report.host},
                      {"device", report.device},
                      {"threads", report.threads},
                      {"images_scored", report.images_scored},
                      {"images_computed", report.images_computed},
                      {"tables_written", report.tables_written},
                      {"parts_written", report.parts_written},
                      {"seconds", report.seconds},
                      {"stages", stages_json(report.times)}};
  json["unreadable_shards"] = nlohmann::json::array();
  for (const auto& bad : report.unreadable) {
    json["unreadable_shards"].push_back({{"shard", bad.shard}, {"message", bad.message}});
  }
  return json.dump();
}

RankScoreReport rank_report_from_json(const std::string& text) {
  const auto json = nlohmann::json::parse(text);
  RankScoreReport report;
  report.rank = json.at("rank").get<int>();
  report.host = json.at("host").get<std::string>();
  report.device = json.at("device").get<std::string>();
  report.threads = json.at("threads").get<int>();
  report.images_scored = json.at("images_scored").get<std::int64_t>();
  report.images_computed = json.at("images_computed").get<std::int64_t>();
  report.tables_written = json.at("tables_written").get<std::int64_t>();
  report.parts_written = json.at("parts_written").get<std::int64_t>();
  report.seconds = json.at("seconds").get<double>();
  for (const auto& [name, field] : kStages) report.times.*field = json.at("stages").at(name).get<double>();
  for (const auto& bad : json.at("unreadable_shards")) {
    report.unreadable.push_back({bad.at("shard").get<std::int64_t>(), bad.at("message").get<std::string>()});
  }
  return report;
}

std::string score_report_json(const ScoreReport& report) {
  StageTimes total;
  std::int64_t scored = 0, computed = 0;
  nlohmann::json ranks = nlohmann::json::array();
  nlohmann::json unreadable = nlohmann::json::array();
  for (const auto& rank : report.ranks) {
    ranks.push_back(nlohmann::json::parse(rank_report_json(rank)));
    for (const auto& [name, field] : kStages) total.*field += rank.times.*field;
    scored += rank.images_scored;
    computed += rank.images_computed;
    for (const auto& bad : rank.unreadable) unreadable.push_back({{"shard", bad.shard}, {"message", bad.message}});
  }
  for (const auto& bad : report.damaged) unreadable.push_back({{"shard", bad.shard}, {"message", bad.message}});
  const nlohmann::json json{
      {"round", report.round},
      {"pool", report.pool},
      {"model", report.model},
      {"scoring", nlohmann::json::parse(report.fingerprint)},
      {"pool_images", report.pool_images},
      {"shards", report.shards},
      {"shards_already_scored", report.shards_already_scored},
      {"parts_merged", report.parts_merged},
      {"images_scored", scored},
      {"images_computed", computed},
      {"seconds", report.seconds},
      {"images_per_second", report.seconds > 0 ? static_cast<double>(scored) / report.seconds : 0.0},
      {"stage_seconds_all_ranks", stages_json(total)},
      {"unreadable_shards", unreadable},
      {"ranks", ranks}};
  return json.dump(2) + "\n";
}

std::string stage_table(const ScoreReport& report) {
  std::string table = fmt::format("{:<9}", "stage");
  for (const auto& rank : report.ranks) table += fmt::format(" {:>10}", fmt::format("rank {} s", rank.rank));
  table += fmt::format(" {:>10} {:>6}\n", "total s", "share");
  StageTimes total;
  for (const auto& rank : report.ranks) {
    for (const auto& [name, field] : kStages) total.*field += rank.times.*field;
  }
  const double all = stage_sum(total);
  for (const auto& [name, field] : kStages) {
    table += fmt::format("{:<9}", name);
    for (const auto& rank : report.ranks) table += fmt::format(" {:>10.3f}", rank.times.*field);
    table += fmt::format(" {:>10.3f} {:>5.1f}%\n", total.*field, all > 0 ? 100.0 * total.*field / all : 0.0);
  }
  table += fmt::format("{:<9}", "images");
  for (const auto& rank : report.ranks) table += fmt::format(" {:>10}", rank.images_scored);
  return table;
}

}  // namespace salient::round
