// The table of criterion families: one descriptor per kernel family that `salient score`
// (and `salient features`) runs. A descriptor says what the family reads from a batch, which
// outputs its kernel writes per row, which criteria of the score tables it provides, how its
// parameters are, how they are checked, and how it runs on the CPU or CUDA twin. The criteria registry,
// what a batch needs, the batch loop, `--help`, `--criteria` lists, Borda's lookup and the
// `features` command all iterate over this table, so adding a family is its kernel files and
// one entry in criterion_families.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/runtime/field_table.h"
#include "salient/kernels/criterion.h"
#include "salient/kernels/execution.h"
#include "salient/kernels/map_summary.h"

namespace salient::criteria {

struct CriteriaRequest;

/// What a family's kernel reads from a batch of images.
enum class FamilyInput : std::uint8_t {
  probabilities,  ///< one forward pass's class probabilities (K = 1 sample per row)
  mc_samples,     ///< T MC-dropout samples of the class probabilities
  patch_views,    ///< m ACFT views' class probabilities
  maps,           ///< the saliency maps
  maps_and_roi,   ///< the saliency maps and the expert ROI masks
};

/// True for the families that read saliency maps.
constexpr bool reads_maps(FamilyInput input) {
  return input == FamilyInput::maps || input == FamilyInput::maps_and_roi;
}

/// One family's input, in the kernels' layout and in memory of the backend it runs on. Map
/// families read `maps` (float32) or `double_maps` (float64, CPU only), and `roi` when they
/// compare with the expert's mask; prediction families read `samples`: rows × K × C float32.
struct FamilyBatch {
  kernels::MapBatch maps;
  kernels::DoubleMapBatch double_maps;
  const std::uint8_t* roi = nullptr;  ///< maps.n × roi_h × roi_w, nonzero inside
  std::int64_t roi_h = 0;
  std::int64_t roi_w = 0;
  const float* samples = nullptr;
  const float* predicted_variance = nullptr;  ///< optional, shaped as samples (uncertainty families)
  std::int64_t sample_rows = 0;  ///< kernel rows: images, or (image, class) pairs for multi-label
  std::int64_t samples_per_row = 0;
  std::int64_t classes = 0;

  /// Kernel rows: one per map for map families, sample_rows for the others.
  std::int64_t rows(FamilyInput input) const;
};

/// Why a criterion's value is NaN; code 0 = defined. Codes 1–7 are the map kernels'
/// kernels::FeatureReason, 8–9 the prediction kernels' kernels::ProbabilityStatus.
enum class Reason : std::uint8_t {
  defined = 0,
  // 1–7: kernels::FeatureReason with the same code.
  empty_mask = 1,
  non_finite_value = 2,
  constant_map = 3,
  degenerate_shape = 4,
  roi_missing = 5,
  no_neighbor_pairs = 6,
  too_many_gray_levels = 7,
  // kernels::ProbabilityStatus.
  invalid_probability = 8,
  invalid_variance = 9,
};
inline constexpr int kReasonCount = 10;

/// One output of one kernel row: NaN exactly where the reason is not `defined`.
struct FamilyValue {
  double value;
  Reason reason;
};

/// How a criterion's value follows from the kernel output it reads.
enum class Derivation : std::uint8_t {
  value,      ///< the output itself
  one_minus,  ///< 1 − the output (EG-AL's misalignment from alignment_HardDice)
};

/// A criterion a family provides: its name and meaning, the kernel output it reads and how.
struct FamilyCriterion {
  kernels::CriterionInfo info;
  int output;  ///< index into the family's outputs
  Derivation derivation = Derivation::value;
};

struct CriterionFamily {
  std::string_view name;   ///< on the command line ("firstorder") and the prefix of `features` reason columns
  std::string_view needs;  ///< for `--help`: "saliency map + ROI mask"
  FamilyInput input;
  /// Reads gray levels binned by the request's BinSpec (firstorder, glcm): `salient features`
  /// then needs --bin-count or --bin-width.
  bool binned;
  /// The kernel's outputs per row, in its order (the columns of `salient features`).
  std::vector<kernels::CriterionInfo> outputs;
  /// The score-table criteria it provides.
  std::vector<FamilyCriterion> criteria;
  /// Throws salient::Error when the request's parameters of this family are unusable in a way
  /// their fields' own checks (`parameters`) do not see.
  void (*check)(const CriteriaRequest& request);
  /// Bytes of results for @p rows kernel rows.
  std::size_t (*result_bytes)(std::int64_t rows);
  /// Runs the kernel on @p batch, writing its results to @p results (memory of @p ctx's backend).
  void (*run)(const FamilyBatch& batch, const CriteriaRequest& request, std::uint8_t* results,
              const kernels::ExecutionContext& ctx);
  /// Output @p output of kernel row @p row, from results copied to the host.
  FamilyValue (*read)(const std::uint8_t* results, std::int64_t rows, std::int64_t row, int output);
  /// Its parameters inside a request: the keys of salient.toml's [scoring.<name>] section,
  /// `--set scoring.<name>.<key>=…`, and its part of the scoring fingerprint.
  runtime::FieldTable<CriteriaRequest> parameters;
};

/// Every family, in the order of the score tables' columns.
const std::vector<CriterionFamily>& criterion_families();

/// The family named @p name, or nullptr.
const CriterionFamily* find_family(std::string_view name);

/// Every family's name, comma-separated; with @p maps_only, those that read saliency maps.
std::string family_names(bool maps_only = false);

}  // namespace salient::criteria
