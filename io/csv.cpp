#include "salient/io/csv.h"

#include "salient/check.h"

namespace salient::io {

CsvReader::CsvReader(std::istream& input, std::string name) : input_(input), name_(std::move(name)) {}

bool CsvReader::next(CsvRecord& record) {
  for (;;) {
    record.fields.clear();
    record.line = line_;
    if (at_start_) {
      at_start_ = false;
      if (input_.peek() == 0xEF) {  // UTF-8 byte-order mark EF BB BF
        char bom[3];
        input_.read(bom, 3);
        SALIENT_CHECK(input_ && static_cast<unsigned char>(bom[1]) == 0xBB && static_cast<unsigned char>(bom[2]) == 0xBF,
                      "'{}' line 1: invalid byte-order mark", name_);
      }
    }
    int c = input_.get();
    if (c == std::char_traits<char>::eof()) return false;
    std::string field;
    bool quoted = false, after_quote = false, any = false;
    for (;; c = input_.get()) {
      if (c == std::char_traits<char>::eof()) {
        SALIENT_CHECK(!quoted, "'{}' line {}: a quoted field is not closed before the end of the file", name_,
                      record.line);
        break;
      }
      if (quoted) {
        if (c == '"') {
          if (input_.peek() == '"') {
            input_.get();
            field += '"';
          } else {
            quoted = false;
            after_quote = true;
          }
        } else {
          if (c == '\n') ++line_;
          field += static_cast<char>(c);
        }
        continue;
      }
      if (c == ',') {
        record.fields.push_back(std::move(field));
        field.clear();
        after_quote = false;
        any = true;
        continue;
      }
      if (c == '\r' && input_.peek() == '\n') continue;
      if (c == '\n') break;
      if (c == '"' && field.empty() && !after_quote) {
        quoted = true;
        any = true;
        continue;
      }
      SALIENT_CHECK(!after_quote, "'{}' line {}: text after a closing quote", name_, line_);
      field += static_cast<char>(c);
      any = true;
    }
    ++line_;
    if (!any && field.empty()) continue;  // blank line
    record.fields.push_back(std::move(field));
    return true;
  }
}

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (const char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

}  // namespace salient::io
