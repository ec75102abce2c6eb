#include "salient/io/nih_metadata.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "salient/check.h"

namespace salient::io {
namespace {

constexpr const char* kNoFinding = "No Finding";

std::vector<std::string> split_findings(const std::string& text) {
  std::vector<std::string> findings;
  std::size_t start = 0;
  for (;;) {
    const std::size_t bar = text.find('|', start);
    std::string finding = text.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
    const auto first = finding.find_first_not_of(' ');
    finding =
        first == std::string::npos ? std::string() : finding.substr(first, finding.find_last_not_of(' ') - first + 1);
    findings.push_back(finding);
    if (bar == std::string::npos) return findings;
    start = bar + 1;
  }
}

std::string where(const CsvColumns& columns, const CsvRecord& row) {
  return fmt::format("'{}' line {}", columns.path(), row.line);
}

double number(const CsvColumns& columns, const CsvRecord& row, std::size_t column) {
  const std::string text = columns.field(row, column);
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  SALIENT_CHECK(!text.empty() && *end == '\0' && errno == 0 && std::isfinite(value),
                "{}, column '{}': '{}' is not a number", where(columns, row), columns.header()[column], text);
  return value;
}

}  // namespace

const std::vector<std::string>& nih_finding_names() {
  static const std::vector<std::string> names = {
      "Atelectasis", "Cardiomegaly", "Effusion",           "Infiltration",  "Mass",
      "Nodule",      "Pneumonia",    "Pneumothorax",       "Consolidation", "Edema",
      "Emphysema",   "Fibrosis",     "Pleural_Thickening", "Hernia"};
  return names;
}

std::int32_t nih_finding_column(const std::string& finding, const std::string& where) {
  const auto& names = nih_finding_names();
  const std::string canonical = finding == "Infiltrate" ? "Infiltration" : finding;
  const auto found = std::find(names.begin(), names.end(), canonical);
  SALIENT_CHECK(found != names.end(), "{}: unknown finding '{}' (expected {} or one of: {})", where, finding,
                kNoFinding, fmt::join(names, ", "));
  return static_cast<std::int32_t>(found - names.begin());
}

std::vector<std::int8_t> nih_finding_labels(const std::string& text, const std::string& where) {
  std::vector<std::int8_t> labels(nih_finding_names().size(), 0);
  const std::vector<std::string> findings = split_findings(text);
  if (findings.size() == 1 && findings.front() == kNoFinding) return labels;
  for (const std::string& finding : findings) {
    SALIENT_CHECK(finding != kNoFinding, "{}: '{}' lists findings together with '{}'", where, text, kNoFinding);
    labels[static_cast<std::size_t>(nih_finding_column(finding, where))] = 1;
  }
  return labels;
}

NihEntryReader::NihEntryReader(const std::string& path)
    : rows_(path),
      id_(rows_.columns().column("Image Index")),
      findings_(rows_.columns().column("Finding Labels")),
      patient_(rows_.columns().column("Patient ID")),
      view_(rows_.columns().column("View Position")),
      // The header is "OriginalImage[Width,Height]" unquoted: two columns split by the comma.
      width_(rows_.columns().column("OriginalImage[Width")),
      height_(rows_.columns().column("Height]")) {}

bool NihEntryReader::next(NihEntry& entry) {
  if (!rows_.next(row_)) return false;
  const CsvColumns& columns = rows_.columns();
  entry.line = row_.line;
  entry.id = columns.field(row_, id_);
  SALIENT_CHECK(!entry.id.empty(), "{}: 'Image Index' is empty", where(columns, row_));
  entry.patient_id = columns.field(row_, patient_);
  SALIENT_CHECK(!entry.patient_id.empty(), "{}: 'Patient ID' is empty", where(columns, row_));
  entry.view = columns.field(row_, view_);
  SALIENT_CHECK(entry.view == "PA" || entry.view == "AP", "{}, column 'View Position': '{}' is neither PA nor AP",
                where(columns, row_), entry.view);
  entry.labels = nih_finding_labels(columns.field(row_, findings_), where(columns, row_));
  const double width = number(columns, row_, width_), height = number(columns, row_, height_);
  SALIENT_CHECK(width >= 1 && height >= 1 && width == std::floor(width) && height == std::floor(height),
                "{}: original image size {}x{} is not a positive whole number of pixels", where(columns, row_), width,
                height);
  entry.width = static_cast<std::int64_t>(width);
  entry.height = static_cast<std::int64_t>(height);
  return true;
}

std::vector<NihBox> read_nih_boxes(const std::string& path) {
  const CsvTable table(path);
  const std::size_t id_column = table.column("Image Index"), label_column = table.column("Finding Label");
  // The header is "Bbox [x,y,w,h]" unquoted, so the four names are split by the commas.
  const std::size_t xywh[] = {table.column("Bbox [x"), table.column("y"), table.column("w"), table.column("h]")};
  std::vector<NihBox> boxes;
  for (const CsvRecord& row : table.rows()) {
    NihBox entry;
    entry.line = row.line;
    entry.id = table.field(row, id_column);
    Box& box = entry.box;
    box.label = nih_finding_column(table.field(row, label_column), where(table, row));
    box.x = static_cast<float>(number(table, row, xywh[0]));
    box.y = static_cast<float>(number(table, row, xywh[1]));
    box.w = static_cast<float>(number(table, row, xywh[2]));
    box.h = static_cast<float>(number(table, row, xywh[3]));
    SALIENT_CHECK(box.w > 0 && box.h > 0, "{}: box {}x{} of image '{}' is empty", where(table, row), box.w, box.h,
                  entry.id);
    boxes.push_back(std::move(entry));
  }
  return boxes;
}

}  // namespace salient::io
