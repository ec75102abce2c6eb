// RFC 4180 CSV: quoted fields with embedded commas, quotes ("") and newlines; CRLF or LF
// line ends; a UTF-8 byte-order mark at the start is ignored. Errors name file and line.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace salient::io {

struct CsvRecord {
  std::int64_t line = 0;  ///< line where the record starts (1-based)
  std::vector<std::string> fields;
};

class CsvReader {
 public:
  /// @param name how errors name the source (usually its path)
  CsvReader(std::istream& input, std::string name);
  /// Reads the next record; false at the end of the input. Blank lines are skipped.
  bool next(CsvRecord& record);
  const std::string& name() const { return name_; }

 private:
  std::istream& input_;
  std::string name_;
  std::int64_t line_ = 1;
  bool at_start_ = true;
};


/// A field as CSV writes it: quoted when it holds a comma, quote, CR or LF.
std::string csv_field(const std::string& value);

}  // namespace salient::io
