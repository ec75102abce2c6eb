// A metadata CSV read whole, its columns found by header name. Errors name the file, the
// line and the column.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "salient/io/csv.h"

namespace salient::io {

class CsvTable {
 public:
  /// Reads @p path; its first record is the header.
  explicit CsvTable(const std::string& path);

  const std::string& path() const { return path_; }
  const std::vector<std::string>& header() const { return header_; }
  /// The records after the header.
  const std::vector<CsvRecord>& rows() const { return rows_; }

  std::optional<std::size_t> find_column(const std::string& name) const;
  /// Index of column @p name; throws naming the file and the columns it has.
  std::size_t column(const std::string& name) const;
  /// Field @p column of @p row, without surrounding blanks; throws when the row is short.
  std::string field(const CsvRecord& row, std::size_t column) const;

 private:
  std::string path_;
  std::vector<std::string> header_;
  std::vector<CsvRecord> rows_;
};

}  // namespace salient::io
