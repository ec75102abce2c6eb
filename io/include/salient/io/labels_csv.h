// labels.csv of a study: the labels acquired so far, one row per image:
//   id,<label 1>,…,<label C>,round,source
// label cells are 1, 0, -1 (unknown) or empty (unknown); round is the active-learning
// round that acquired the row; source names who labelled it ("oracle", an annotator).
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <unordered_map>
#include <vector>

namespace salient::io {

struct LabelRow {
  std::string id;
  std::vector<std::int8_t> labels;
  std::int64_t round = 0;
  std::string source;
};

struct LabelTable {
  std::vector<std::string> label_names;
  std::vector<LabelRow> rows;
};

/// A label cell that is not a label, kept instead of refused (read_labels_csv's bad_cells).
struct BadLabelCell {
  std::size_t row = 0;  ///< index into LabelTable::rows
  std::string message;  ///< file, line, column and the cell, as the refusal would say
};

/// Reads @p path; its label columns must be exactly @p label_names, in order. When
/// @p pool_ids is given, every id must be in the pool. Ids must not repeat. Errors name
/// the file, the line and the column. With @p bad_cells, a label cell that is not a label
/// is listed there (and read as −1) instead of refused: for repairing the file.
LabelTable read_labels_csv(const std::string& path, const std::vector<std::string>& label_names,
                           const std::unordered_map<std::string, std::int64_t>* pool_ids = nullptr,
                           std::vector<BadLabelCell>* bad_cells = nullptr);

/// The same, from @p input named @p name in errors.
LabelTable parse_labels_csv(std::istream& input, const std::string& name, const std::vector<std::string>& label_names,
                            const std::unordered_map<std::string, std::int64_t>* pool_ids = nullptr,
                            std::vector<BadLabelCell>* bad_cells = nullptr);

/// One label cell: 1 (or 1.0), 0 (or 0.0), −1 or empty (unknown: −1). Throws salient::Error
/// starting with @p where otherwise.
std::int8_t parse_label_cell(const std::string& cell, const std::string& where);

/// Writes the table atomically.
void write_labels_csv(const std::string& path, const LabelTable& table);

}  // namespace salient::io
