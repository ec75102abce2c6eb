// NIH ChestX-ray14's metadata (Wang et al., CVPR 2017): the rows of Data_Entry_2017*.csv,
// read one at a time, with their "Finding Labels" as label columns, and the expert boxes of
// BBox_List_2017.csv. `salient pack --nih` and `salient synth --like` both read them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "salient/io/csv_table.h"
#include "salient/io/pool.h"

namespace salient::io {

/// The 14 findings, in label-column order.
const std::vector<std::string>& nih_finding_names();

/// Label columns of a "Finding Labels" cell ("No Finding", or findings joined by '|');
/// @p where names the file and line in errors.
std::vector<std::int8_t> nih_finding_labels(const std::string& text, const std::string& where);

/// Label column of one finding ("Infiltrate", BBox_List_2017.csv's spelling, is Infiltration).
std::int32_t nih_finding_column(const std::string& finding, const std::string& where);

/// One row of Data_Entry_2017*.csv.
struct NihEntry {
  std::int64_t line = 0;
  std::string id;          ///< Image Index
  std::string patient_id;  ///< Patient ID
  std::string view;        ///< View Position: PA or AP
  std::vector<std::int8_t> labels;
  std::int64_t width = 0, height = 0;  ///< OriginalImage[Width,Height]: pixels of the real image
};

/// Reads Data_Entry rows one at a time, in file order, holding one row in memory.
class NihEntryReader {
 public:
  explicit NihEntryReader(const std::string& path);
  /// The next row; false at the end. Errors name the file, line and column.
  bool next(NihEntry& entry);
  const std::string& path() const { return rows_.columns().path(); }

 private:
  CsvRowReader rows_;
  CsvRecord row_;
  std::size_t id_, findings_, patient_, view_, width_, height_;
};

/// A box of BBox_List_2017.csv, in pixels of the original image.
struct NihBox {
  std::int64_t line = 0;
  std::string id;
  Box box;
};

std::vector<NihBox> read_nih_boxes(const std::string& path);

}  // namespace salient::io
