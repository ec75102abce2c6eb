// libFuzzer: the CSV reader and the labels.csv parser on arbitrary bytes either parse or
// throw salient::Error; whatever parses, re-written by csv_field, parses back the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "salient/check.h"
#include "salient/io/csv.h"
#include "salient/io/labels_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    std::istringstream input(text);
    salient::io::CsvReader reader(input, "fuzz.csv");
    std::string rewritten;
    std::vector<std::vector<std::string>> records;
    for (salient::io::CsvRecord record; reader.next(record);) {
      records.push_back(record.fields);
      for (std::size_t i = 0; i < record.fields.size(); ++i) {
        rewritten += (i ? "," : "") + salient::io::csv_field(record.fields[i]);
      }
      rewritten += "\n";
    }
    // A first field that begins with a byte-order mark would lose it when read again.
    if (!rewritten.empty() && static_cast<unsigned char>(rewritten[0]) == 0xEF) throw salient::Error("skip");
    std::istringstream again(rewritten);
    salient::io::CsvReader second(again, "rewritten.csv");
    std::size_t index = 0;
    for (salient::io::CsvRecord record; second.next(record); ++index) {
      // A record of one empty field is written as an empty line, which is skipped.
      while (index < records.size() && records[index] == std::vector<std::string>{""}) ++index;
      if (index >= records.size() || record.fields != records[index]) std::abort();
    }
  } catch (const salient::Error&) {
  }
  try {
    std::istringstream input(text);
    salient::io::parse_labels_csv(input, "fuzz-labels.csv", {"Effusion", "Nodule"});
  } catch (const salient::Error&) {
  }
  return 0;
}
