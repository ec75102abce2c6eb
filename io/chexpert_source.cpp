// CheXpert-style label CSVs (Irvin et al., AAAI 2019) to pack items.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "salient/check.h"
#include "salient/io/csv_table.h"
#include "salient/io/pack_source.h"

namespace salient::io {
namespace {

namespace fs = std::filesystem;

// CheXpert's columns that describe the study rather than label it.
const std::vector<std::string>& metadata_columns() {
  static const std::vector<std::string> columns = {"Path", "Sex", "Age", "Frontal/Lateral", "AP/PA"};
  return columns;
}

std::int8_t label_value(const CsvTable& table, const CsvRecord& row, std::size_t column, UncertainLabels uncertain) {
  const std::string text = table.field(row, column);
  if (text.empty()) return -1;  // not mentioned in the report
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  const bool valid = *end == '\0' && errno == 0 && (value == 1.0 || value == 0.0 || value == -1.0);
  SALIENT_CHECK(valid, "'{}' line {}, column '{}': '{}' is not 1, 0, -1 (uncertain) or blank", table.path(), row.line,
                table.header()[column], text);
  if (value != -1.0) return value == 1.0 ? 1 : 0;
  switch (uncertain) {
    case UncertainLabels::zeros: return 0;
    case UncertainLabels::ones: return 1;
    case UncertainLabels::ignore: break;
  }
  return -1;
}

// Whether the row's view is packed; true for every row of a CSV without the column.
bool view_wanted(const CsvTable& table, const CsvRecord& row, const std::optional<std::size_t>& column,
                 ChexpertViews views) {
  if (!column || views == ChexpertViews::all) return true;
  const std::string view = table.field(row, *column);
  SALIENT_CHECK(view == "Frontal" || view == "Lateral", "'{}' line {}, column 'Frontal/Lateral': '{}' is neither "
                "Frontal nor Lateral", table.path(), row.line, view);
  return (view == "Frontal") == (views == ChexpertViews::frontal);
}

// "patient00001" when a component of the path is "patient" followed by digits.
std::string patient_from_path(const std::string& path) {
  for (const auto& component : fs::path(path)) {
    const std::string name = component.string();
    constexpr std::size_t kPrefix = 7;  // "patient"
    if (name.size() > kPrefix && name.compare(0, kPrefix, "patient") == 0 &&
        std::all_of(name.begin() + kPrefix, name.end(), [](unsigned char c) { return std::isdigit(c); })) {
      return name;
    }
  }
  return {};
}

std::string resolve(const std::string& path, const fs::path& csv_folder, const std::string& image_root) {
  const fs::path relative(path);
  if (relative.is_absolute()) return path;
  if (!image_root.empty()) return (fs::path(image_root) / relative).string();
  const bool starts_with_csv_folder =
      !relative.empty() && !csv_folder.filename().empty() && *relative.begin() == csv_folder.filename();
  return ((starts_with_csv_folder ? csv_folder.parent_path() : csv_folder) / relative).string();
}

}  // namespace

ChexpertViews parse_chexpert_views(const std::string& name) {
  if (name == "frontal") return ChexpertViews::frontal;
  if (name == "lateral") return ChexpertViews::lateral;
  SALIENT_CHECK(name == "all", "views '{}' is not frontal, lateral or all", name);
  return ChexpertViews::all;
}

UncertainLabels parse_uncertain_labels(const std::string& name) {
  if (name == "ignore") return UncertainLabels::ignore;
  if (name == "zeros") return UncertainLabels::zeros;
  SALIENT_CHECK(name == "ones", "uncertain labels '{}' is not ignore, zeros or ones", name);
  return UncertainLabels::ones;
}

PackSource read_chexpert_source(const std::string& csv_path, const ChexpertOptions& options) {
  const CsvTable table(csv_path);
  const std::size_t path_column = table.column("Path");
  const auto view_column = table.find_column("Frontal/Lateral"), projection_column = table.find_column("AP/PA");
  PackSource source;
  source.description = fmt::format("CheXpert-style CSV '{}'", csv_path);
  source.metadata = csv_path;
  source.label_names = options.label_names;
  if (source.label_names.empty()) {
    const auto& metadata = metadata_columns();
    std::copy_if(
        table.header().begin(), table.header().end(), std::back_inserter(source.label_names),
        [&](const std::string& name) { return std::find(metadata.begin(), metadata.end(), name) == metadata.end(); });
    SALIENT_CHECK(!source.label_names.empty(), "'{}' has no label columns (its header: {})", csv_path,
                  fmt::join(table.header(), ", "));
  }
  std::vector<std::size_t> label_columns;
  for (const std::string& name : source.label_names) label_columns.push_back(table.column(name));

  const fs::path csv_folder = fs::absolute(csv_path).parent_path();
  std::unordered_map<std::string, std::int64_t> line_of_id;
  for (const CsvRecord& row : table.rows()) {
    PackItem item;
    item.id = table.field(row, path_column);
    SALIENT_CHECK(!item.id.empty(), "'{}' line {}: 'Path' is empty", csv_path, row.line);
    const auto [previous, unique] = line_of_id.emplace(item.id, row.line);
    SALIENT_CHECK(unique, "'{}' line {}: image '{}' is already listed on line {}", csv_path, row.line, item.id,
                  previous->second);
    if (!view_wanted(table, row, view_column, options.views)) {
      ++source.excluded;
      continue;
    }
    item.path = resolve(item.id, csv_folder, options.image_root);
    item.patient_id = patient_from_path(item.id);
    // AP or PA for a frontal view, "Lateral" for a lateral one.
    if (projection_column) item.view = table.field(row, *projection_column);
    if (item.view.empty() && view_column) item.view = table.field(row, *view_column);
    for (const std::size_t column : label_columns) {
      item.labels.push_back(label_value(table, row, column, options.uncertain));
    }
    if (!fs::exists(item.path)) {
      source.missing.push_back({item.id, row.line});
      continue;
    }
    source.items.push_back(std::move(item));
  }
  if (source.excluded > 0) {
    source.excluded_because =
        fmt::format("{} views only (--views)", options.views == ChexpertViews::frontal ? "frontal" : "lateral");
  }
  return source;
}

}  // namespace salient::io
