#include "salient/io/csv_table.h"

#include <algorithm>

#include <fmt/format.h>

#include "salient/check.h"

namespace salient::io {
namespace {

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace

CsvTable::CsvTable(const std::string& path) : path_(path) {
  std::vector<CsvRecord> records = read_csv_file(path);
  SALIENT_CHECK(!records.empty(), "'{}' is empty: a header line was expected", path);
  for (const std::string& name : records.front().fields) header_.push_back(trimmed(name));
  rows_.assign(std::make_move_iterator(records.begin() + 1), std::make_move_iterator(records.end()));
}

std::optional<std::size_t> CsvTable::find_column(const std::string& name) const {
  const auto found = std::find(header_.begin(), header_.end(), name);
  if (found == header_.end()) return std::nullopt;
  return static_cast<std::size_t>(found - header_.begin());
}

std::size_t CsvTable::column(const std::string& name) const {
  const std::optional<std::size_t> index = find_column(name);
  SALIENT_CHECK(index, "'{}' has no column '{}' (its header: {})", path_, name, fmt::join(header_, ", "));
  return *index;
}

std::string CsvTable::field(const CsvRecord& row, std::size_t column) const {
  SALIENT_CHECK(column < row.fields.size(), "'{}' line {}: {} field(s), column '{}' is number {}", path_, row.line,
                row.fields.size(), header_[column], column + 1);
  return trimmed(row.fields[column]);
}

}  // namespace salient::io
