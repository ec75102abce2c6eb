#include "engine/round/study_labels.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "engine/round/score_round.h"
#include "engine/training/validation_split.h"
#include "salient/check.h"
#include "salient/io/atomic_file.h"
#include "salient/io/csv.h"
#include "salient/io/csv_table.h"
#include "salient/io/study_dir.h"

namespace salient::round {
namespace {

bool exists(const std::string& path) { return std::filesystem::exists(path); }

std::int64_t parse_index(const std::string& text, const std::string& where) {
  try {
    std::size_t end = 0;
    const std::int64_t value = std::stoll(text, &end);
    if (end == text.size() && value >= 0) return value;
  } catch (const std::exception&) {
  }
  throw Error(fmt::format("{}: '{}' is not an image index", where, text));
}

std::set<std::string> labeled_ids(const io::LabelTable& table) {
  std::set<std::string> ids;
  for (const auto& row : table.rows) ids.insert(row.id);
  return ids;
}

bool round_is_labeled(const io::LabelTable& table, std::uint32_t round) {
  for (const auto& row : table.rows)
    if (row.round == round) return true;
  return false;
}

}  // namespace

io::LabelTable read_study_labels(const std::string& study_dir, const io::PoolManifest& manifest) {
  const std::string path = io::StudyDir(study_dir).labels();
  if (!exists(path)) return io::LabelTable{manifest.label_names, {}};
  std::vector<io::BadLabelCell> bad_cells;
  auto table = io::read_labels_csv(path, manifest.label_names, nullptr, &bad_cells);
  SALIENT_CHECK(bad_cells.empty(),
                "{} ({} such cell(s) in {}): correct them with `salient labels import FILE --replace --study {}`, "
                "FILE holding id and every label column of those images",
                bad_cells.front().message, bad_cells.size(), path, study_dir);
  return table;
}

std::vector<SelectedImage> read_selection_csv(const std::string& path) {
  const io::CsvTable table(path);
  const std::size_t id = table.column("id");
  const std::size_t index = table.column("index");
  std::vector<SelectedImage> images;
  for (const auto& row : table.rows()) {
    images.push_back({table.field(row, id),
                      parse_index(table.field(row, index), fmt::format("'{}' line {} column 'index'", path, row.line))});
  }
  return images;
}

std::int64_t acquire_oracle_labels(const std::string& study_dir, const io::Pool& pool, std::uint32_t round) {
  const auto& manifest = pool.manifest();
  io::LabelTable table = read_study_labels(study_dir, manifest);
  if (round_is_labeled(table, round)) return 0;
  const auto already = labeled_ids(table);
  const auto classes = manifest.label_names.size();
  const std::string selection = io::StudyDir(study_dir).selection(round);
  std::map<std::int64_t, io::ShardFile> shards;  // each opened (and validated) once
  std::int64_t added = 0;
  for (const auto& image : read_selection_csv(selection)) {
    SALIENT_CHECK(!already.count(image.id), "{}: image '{}' is labeled already (labels.csv); a selection never repeats "
                  "one", selection, image.id);
    SALIENT_CHECK(image.index >= 0 && image.index < pool.size(), "{}: image index {} is outside the pool '{}'",
                  selection, image.index, pool.dir());
    const io::ImageLocation at = pool.locate(image.index);
    auto opened = shards.find(at.shard);
    if (opened == shards.end()) opened = shards.emplace(at.shard, pool.open_shard(at.shard)).first;
    const io::ShardFile& shard = opened->second;
    const std::string& stored = shard.ids()[static_cast<std::size_t>(at.row)];
    SALIENT_CHECK(stored == image.id, "{}: image {} of the pool is '{}', not '{}'", selection, image.index, stored,
                  image.id);
    io::LabelRow row{image.id, std::vector<std::int8_t>(classes), round, "oracle"};
    shard.read_labels(at.row, 1, row.labels.data());
    table.rows.push_back(std::move(row));
    ++added;
  }
  io::write_labels_csv(io::StudyDir(study_dir).labels(), table);
  return added;
}

std::uint32_t awaiting_round(const std::string& study_dir, const io::PoolManifest& manifest) {
  for (std::uint32_t round = 0;; ++round) {
    if (!exists(io::StudyDir(study_dir).selection(round))) {
      throw Error(fmt::format("study '{}' has no selection awaiting labels (every selected round is labeled)",
                              study_dir));
    }
    if (!awaited_ids(study_dir, manifest, round).empty()) return round;
  }
}

std::vector<std::string> awaited_ids(const std::string& study_dir, const io::PoolManifest& manifest,
                                     std::uint32_t round) {
  const auto labeled = labeled_ids(read_study_labels(study_dir, manifest));
  std::vector<std::string> awaited;
  for (const auto& image : read_selection_csv(io::StudyDir(study_dir).selection(round))) {
    if (!labeled.count(image.id)) awaited.push_back(image.id);
  }
  return awaited;
}

namespace {

// One row of an annotator's CSV, with where it came from.
struct AnnotatorRow {
  std::string where;  ///< 'FILE' line N
  io::LabelRow row;   ///< its round left for the caller
};

// An annotator's CSV: a header with `id` and every label column of the pool in any order,
// optionally `source` (empty: "annotator"); cells 1, 0, −1 or empty. Refuses a bad cell or
// an id twice, naming file, line and column.
std::vector<AnnotatorRow> read_annotator_csv(const std::string& csv_path, const io::PoolManifest& manifest) {
  const io::CsvTable input(csv_path);
  const std::size_t id_column = input.column("id");
  std::vector<std::size_t> label_columns;
  for (const auto& name : manifest.label_names) label_columns.push_back(input.column(name));
  const auto source_column = input.find_column("source");
  std::set<std::string> seen;
  std::vector<AnnotatorRow> rows;
  for (const auto& record : input.rows()) {
    AnnotatorRow annotated{fmt::format("'{}' line {}", csv_path, record.line), {}};
    io::LabelRow& row = annotated.row;
    row.id = input.field(record, id_column);
    SALIENT_CHECK(seen.insert(row.id).second, "{}: image '{}' appears twice", annotated.where, row.id);
    row.source = source_column ? input.field(record, *source_column) : "";
    if (row.source.empty()) row.source = "annotator";
    for (std::size_t c = 0; c < label_columns.size(); ++c) {
      row.labels.push_back(io::parse_label_cell(input.field(record, label_columns[c]),
                                                fmt::format("{} column '{}'", annotated.where, manifest.label_names[c])));
    }
    rows.push_back(std::move(annotated));
  }
  return rows;
}

}  // namespace

LabelImport import_labels(const std::string& study_dir, const io::Pool& pool, const std::string& csv_path) {
  const auto& manifest = pool.manifest();
  LabelImport outcome;
  outcome.round = awaiting_round(study_dir, manifest);
  const auto awaited = awaited_ids(study_dir, manifest, outcome.round);
  const std::unordered_set<std::string> awaited_set(awaited.begin(), awaited.end());
  io::LabelTable table = read_study_labels(study_dir, manifest);
  const auto labeled = labeled_ids(table);
  for (auto& [where, row] : read_annotator_csv(csv_path, manifest)) {
    SALIENT_CHECK(!labeled.count(row.id), "{}: image '{}' is labeled already in {} (`--replace` corrects a label)",
                  where, row.id, io::StudyDir(study_dir).labels());
    SALIENT_CHECK(awaited_set.count(row.id), "{}: image '{}' is not in round {}'s selection ({})", where, row.id,
                  outcome.round, io::StudyDir(study_dir).selection(outcome.round));
    row.round = outcome.round;
    table.rows.push_back(std::move(row));
    ++outcome.added;
  }
  outcome.awaited = static_cast<std::int64_t>(awaited.size()) - outcome.added;
  io::write_labels_csv(io::StudyDir(study_dir).labels(), table);
  return outcome;
}

LabelReplacement replace_labels(const std::string& study_dir, const io::Pool& pool, const std::string& csv_path) {
  const auto& manifest = pool.manifest();
  const std::string path = io::StudyDir(study_dir).labels();
  SALIENT_CHECK(exists(path), "study '{}' has no labels to replace ({} does not exist)", study_dir, path);
  std::vector<io::BadLabelCell> bad_cells;
  io::LabelTable table = io::read_labels_csv(path, manifest.label_names, nullptr, &bad_cells);
  std::unordered_map<std::string, std::size_t> row_of;
  for (std::size_t r = 0; r < table.rows.size(); ++r) row_of.emplace(table.rows[r].id, r);

  LabelReplacement outcome;
  std::set<std::size_t> replaced;
  for (auto& [where, row] : read_annotator_csv(csv_path, manifest)) {
    const auto found = row_of.find(row.id);
    SALIENT_CHECK(found != row_of.end(), "{}: image '{}' has no label in {} to replace (import it without --replace)",
                  where, row.id, path);
    io::LabelRow& stored = table.rows[found->second];
    stored.labels = std::move(row.labels);
    stored.source = std::move(row.source);
    replaced.insert(found->second);
  }
  for (const auto& bad : bad_cells) {
    SALIENT_CHECK(replaced.count(bad.row), "{}, and '{}' does not replace image '{}': nothing was written",
                  bad.message, csv_path, table.rows[bad.row].id);
  }
  outcome.replaced = static_cast<std::int64_t>(replaced.size());
  outcome.repaired = static_cast<std::int64_t>(bad_cells.size());
  io::write_labels_csv(path, table);
  return outcome;
}

std::vector<std::string> validation_ids(const std::string& study_dir) {
  std::vector<std::string> ids;
  const std::string path = io::StudyDir(study_dir).validation();
  if (!exists(path)) return ids;
  const io::CsvTable table(path);
  const std::size_t id = table.column("id");
  for (const auto& row : table.rows()) ids.push_back(table.field(row, id));
  return ids;
}

std::set<std::string> unselectable_ids(const std::string& study_dir, const io::LabelTable& labels) {
  std::set<std::string> ids;
  for (const auto& row : labels.rows) ids.insert(row.id);
  for (auto& id : validation_ids(study_dir)) ids.insert(std::move(id));
  return ids;
}

std::int64_t selectable_images(const std::string& study_dir, const io::Pool& pool) {
  const auto taken = unselectable_ids(study_dir, read_study_labels(study_dir, pool.manifest()));
  std::int64_t count = 0;
  for (const auto& [id, index] : pool.id_index()) count += taken.count(id) == 0 ? 1 : 0;
  return count;
}

std::vector<std::int64_t> study_validation_split(const std::string& study_dir, const io::Pool& pool,
                                                 const StudyConfig& config) {
  const std::string path = io::StudyDir(study_dir).validation();
  std::map<std::int64_t, std::string> id_of_index;
  for (std::int64_t shard = 0; shard < pool.shard_count(); ++shard) {
    const auto ids = pool.open_shard(shard).ids();
    for (std::size_t row = 0; row < ids.size(); ++row) id_of_index[pool.first_index(shard) + row] = ids[row];
  }
  std::vector<std::int64_t> indices;
  if (exists(path)) {
    const io::CsvTable table(path);
    const std::size_t id = table.column("id");
    const std::size_t index = table.column("index");
    for (const auto& row : table.rows()) {
      const std::string where = fmt::format("'{}' line {}", path, row.line);
      const std::int64_t at = parse_index(table.field(row, index), where);
      const auto found = id_of_index.find(at);
      SALIENT_CHECK(found != id_of_index.end() && found->second == table.field(row, id),
                    "{}: image {} of the pool '{}' is not '{}'", where, at, pool.dir(), table.field(row, id));
      indices.push_back(at);
    }
    return indices;
  }
  training::ValidationSplitOptions options;
  options.fraction = config.training.validation.fraction;
  options.limit = config.training.validation.limit;
  options.seed = config.scoring.seed;
  indices = training::validation_split(pool, options);
  std::string text = "id,index\n";
  for (const std::int64_t at : indices) text += fmt::format("{},{}\n", io::csv_field(id_of_index.at(at)), at);
  io::write_file_atomically(path, text);
  spdlog::info("validation split: {} images of the pool held out ({})", indices.size(), path);
  return indices;
}

}  // namespace salient::round
