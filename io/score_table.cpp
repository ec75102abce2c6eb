#include "salient/io/score_table.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <cctype>

#include <fmt/format.h>

#include "salient/check.h"
#include "salient/io/atomic_file.h"
#include "salient/io/csv.h"
#include "salient/io/hdf5.h"

namespace salient::io {
namespace {

constexpr const char* kFormatName = "salient-scores";

std::filesystem::path scores_dir(const std::string& study_dir, std::int64_t round) {
  return std::filesystem::path(study_dir) / "rounds" / fmt::format("{:03d}", round) / "scores";
}

}  // namespace

std::string score_table_path(const std::string& study_dir, std::int64_t round, std::int64_t shard) {
  return (scores_dir(study_dir, round) / fmt::format("shard-{:05d}.h5", shard)).string();
}

void write_score_table(const std::string& path, const ScoreTable& table) {
  const std::size_t n = table.indices.size();
  SALIENT_CHECK(table.ids.size() == n, "score table '{}': {} ids for {} images", path, table.ids.size(), n);
  SALIENT_CHECK(!table.reason_names.empty(), "score table '{}': reason code 0 needs a name", path);
  for (const auto& column : table.columns) {
    SALIENT_CHECK(column.values.size() == n && column.reasons.size() == n,
                  "score table '{}', criterion '{}': {} values and {} reasons for {} images", path, column.name,
                  column.values.size(), column.reasons.size(), n);
    SALIENT_CHECK(!column.name.empty() && column.name.find('/') == std::string::npos,
                  "score table '{}': criterion name '{}' must be non-empty without '/'", path, column.name);
    for (std::size_t i = 0; i < n; ++i) {
      SALIENT_CHECK(std::isnan(column.values[i]) == (column.reasons[i] != 0),
                    "score table '{}', criterion '{}' index {}: value {} with reason {} (NaN needs a reason, a number none)",
                    path, column.name, table.indices[i], column.values[i], column.reasons[i]);
      SALIENT_CHECK(column.reasons[i] < table.reason_names.size(),
                    "score table '{}', criterion '{}' index {}: reason code {} has no name", path, column.name,
                    table.indices[i], column.reasons[i]);
    }
  }
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  AtomicOutput output(path);
  {
    auto file = h5::File::create(output.temporary_path());
    file.set_attribute("format", std::string(kFormatName));
    file.set_attribute("round", table.round);
    file.set_attribute("shard", table.shard);
    file.write("index", {n}, table.indices.data());
    file.write_strings("ids", table.ids);
    file.write_strings("reason_names", table.reason_names);
    for (const auto& column : table.columns) {
      file.write("criteria/" + column.name, {n}, column.values.data());
      file.write("reasons/" + column.name, {n}, column.reasons.data());
    }
    file.flush();
  }
  output.commit();
}

ScoreTable read_score_table(const std::string& path) {
  const auto file = h5::File::open(path);
  SALIENT_CHECK(file.string_attribute("format") == kFormatName, "'{}' is not a salient score table", path);
  ScoreTable table;
  table.round = file.int_attribute("round");
  table.shard = file.int_attribute("shard");
  table.indices = file.read<std::int64_t>("index");
  table.ids = file.read_strings("ids");
  table.reason_names = file.read_strings("reason_names");
  SALIENT_CHECK(table.ids.size() == table.indices.size(), "'{}': {} ids for {} indices", path, table.ids.size(),
                table.indices.size());
  // Criteria come back in name order, whatever order they were written in.
  std::vector<std::string> names;
  const herr_t listed = H5Literate_by_name(
      file.id(), "criteria", H5_INDEX_NAME, H5_ITER_INC, nullptr,
      [](hid_t, const char* name, const H5L_info_t*, void* out) -> herr_t {
        static_cast<std::vector<std::string>*>(out)->emplace_back(name);
        return 0;
      },
      &names, H5P_DEFAULT);
  SALIENT_CHECK(listed >= 0 || !file.has_dataset("criteria"), "'{}': cannot list the criteria", path);
  for (const auto& name : names) {
    ScoreColumn column{name, file.read<double>("criteria/" + name), file.read<std::uint8_t>("reasons/" + name)};
    SALIENT_CHECK(column.values.size() == table.indices.size() && column.reasons.size() == table.indices.size(),
                  "'{}', criterion '{}': length differs from 'index'", path, name);
    table.columns.push_back(std::move(column));
  }
  return table;
}

std::vector<std::int64_t> scored_shards(const std::string& study_dir, std::int64_t round) {
  std::vector<std::int64_t> shards;
  const auto dir = scores_dir(study_dir, round);
  if (!std::filesystem::is_directory(dir)) return shards;
  // Complete tables are named shard-NNNNN.h5; temporaries carry a suffix after ".h5".
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    const bool digits = name.size() == 14 && std::all_of(name.begin() + 6, name.begin() + 11, ::isdigit);
    if (digits && name.compare(0, 6, "shard-") == 0 && name.compare(11, 3, ".h5") == 0) {
      shards.push_back(std::stoll(name.substr(6, 5)));
    }
  }
  std::sort(shards.begin(), shards.end());
  return shards;
}

std::int64_t export_scores_csv(const std::string& study_dir, std::int64_t round, const std::string& csv_path) {
  const auto shards = scored_shards(study_dir, round);
  SALIENT_CHECK(!shards.empty(), "no score tables for round {} under '{}'", round,
                scores_dir(study_dir, round).string());
  std::string text;
  std::vector<std::string> criteria;
  std::int64_t rows = 0;
  for (const auto shard : shards) {
    const std::string path = score_table_path(study_dir, round, shard);
    const ScoreTable table = read_score_table(path);
    std::vector<std::string> names;
    for (const auto& column : table.columns) names.push_back(column.name);
    if (criteria.empty()) {
      criteria = names;
      text = "index,id";
      for (const auto& name : criteria) text += "," + csv_field(name);
      for (const auto& name : criteria) text += "," + csv_field(name + "_reason");
      text += "\n";
    }
    SALIENT_CHECK(names == criteria, "'{}' holds criteria {}, the first table {}", path, fmt::join(names, ","),
                  fmt::join(criteria, ","));
    for (std::size_t i = 0; i < table.indices.size(); ++i) {
      text += fmt::format("{},{}", table.indices[i], csv_field(table.ids[i]));
      for (const auto& column : table.columns) text += fmt::format(",{}", column.values[i]);
      for (const auto& column : table.columns) {
        text += "," + (column.reasons[i] ? csv_field(table.reason_names[column.reasons[i]]) : std::string());
      }
      text += "\n";
      ++rows;
    }
  }
  write_file_atomically(csv_path, text);
  return rows;
}

}  // namespace salient::io
