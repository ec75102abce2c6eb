// NIH ChestX-ray14 (Wang et al., CVPR 2017) metadata to pack items.
#include <filesystem>
#include <unordered_map>

#include <fmt/format.h>

#include "salient/check.h"
#include "salient/io/pack_source.h"

namespace salient::io {
namespace {

namespace fs = std::filesystem;

// The current release's file first, then the original one.
constexpr const char* kEntriesFiles[] = {"Data_Entry_2017_v2020.csv", "Data_Entry_2017.csv"};
constexpr const char* kBoxesFile = "BBox_List_2017.csv";

// File name → path of every file below the folder; names found more than once keep all.
using FileIndex = std::unordered_map<std::string, std::vector<std::string>>;

FileIndex index_files(const std::string& dir) {
  FileIndex index;
  for (const auto& entry : fs::recursive_directory_iterator(dir, fs::directory_options::follow_directory_symlink)) {
    if (entry.is_regular_file()) index[entry.path().filename().string()].push_back(entry.path().string());
  }
  return index;
}

// Boxes of the listed images; a box of a listed image whose file is missing is dropped with it.
void read_boxes(const std::string& path, const std::string& entries_file, std::vector<PackItem>& items,
                const std::unordered_map<std::string, std::size_t>& item_of_id,
                const std::unordered_map<std::string, std::int64_t>& line_of_id) {
  for (NihBox& listed : read_nih_boxes(path)) {
    SALIENT_CHECK(line_of_id.count(listed.id), "'{}' line {}: image '{}' is not listed in {}", path, listed.line,
                  listed.id, entries_file);
    const auto item = item_of_id.find(listed.id);
    if (item != item_of_id.end()) items[item->second].boxes.push_back(listed.box);
  }
}

}  // namespace

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
  const FileIndex files = index_files(dir);

  PackSource source;
  source.description = fmt::format("NIH ChestX-ray14 folder '{}' ({})", dir, entries_file);
  source.metadata = entries_path.string();
  source.label_names = nih_finding_names();
  std::unordered_map<std::string, std::size_t> item_of_id;
  std::unordered_map<std::string, std::int64_t> line_of_id;
  NihEntryReader entries(entries_path.string());
  for (NihEntry entry; entries.next(entry);) {
    const auto [previous, unique] = line_of_id.emplace(entry.id, entry.line);
    SALIENT_CHECK(unique, "'{}' line {}: image '{}' is already listed on line {}", entries.path(), entry.line, entry.id,
                  previous->second);
    const auto found = files.find(entry.id);
    if (found == files.end()) {
      source.missing.push_back({entry.id, entry.line});
      continue;
    }
    SALIENT_CHECK(found->second.size() == 1, "'{}' line {}: image '{}' is ambiguous, found as {}", entries.path(),
                  entry.line, entry.id, fmt::join(found->second, " and "));
    PackItem item;
    item.path = found->second.front();
    item.id = std::move(entry.id);
    item.patient_id = std::move(entry.patient_id);
    item.view = std::move(entry.view);
    item.labels = std::move(entry.labels);
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
