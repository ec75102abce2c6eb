#include "salient/io/score_table.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <functional>
#include <regex>
#include <set>
#include <system_error>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "salient/check.h"
#include "salient/io/atomic_file.h"
#include "salient/io/csv.h"
#include "salient/io/hdf5.h"
#include "salient/io/study_dir.h"

namespace salient::io {
namespace {

constexpr const char* kFormatName = "salient-scores";

// Root attributes the format itself uses; a table's own attributes take the other names.
constexpr const char* kEmbeddings = "embeddings";
constexpr const char* kProbabilities = "probabilities";
constexpr const char* kProbabilityKind = "probability_kind";

bool is_format_attribute(const std::string& name) {
  return name == "format" || name == "round" || name == "shard" || name == kProbabilityKind;
}

h5::File open_score_file(const std::string& path) {
  auto file = h5::File::open(path);
  SALIENT_CHECK(file.string_attribute("format") == kFormatName, "'{}' is not a salient score table", path);
  return file;
}

std::map<std::string, std::string> own_attributes(const h5::File& file) {
  std::map<std::string, std::string> attributes;
  for (const auto& name : file.attribute_names()) {
    if (!is_format_attribute(name)) attributes.emplace(name, file.string_attribute(name));
  }
  return attributes;
}

std::vector<std::string> column_names(const ScoreTable& table) {
  std::vector<std::string> names;
  for (const auto& column : table.columns) names.push_back(column.name);
  return names;
}

// A part file found on disk: rows [first_row, end_row) of its shard.
struct ScorePart {
  std::int64_t first_row = 0;
  std::int64_t end_row = 0;
  std::string path;
};

std::vector<ScorePart> list_parts(const std::string& study_dir, std::int64_t round, std::int64_t shard) {
  std::vector<ScorePart> parts;
  const auto dir = std::filesystem::path(StudyDir(study_dir).scores(round));
  if (!std::filesystem::is_directory(dir)) return parts;
  // The whole name must match: temporaries carry a suffix after ".h5".
  const std::regex part_name(fmt::format(R"(shard-{:05d}\.rows-(\d+)-(\d+)\.h5)", shard));
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    std::smatch rows;
    if (std::regex_match(name, rows, part_name)) {
      parts.push_back({std::stoll(rows[1].str()), std::stoll(rows[2].str()), entry.path().string()});
    }
  }
  std::sort(parts.begin(), parts.end(), [](const ScorePart& a, const ScorePart& b) {
    return std::tie(a.first_row, a.end_row) < std::tie(b.first_row, b.end_row);
  });
  return parts;
}

// Parts (sorted as list_parts sorts them, each one @p usable) that tile rows [0, end) in
// order, or none. Depth first from row 0, trying the longest part that starts at a row
// first; a row from which no chain reaches the end is remembered, so each row is explored
// once and @p usable asked at most once a part.
std::vector<const ScorePart*> tiling_chain(const std::vector<ScorePart>& parts, std::int64_t end,
                                           const std::function<bool(const ScorePart&)>& usable) {
  std::vector<const ScorePart*> chain;
  std::set<std::int64_t> dead_ends;
  const std::function<bool(std::int64_t)> reaches_end = [&](std::int64_t row) {
    if (row == end) return true;
    if (dead_ends.count(row) > 0) return false;
    for (auto part = parts.rbegin(); part != parts.rend(); ++part) {
      if (part->first_row != row || part->end_row <= row || part->end_row > end || !usable(*part)) continue;
      chain.push_back(&*part);
      if (reaches_end(part->end_row)) return true;
      chain.pop_back();
    }
    dead_ends.insert(row);
    return false;
  };
  if (!reaches_end(0)) chain.clear();
  return chain;
}

ScoreTable read_part(const ScorePart& part) {
  ScoreTable table = read_score_table(part.path);
  SALIENT_CHECK(static_cast<std::int64_t>(table.indices.size()) == part.end_row - part.first_row,
                "score part '{}' holds {} rows, its name says {}", part.path, table.indices.size(),
                part.end_row - part.first_row);
  return table;
}

// Appends the rows of @p part to @p merged after checking that both come from the same
// scoring; errors name the part's file and the file @p merged was first read from.
void append_part(ScoreTable& merged, const std::string& merged_path, const ScoreTable& part,
                 const std::string& part_path) {
  const auto differ = fmt::format("score parts '{}' and '{}' differ in", merged_path, part_path);
  SALIENT_CHECK(part.round == merged.round && part.shard == merged.shard, "{} round/shard: {}/{} vs {}/{}", differ,
                merged.round, merged.shard, part.round, part.shard);
  SALIENT_CHECK(column_names(part) == column_names(merged), "{} criteria: {} vs {}", differ,
                fmt::join(column_names(merged), ","), fmt::join(column_names(part), ","));
  SALIENT_CHECK(part.reason_names == merged.reason_names, "{} reason names: {} vs {}", differ,
                fmt::join(merged.reason_names, ","), fmt::join(part.reason_names, ","));
  SALIENT_CHECK(part.attributes == merged.attributes, "{} attributes: {} vs {}", differ, merged.attributes,
                part.attributes);
  const auto append_rows = [&](const char* name, FeatureRows& into, const FeatureRows& from) {
    SALIENT_CHECK(from.dim == into.dim && from.half == into.half, "{} {}: {} {} vs {} {}", differ, name, into.dim,
                  into.half ? "float16" : "float32", from.dim, from.half ? "float16" : "float32");
    into.values.insert(into.values.end(), from.values.begin(), from.values.end());
  };
  append_rows(kEmbeddings, merged.embeddings, part.embeddings);
  append_rows(kProbabilities, merged.probabilities, part.probabilities);
  SALIENT_CHECK(part.probability_kind == merged.probability_kind, "{} probability kind: '{}' vs '{}'", differ,
                merged.probability_kind, part.probability_kind);
  merged.indices.insert(merged.indices.end(), part.indices.begin(), part.indices.end());
  merged.ids.insert(merged.ids.end(), part.ids.begin(), part.ids.end());
  for (std::size_t c = 0; c < merged.columns.size(); ++c) {
    auto& into = merged.columns[c];
    const auto& from = part.columns[c];
    into.values.insert(into.values.end(), from.values.begin(), from.values.end());
    into.reasons.insert(into.reasons.end(), from.reasons.begin(), from.reasons.end());
  }
}

// Every column has one value per image, NaN values and only they carry a reason, and
// the names fit the format.
void check_table(const std::string& path, const ScoreTable& table) {
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
  for (const auto* rows : {&table.embeddings, &table.probabilities}) {
    SALIENT_CHECK(rows->dim >= 0 && rows->values.size() == n * static_cast<std::size_t>(rows->dim),
                  "score table '{}': {} {} values for {} images of dimension {}", path, rows->values.size(),
                  rows == &table.embeddings ? kEmbeddings : kProbabilities, n, rows->dim);
  }
  SALIENT_CHECK(!table.probabilities.half, "score table '{}': probabilities are stored as float32", path);
  SALIENT_CHECK((table.probabilities.dim > 0) == (table.probability_kind == "multi-label" ||
                                                  table.probability_kind == "multi-class"),
                "score table '{}': probabilities need a probability_kind of multi-label or multi-class, got '{}'",
                path, table.probability_kind);
  for (const auto& [name, value] : table.attributes) {
    SALIENT_CHECK(!is_format_attribute(name), "score table '{}': attribute name '{}' is taken by the format", path,
                  name);
  }
}

// Columns in name order: the order of datasets in the file, whatever the table's order.
std::vector<const ScoreColumn*> columns_by_name(const ScoreTable& table) {
  std::vector<const ScoreColumn*> columns;
  for (const auto& column : table.columns) columns.push_back(&column);
  std::sort(columns.begin(), columns.end(),
            [](const ScoreColumn* a, const ScoreColumn* b) { return a->name < b->name; });
  return columns;
}

void write_feature_rows(h5::File& file, const char* name, const FeatureRows& rows, std::size_t n) {
  if (rows.dim == 0) return;
  const std::vector<std::uint64_t> dims{n, static_cast<std::uint64_t>(rows.dim)};
  if (!rows.half) {
    file.write(name, dims, rows.values.data());
    return;
  }
  std::vector<Float16> half(rows.values.size());
  std::transform(rows.values.begin(), rows.values.end(), half.begin(), to_float16);
  file.write(name, dims, half.data());
}

FeatureRows read_feature_rows(const h5::File& file, const std::string& path, const char* name, std::size_t n) {
  FeatureRows rows;
  const auto dataset = file.dataset(name);
  SALIENT_CHECK(dataset.shape().size() == 2 && dataset.shape()[0] == n,
                "'{}', dataset '{}': shape must be [{}, d] (one row per index)", path, name, n);
  rows.dim = static_cast<std::int64_t>(dataset.shape()[1]);
  rows.half = dataset.holds<Float16>();
  if (rows.half) {
    const auto half = dataset.read_all<Float16>();
    rows.values.resize(half.size());
    std::transform(half.begin(), half.end(), rows.values.begin(), [](Float16 h) { return to_float(h); });
  } else {
    SALIENT_CHECK(dataset.holds<float>(), "'{}', dataset '{}' holds {}, not float16 or float32", path, name,
                  dataset.element_name());
    rows.values = dataset.read_all<float>();
  }
  return rows;
}

}  // namespace

void write_score_table(const std::string& path, const ScoreTable& table) {
  check_table(path, table);
  const std::size_t n = table.indices.size();
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  AtomicOutput output(path);
  {
    auto file = h5::File::create(output.temporary_path());
    file.set_attribute("format", std::string(kFormatName));
    file.set_attribute("round", table.round);
    file.set_attribute("shard", table.shard);
    for (const auto& [name, value] : table.attributes) file.set_attribute(name, value);
    file.write("index", {n}, table.indices.data());
    file.write_strings("ids", table.ids);
    file.write_strings("reason_names", table.reason_names);
    for (const ScoreColumn* column : columns_by_name(table)) {
      file.write("criteria/" + column->name, {n}, column->values.data());
      file.write("reasons/" + column->name, {n}, column->reasons.data());
    }
    write_feature_rows(file, kEmbeddings, table.embeddings, n);
    write_feature_rows(file, kProbabilities, table.probabilities, n);
    if (table.probabilities.dim > 0) file.set_attribute(kProbabilityKind, table.probability_kind);
    file.flush();
  }
  output.commit();
}

ScoreTable read_score_table(const std::string& path, const ScoreTableSubset& subset) {
  const auto file = open_score_file(path);
  ScoreTable table;
  table.round = file.int_attribute("round");
  table.shard = file.int_attribute("shard");
  table.attributes = own_attributes(file);
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
  if (subset.criteria) {
    for (const auto& wanted : *subset.criteria) {
      SALIENT_CHECK(std::binary_search(names.begin(), names.end(), wanted),
                    "'{}' has no criterion '{}': the round was scored without it", path, wanted);
    }
    std::vector<std::string> kept(subset.criteria->begin(), subset.criteria->end());
    std::sort(kept.begin(), kept.end());
    kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
    names = std::move(kept);
  }
  for (const auto& name : names) {
    ScoreColumn column{name, file.read<double>("criteria/" + name), file.read<std::uint8_t>("reasons/" + name)};
    SALIENT_CHECK(column.values.size() == table.indices.size() && column.reasons.size() == table.indices.size(),
                  "'{}', criterion '{}': length differs from 'index'", path, name);
    table.columns.push_back(std::move(column));
  }
  if (subset.embeddings && file.has_dataset(kEmbeddings)) {
    table.embeddings = read_feature_rows(file, path, kEmbeddings, table.indices.size());
  }
  if (subset.embeddings && file.has_dataset(kProbabilities)) {
    table.probabilities = read_feature_rows(file, path, kProbabilities, table.indices.size());
    table.probability_kind = file.string_attribute(kProbabilityKind);
  }
  return table;
}

std::map<std::string, std::string> read_score_attributes(const std::string& path) {
  return own_attributes(open_score_file(path));
}

std::vector<std::int64_t> scored_shards(const std::string& study_dir, std::int64_t round) {
  std::vector<std::int64_t> shards;
  const auto dir = std::filesystem::path(StudyDir(study_dir).scores(round));
  if (!std::filesystem::is_directory(dir)) return shards;
  // Complete tables are named shard-NNNNN.h5; part files carry ".rows-F-E" before ".h5",
  // temporaries a suffix after it.
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

std::vector<std::int64_t> shards_with_parts(const std::string& study_dir, std::int64_t round) {
  std::set<std::int64_t> shards;
  const auto dir = std::filesystem::path(StudyDir(study_dir).scores(round));
  if (!std::filesystem::is_directory(dir)) return {};
  const std::regex part_name(R"(shard-(\d{5})\.rows-\d+-\d+\.h5)");
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    std::smatch match;
    if (std::regex_match(name, match, part_name)) shards.insert(std::stoll(match[1].str()));
  }
  return {shards.begin(), shards.end()};
}

std::vector<std::string> score_part_files(const std::string& study_dir, std::int64_t round, std::int64_t shard) {
  std::vector<std::string> paths;
  for (const auto& part : list_parts(study_dir, round, shard)) paths.push_back(part.path);
  return paths;
}

bool merge_score_parts(const std::string& study_dir, std::int64_t round, std::int64_t shard, std::int64_t shard_rows,
                       const std::map<std::string, std::string>& attributes) {
  SALIENT_CHECK(shard_rows > 0, "round {}, shard {}: a shard of {} rows has no parts to merge", round, shard,
                shard_rows);
  const auto parts = list_parts(study_dir, round, shard);
  const auto chain = tiling_chain(parts, shard_rows, [&](const ScorePart& part) {
    return read_score_attributes(part.path) == attributes;
  });
  if (chain.empty()) return false;
  const std::string& first_path = chain.front()->path;
  ScoreTable merged = read_part(*chain.front());
  SALIENT_CHECK(merged.round == round && merged.shard == shard,
                "score part '{}' holds round {}, shard {}: expected round {}, shard {}", first_path, merged.round,
                merged.shard, round, shard);
  for (std::size_t i = 1; i < chain.size(); ++i) append_part(merged, first_path, read_part(*chain[i]), chain[i]->path);
  write_score_table(StudyDir(study_dir).score_table(round, shard), merged);
  for (const auto& part : parts) {
    std::error_code error;
    std::filesystem::remove(part.path, error);
    SALIENT_CHECK(!error, "cannot remove merged score part '{}': {}", part.path, error.message());
  }
  return true;
}

std::int64_t export_scores_csv(const std::string& study_dir, std::int64_t round, const std::string& csv_path) {
  const auto shards = scored_shards(study_dir, round);
  SALIENT_CHECK(!shards.empty(), "no score tables for round {} under '{}'", round,
                std::filesystem::path(StudyDir(study_dir).scores(round)).string());
  std::string text;
  std::vector<std::string> criteria;
  std::int64_t rows = 0;
  for (const auto shard : shards) {
    const std::string path = StudyDir(study_dir).score_table(round, shard);
    const ScoreTable table = read_score_table(path);
    const std::vector<std::string> names = column_names(table);
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
