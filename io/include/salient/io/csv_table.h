// Metadata CSVs whose columns are found by header name, read whole (CsvTable) or one row
// at a time (CsvRowReader, for files too large to hold). Errors name the file, the line and
// the column.
#pragma once

#include <cstddef>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "salient/io/csv.h"

namespace salient::io {

/// A CSV file's header: columns by name, and the fields of its rows by column.
class CsvColumns {
 public:
  CsvColumns(std::string path, const std::vector<std::string>& header);
  const std::string& path() const { return path_; }
  const std::vector<std::string>& header() const { return header_; }
  std::optional<std::size_t> find_column(const std::string& name) const;
  /// Index of column @p name; throws naming the file and the columns it has.
  std::size_t column(const std::string& name) const;
  /// Field @p column of @p row, without surrounding blanks; throws when the row is short.
  std::string field(const CsvRecord& row, std::size_t column) const;

 private:
  std::string path_;
  std::vector<std::string> header_;
};

/// Reads the rows of a CSV file one at a time, after its header.
class CsvRowReader {
 public:
  explicit CsvRowReader(const std::string& path);
  const CsvColumns& columns() const { return *columns_; }
  /// The next row; false at the end of the file.
  bool next(CsvRecord& row) { return reader_->next(row); }

 private:
  std::unique_ptr<std::ifstream> input_;
  std::unique_ptr<CsvReader> reader_;
  std::optional<CsvColumns> columns_;
};

/// A CSV file read whole; its first record is the header.
class CsvTable : public CsvColumns {
 public:
  explicit CsvTable(const std::string& path);
  /// The records after the header.
  const std::vector<CsvRecord>& rows() const { return rows_; }

 private:
  explicit CsvTable(CsvRowReader&& reader);
  std::vector<CsvRecord> rows_;
};

}  // namespace salient::io
