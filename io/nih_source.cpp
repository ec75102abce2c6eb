// NIH ChestX-ray14 (Wang et al., CVPR 2017) metadata to pack items.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <unordered_map>

#include <fmt/format.h>

#include "salient/check.h"
#include "salient/io/csv_table.h"
#include "salient/io/pack_source.h"

namespace salient::io {
namespace {

namespace fs = std::filesystem;

// The current release's file first, then the original one.
constexpr const char* kEntriesFiles[] = {"Data_Entry_2017_v2020.csv", "Data_Entry_2017.csv"};
constexpr const char* kBoxesFile = "BBox_List_2017.csv";
constexpr const char* kNoFinding = "No Finding";

// File name → path of every file below the folder; names found more than once keep all.
using FileIndex = std::unordered_map<std::string, std::vector<std::string>>;

FileIndex index_files(const std::string& dir) {
  FileIndex index;
  for (const auto& entry : fs::recursive_directory_iterator(dir, fs::directory_options::follow_directory_symlink)) {
    if (entry.is_regular_file()) index[entry.path().filename().string()].push_back(entry.path().string());
  }
  return index;
}

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

std::size_t finding_column(const std::string& finding, const CsvTable& table, const CsvRecord& row) {
  const auto& names = nih_finding_names();
  const std::string canonical = finding == "Infiltrate" ? "Infiltration" : finding;  // BBox_List_2017.csv's spelling
  const auto found = std::find(names.begin(), names.end(), canonical);
  SALIENT_CHECK(found != names.end(), "'{}' line {}: unknown finding '{}' (expected {} or one of: {})", table.path(),
                row.line, finding, kNoFinding, fmt::join(names, ", "));
  return static_cast<std::size_t>(found - names.begin());
}

std::vector<std::int8_t> finding_labels(const std::string& text, const CsvTable& table, const CsvRecord& row) {
  std::vector<std::int8_t> labels(nih_finding_names().size(), 0);
  const std::vector<std::string> findings = split_findings(text);
  if (findings.size() == 1 && findings.front() == kNoFinding) return labels;
  for (const std::string& finding : findings) {
    SALIENT_CHECK(finding != kNoFinding, "'{}' line {}: '{}' lists findings together with '{}'", table.path(), row.line,
                  text, kNoFinding);
    labels[finding_column(finding, table, row)] = 1;
  }
  return labels;
}

float box_coordinate(const CsvTable& table, const CsvRecord& row, std::size_t column) {
  const std::string text = table.field(row, column);
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  SALIENT_CHECK(!text.empty() && *end == '\0' && errno == 0 && std::isfinite(value),
                "'{}' line {}, column '{}': '{}' is not a number", table.path(), row.line, table.header()[column],
                text);
  return static_cast<float>(value);
}

// Boxes of the listed images; a box of a listed image whose file is missing is dropped with it.
void read_boxes(const std::string& path, const std::string& entries_file, std::vector<PackItem>& items,
                const std::unordered_map<std::string, std::size_t>& item_of_id,
                const std::unordered_map<std::string, std::int64_t>& line_of_id) {
  const CsvTable table(path);
  const std::size_t id_column = table.column("Image Index"), label_column = table.column("Finding Label");
  // The header is "Bbox [x,y,w,h]" unquoted, so the four names are split by the commas.
  const std::size_t xywh[] = {table.column("Bbox [x"), table.column("y"), table.column("w"), table.column("h]")};
  for (const CsvRecord& row : table.rows()) {
    const std::string id = table.field(row, id_column);
    SALIENT_CHECK(line_of_id.count(id), "'{}' line {}: image '{}' is not listed in {}", path, row.line, id,
                  entries_file);
    const auto item = item_of_id.find(id);
    if (item == item_of_id.end()) continue;
    Box box;
    box.label = static_cast<std::int32_t>(finding_column(table.field(row, label_column), table, row));
    box.x = box_coordinate(table, row, xywh[0]);
    box.y = box_coordinate(table, row, xywh[1]);
    box.w = box_coordinate(table, row, xywh[2]);
    box.h = box_coordinate(table, row, xywh[3]);
    SALIENT_CHECK(box.w > 0 && box.h > 0, "'{}' line {}: box {}x{} of image '{}' is empty", path, row.line, box.w,
                  box.h, id);
    items[item->second].boxes.push_back(box);
  }
}

}  // namespace

const std::vector<std::string>& nih_finding_names() {
  static const std::vector<std::string> names = {
      "Atelectasis", "Cardiomegaly", "Effusion",           "Infiltration",  "Mass",
      "Nodule",      "Pneumonia",    "Pneumothorax",       "Consolidation", "Edema",
      "Emphysema",   "Fibrosis",     "Pleural_Thickening", "Hernia"};
  return names;
}

PackSource read_nih_source(const std::string& dir) {
  fs::path entries_path;
  for (const char* name : kEntriesFiles) {
    if (fs::is_regular_file(fs::path(dir) / name)) {
      entries_path = fs::path(dir) / name;
      break;
    }
  }
  SALIENT_CHECK(!entries_path.empty(), "'{}' has no {} or {}: an NIH ChestX-ray14 folder holds one", dir,
                kEntriesFiles[0], kEntriesFiles[1]);
  const std::string entries_file = entries_path.filename().string();
  const CsvTable entries(entries_path.string());
  const std::size_t id_column = entries.column("Image Index"), findings_column = entries.column("Finding Labels"),
                    patient_column = entries.column("Patient ID");
  const FileIndex files = index_files(dir);

  PackSource source;
  source.description = fmt::format("NIH ChestX-ray14 folder '{}' ({})", dir, entries_file);
  source.metadata = entries_path.string();
  source.label_names = nih_finding_names();
  std::unordered_map<std::string, std::size_t> item_of_id;
  std::unordered_map<std::string, std::int64_t> line_of_id;
  for (const CsvRecord& row : entries.rows()) {
    PackItem item;
    item.id = entries.field(row, id_column);
    SALIENT_CHECK(!item.id.empty(), "'{}' line {}: 'Image Index' is empty", entries.path(), row.line);
    const auto [previous, unique] = line_of_id.emplace(item.id, row.line);
    SALIENT_CHECK(unique, "'{}' line {}: image '{}' is already listed on line {}", entries.path(), row.line, item.id,
                  previous->second);
    item.patient_id = entries.field(row, patient_column);
    item.labels = finding_labels(entries.field(row, findings_column), entries, row);
    const auto found = files.find(item.id);
    if (found == files.end()) {
      source.missing.push_back({item.id, row.line});
      continue;
    }
    SALIENT_CHECK(found->second.size() == 1, "'{}' line {}: image '{}' is ambiguous, found as {}", entries.path(),
                  row.line, item.id, fmt::join(found->second, " and "));
    item.path = found->second.front();
    item_of_id.emplace(item.id, source.items.size());
    source.items.push_back(std::move(item));
  }
  const fs::path boxes_path = fs::path(dir) / kBoxesFile;
  if (fs::is_regular_file(boxes_path)) {
    read_boxes(boxes_path.string(), entries_file, source.items, item_of_id, line_of_id);
  }
  return source;
}

}  // namespace salient::io
