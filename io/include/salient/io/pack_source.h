// What `salient pack` packs: the image files of a dataset and, for each, the id, patient
// and labels its metadata gives. One reader per kind of dataset; pack.h does the rest.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "salient/io/nih_metadata.h"
#include "salient/io/pool.h"

namespace salient::io {

/// One image to pack, as the metadata describes it.
struct PackItem {
  std::string path;                 ///< file to decode
  std::string id;                   ///< unique in the source
  std::string patient_id;           ///< empty: the file's own (DICOM Patient ID), if it has one
  std::string view;                 ///< projection from the metadata (PA, AP, Lateral…); empty: unknown
  std::vector<std::int8_t> labels;  ///< one per label name: 1, 0 or −1 (unknown)
  std::vector<Box> boxes;           ///< in pixels of the image as stored in its file (scaled when packed)
  std::string problem;              ///< not empty: a bad image before decoding (e.g. its file was not found)
};

/// A row of the metadata whose image file is not there (a partial download).
struct MissingImage {
  std::string id;
  std::int64_t line = 0;  ///< of the metadata file
};

struct PackSource {
  std::string description;  ///< e.g. "NIH ChestX-ray14 folder 'data/nih' (Data_Entry_2017_v2020.csv)"
  std::string metadata;     ///< the metadata file read, when there is one
  std::vector<std::string> label_names;
  std::vector<PackItem> items;
  /// Rows left out because their file is missing: packed without them and listed once.
  std::vector<MissingImage> missing;
  /// Rows left out by choice (e.g. CheXpert's lateral views), with why; none when empty.
  std::int64_t excluded = 0;
  std::string excluded_because;
};

/// NIH ChestX-ray14 folder @p dir: `Data_Entry_2017_v2020.csv` (the current release) or
/// `Data_Entry_2017.csv` (`Image Index`, `Finding Labels` split on '|' with "No Finding" =
/// every finding negative, a finding not listed is negative; `Patient ID`) and, when present,
/// `BBox_List_2017.csv` (`Image Index`, `Finding Label`, `Bbox [x`, `y`, `w`, `h]` in pixels
/// of the image file; the box label "Infiltrate" is the finding "Infiltration"). Images are
/// found by file name anywhere below @p dir (the dataset ships them in images_001/images …
/// images_012/images); rows whose file is not there go to PackSource::missing.
PackSource read_nih_source(const std::string& dir);

/// How CheXpert's uncertain label (−1) is stored (Irvin et al. 2019, Sec. 4: U-Ignore,
/// U-Zeros, U-Ones).
enum class UncertainLabels { ignore, zeros, ones };
/// Which CheXpert views are packed, by the `Frontal/Lateral` column.
enum class ChexpertViews { frontal, lateral, all };

struct ChexpertOptions {
  /// Folder relative paths start from. Empty: the CSV's folder, or its parent for a path
  /// whose first component is the name of that folder (CheXpert's own
  /// `CheXpert-v1.0-small/train.csv` lists `CheXpert-v1.0-small/train/…`).
  std::string image_root;
  /// Label columns to keep; empty: every column but Path and CheXpert's Sex, Age,
  /// Frontal/Lateral and AP/PA.
  std::vector<std::string> label_names;
  /// Frontal by default: what CheXpert models train on. A CSV without the column packs
  /// every row whatever this says.
  ChexpertViews views = ChexpertViews::frontal;
  /// ignore (default): uncertain is stored as −1, unknown, like a blank cell.
  UncertainLabels uncertain = UncertainLabels::ignore;
};

/// CheXpert-style CSV: a `Path` column and label columns holding 1, 0, −1 (uncertain) or
/// blank (not mentioned, stored as −1, unknown). The id is the Path as written; the patient
/// is the path component `patientNNNNN` when there is one. Rows whose file is not there go
/// to PackSource::missing, rows of other views to PackSource::excluded.
PackSource read_chexpert_source(const std::string& csv_path, const ChexpertOptions& options);

ChexpertViews parse_chexpert_views(const std::string& name);
UncertainLabels parse_uncertain_labels(const std::string& name);

/// Every DICOM file below @p dir (see detect_image_format; DICOMDIR index files are left
/// out), in order of relative path, which is its id. Labels are all unknown: the pool awaits
/// annotation. Patients come from the files.
PackSource read_dicom_source(const std::string& dir, const std::vector<std::string>& label_names);

}  // namespace salient::io
