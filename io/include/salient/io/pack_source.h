// What `salient pack` packs: the image files of a dataset and, for each, the id, patient
// and labels its metadata gives. One reader per kind of dataset; pack.h does the rest.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "salient/io/pool.h"

namespace salient::io {

/// One image to pack, as the metadata describes it.
struct PackItem {
  std::string path;                 ///< file to decode
  std::string id;                   ///< unique in the source
  std::string patient_id;           ///< empty: the file's own (DICOM Patient ID), if it has one
  std::vector<std::int8_t> labels;  ///< one per label name: 1, 0 or −1 (unknown)
  std::vector<Box> boxes;           ///< in pixels of the image as stored in its file (scaled when packed)
  std::string problem;              ///< not empty: a bad image before decoding (e.g. its file was not found)
};

struct PackSource {
  std::string description;  ///< e.g. "NIH ChestX-ray14 folder 'data/nih'"
  std::vector<std::string> label_names;
  std::vector<PackItem> items;
};

/// The 14 findings of NIH ChestX-ray14, in the order of the dataset's README.
const std::vector<std::string>& nih_finding_names();

/// NIH ChestX-ray14 folder @p dir: `Data_Entry_2017.csv` (`Image Index`, `Finding Labels`
/// split on '|' with "No Finding" = every finding negative, a finding not listed is
/// negative; `Patient ID`) and, when present, `BBox_List_2017.csv` (`Image Index`,
/// `Finding Label`, `Bbox [x`, `y`, `w`, `h]` in pixels of the image file; the box label
/// "Infiltrate" is the finding "Infiltration"). Images are found by file name anywhere below
/// @p dir (the dataset ships them in images_001/images … images_012/images).
PackSource read_nih_source(const std::string& dir);

/// CheXpert-style CSV: a `Path` column and label columns holding 1, 0, −1 (uncertain) or
/// blank (not mentioned); uncertain and blank are stored as −1 (unknown). The id is the Path
/// as written; the patient is the path component `patientNNNNN` when there is one.
/// @param image_root folder relative paths start from. Empty: the CSV's folder, or its
///        parent for a path whose first component is the name of that folder (CheXpert's own
///        `CheXpert-v1.0-small/train.csv` lists `CheXpert-v1.0-small/train/…`).
/// @param label_names label columns to keep; empty: every column but Path and CheXpert's
///        Sex, Age, Frontal/Lateral and AP/PA.
PackSource read_chexpert_source(const std::string& csv_path, const std::string& image_root,
                                const std::vector<std::string>& label_names);

/// Every DICOM file below @p dir (see detect_image_format; DICOMDIR index files are left
/// out), in order of relative path, which is its id. Labels are all unknown: the pool awaits
/// annotation. Patients come from the files.
PackSource read_dicom_source(const std::string& dir, const std::vector<std::string>& label_names);

}  // namespace salient::io
