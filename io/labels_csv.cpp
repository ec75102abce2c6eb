#include "salient/io/labels_csv.h"

#include <charconv>
#include <fstream>
#include <unordered_set>

#include <fmt/format.h>

#include "salient/check.h"
#include "salient/io/atomic_file.h"
#include "salient/io/csv.h"

namespace salient::io {
namespace {

std::int64_t parse_round(const std::string& cell, const std::string& where) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  SALIENT_CHECK(error == std::errc() && end == cell.data() + cell.size() && value >= 0,
                "{}: round '{}' is not a non-negative integer", where, cell);
  return value;
}

}  // namespace

std::int8_t parse_label_cell(const std::string& cell, const std::string& where) {
  if (cell.empty() || cell == "-1") return -1;
  if (cell == "1" || cell == "1.0") return 1;
  if (cell == "0" || cell == "0.0") return 0;
  throw Error(fmt::format("{}: '{}' is not a label (1, 0, -1 or empty)", where, cell));
}

LabelTable read_labels_csv(const std::string& path, const std::vector<std::string>& label_names,
                           const std::unordered_map<std::string, std::int64_t>* pool_ids,
                           std::vector<BadLabelCell>* bad_cells) {
  std::ifstream stream(path, std::ios::binary);
  SALIENT_CHECK(stream, "cannot open labels file '{}'", path);
  return parse_labels_csv(stream, path, label_names, pool_ids, bad_cells);
}

LabelTable parse_labels_csv(std::istream& input, const std::string& path, const std::vector<std::string>& label_names,
                            const std::unordered_map<std::string, std::int64_t>* pool_ids,
                            std::vector<BadLabelCell>* bad_cells) {
  CsvReader reader(input, path);
  std::vector<CsvRecord> records;
  for (CsvRecord record; reader.next(record);) records.push_back(record);
  SALIENT_CHECK(!records.empty(), "'{}' is empty: expected the header id,{},round,source", path,
                fmt::join(label_names, ","));
  std::vector<std::string> expected{"id"};
  expected.insert(expected.end(), label_names.begin(), label_names.end());
  expected.insert(expected.end(), {"round", "source"});
  SALIENT_CHECK(records[0].fields == expected, "'{}' line 1: header is '{}', expected '{}'", path,
                fmt::join(records[0].fields, ","), fmt::join(expected, ","));

  LabelTable table{label_names, {}};
  std::unordered_set<std::string> seen;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& record = records[r];
    SALIENT_CHECK(record.fields.size() == expected.size(), "'{}' line {}: {} fields, expected {}", path, record.line,
                  record.fields.size(), expected.size());
    LabelRow row;
    row.id = record.fields[0];
    SALIENT_CHECK(!row.id.empty(), "'{}' line {}: empty id", path, record.line);
    SALIENT_CHECK(seen.insert(row.id).second, "'{}' line {}: id '{}' is listed twice", path, record.line, row.id);
    SALIENT_CHECK(!pool_ids || pool_ids->count(row.id), "'{}' line {}: id '{}' is not in the pool", path, record.line,
                  row.id);
    for (std::size_t c = 0; c < label_names.size(); ++c) {
      const std::string where = fmt::format("'{}' line {} column '{}'", path, record.line, label_names[c]);
      try {
        row.labels.push_back(parse_label_cell(record.fields[c + 1], where));
      } catch (const Error& error) {
        if (bad_cells == nullptr) throw;
        bad_cells->push_back({table.rows.size(), error.what()});
        row.labels.push_back(-1);
      }
    }
    row.round = parse_round(record.fields[label_names.size() + 1], fmt::format("'{}' line {}", path, record.line));
    row.source = record.fields.back();
    table.rows.push_back(std::move(row));
  }
  return table;
}

void write_labels_csv(const std::string& path, const LabelTable& table) {
  std::string text = "id";
  for (const auto& name : table.label_names) text += "," + csv_field(name);
  text += ",round,source\n";
  for (const auto& row : table.rows) {
    SALIENT_CHECK(row.labels.size() == table.label_names.size(), "labels of '{}': {} values for {} columns", row.id,
                  row.labels.size(), table.label_names.size());
    text += csv_field(row.id);
    for (const auto label : row.labels) text += label < 0 ? "," : fmt::format(",{}", label);
    text += fmt::format(",{},{}\n", row.round, csv_field(row.source));
  }
  write_file_atomically(path, text);
}

}  // namespace salient::io
