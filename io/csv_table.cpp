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

CsvColumns::CsvColumns(std::string path, const std::vector<std::string>& header) : path_(std::move(path)) {
  for (const std::string& name : header) header_.push_back(trimmed(name));
}

std::optional<std::size_t> CsvColumns::find_column(const std::string& name) const {
  const auto found = std::find(header_.begin(), header_.end(), name);
  if (found == header_.end()) return std::nullopt;
  return static_cast<std::size_t>(found - header_.begin());
}

std::size_t CsvColumns::column(const std::string& name) const {
  const std::optional<std::size_t> index = find_column(name);
  SALIENT_CHECK(index, "'{}' has no column '{}' (its header: {})", path_, name, fmt::join(header_, ", "));
  return *index;
}

std::string CsvColumns::field(const CsvRecord& row, std::size_t column) const {
  SALIENT_CHECK(column < row.fields.size(), "'{}' line {}: {} field(s), column '{}' is number {}", path_, row.line,
                row.fields.size(), header_[column], column + 1);
  return trimmed(row.fields[column]);
}

CsvRowReader::CsvRowReader(const std::string& path)
    : input_(std::make_unique<std::ifstream>(path, std::ios::binary)) {
  SALIENT_CHECK(*input_, "cannot open CSV file '{}'", path);
  reader_ = std::make_unique<CsvReader>(*input_, path);
  CsvRecord header;
  SALIENT_CHECK(reader_->next(header), "'{}' is empty: a header line was expected", path);
  columns_.emplace(path, header.fields);
}

CsvTable::CsvTable(const std::string& path) : CsvTable(CsvRowReader(path)) {}

CsvTable::CsvTable(CsvRowReader&& reader) : CsvColumns(reader.columns()) {
  CsvRecord row;
  while (reader.next(row)) rows_.push_back(row);
}

}  // namespace salient::io
