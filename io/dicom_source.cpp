// A folder of DICOM files (a hospital export) to pack items.
#include <algorithm>
#include <filesystem>
#include <utility>

#include <fmt/format.h>

#include "salient/check.h"
#include "salient/io/image_file.h"
#include "salient/io/pack_source.h"

namespace salient::io {

PackSource read_dicom_source(const std::string& dir, const std::vector<std::string>& label_names) {
  namespace fs = std::filesystem;
  SALIENT_CHECK(fs::is_directory(dir), "DICOM folder '{}' does not exist", dir);
  SALIENT_CHECK(!label_names.empty(), "a DICOM pool needs label names (its labels stay unknown until annotated)");
  // A file that cannot even be opened is kept, as a bad image: --on-bad-image decides.
  std::vector<std::pair<fs::path, std::string>> files;  // path, problem
  for (const auto& entry : fs::recursive_directory_iterator(dir, fs::directory_options::follow_directory_symlink)) {
    // DICOMDIR is the index of a DICOM medium, not an image.
    if (!entry.is_regular_file() || entry.path().filename() == "DICOMDIR") continue;
    try {
      if (detect_image_format(entry.path().string()) == ImageFormat::dicom) files.emplace_back(entry.path(), "");
    } catch (const Error& error) {
      files.emplace_back(entry.path(), error.what());
    }
  }
  SALIENT_CHECK(!files.empty(), "no DICOM file (*.dcm, *.dicom, or \"DICM\" after the preamble) below '{}'", dir);
  std::sort(files.begin(), files.end());
  PackSource source;
  source.description = fmt::format("DICOM folder '{}'", dir);
  source.label_names = label_names;
  for (const auto& [file, problem] : files) {
    PackItem item;
    item.path = file.string();
    item.id = file.lexically_relative(dir).generic_string();
    item.labels.assign(label_names.size(), -1);
    item.problem = problem;
    source.items.push_back(std::move(item));
  }
  return source;
}

}  // namespace salient::io
