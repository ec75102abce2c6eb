// `salient features`: PyRadiomics-compatible first-order, shape2D and texture features of any 2-D
// maps (saliency or not) read from HDF5, one CSV row per map, written atomically; and the
// alignment of each map with an expert ROI mask (EG-AL's Dice, WILDCAT's AUPRC: the
// alignment family, float32 like its kernel, --masks not applied).
//
// Precision: float32 maps are computed as PyRadiomics computes float32 images, on the CPU or
// on CUDA. float64 maps are computed by the CPU twins in double, as PyRadiomics computes
// float64 images (binning included), so they agree with it to 1e-9 relative; --device auto
// therefore keeps them on the CPU, and --device cuda converts them to float32 with a warning
// (the CUDA twins are float32 only).
//
// Columns: index, then for each family in the order of --families its features (names of
// kernels/include/salient/kernels/feature_registry.h, e.g. firstorder_Kurtosis) and one
// reason column <family>_reason: empty when every feature of the family is defined for the
// map, else the reason of its NaN values (feature_registry.h: reason_name; within one family
// and map the NaN values share one reason, distinct ones would be joined by ';').
#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "engine/cli/commands.h"
#include "engine/cli/positive.h"
#include "engine/runtime/progress_bar.h"
#include "salient/io/atomic_file.h"
#include "salient/io/hdf5.h"
#include "engine/criteria/criteria_request.h"

namespace salient::cli {
namespace {

using kernels::FeatureReason;

/// Maps read, computed and written at a time: bounds the memory of any N.
constexpr std::uint64_t kChunkBytes = std::uint64_t{64} << 20;

using criteria::CriterionFamily;

struct FeaturesArguments {
  std::string in, maps, masks, roi, out;
  std::string families = "firstorder,shape2D";
  double dice_threshold = 0.5;
  std::optional<int> bin_count;
  std::optional<double> bin_width;
  double quantile = 0.7;
  std::vector<int> distances{1};
};

/// The map families of criterion_families() named in @p text, in its order.
std::vector<const CriterionFamily*> parse_families(const std::string& text) {
  std::vector<const CriterionFamily*> chosen;
  std::stringstream list(text);
  for (std::string name; std::getline(list, name, ',');) {
    const CriterionFamily* family = criteria::find_family(name);
    SALIENT_CHECK(family != nullptr && criteria::reads_maps(family->input), "--families: unknown family '{}' (known: {})",
                  name, criteria::family_names(true));
    SALIENT_CHECK(std::find(chosen.begin(), chosen.end(), family) == chosen.end(), "--families: '{}' is listed twice",
                  name);
    chosen.push_back(family);
  }
  SALIENT_CHECK(!chosen.empty(), "--families: name at least one family");
  return chosen;
}

/// The families' parameters from the command line, checked by each family before any map is read.
criteria::CriteriaRequest settings_of(const FeaturesArguments& arguments,
                                      const std::vector<const CriterionFamily*>& families) {
  criteria::CriteriaRequest settings;
  const bool binned = std::any_of(families.begin(), families.end(), [](const CriterionFamily* f) { return f->binned; });
  if (binned) {
    SALIENT_CHECK(arguments.bin_count || arguments.bin_width,
                  "{} need the gray-level bins: give --bin-count N or --bin-width W (PyRadiomics' binCount, binWidth)",
                  arguments.families);
    settings.set_bins(arguments.bin_count ? kernels::BinSpec::bin_count(*arguments.bin_count)
                                          : kernels::BinSpec::bin_width(*arguments.bin_width));
    settings.glcm.distances = arguments.distances;
  }
  settings.shape2d = kernels::Shape2DParams::at_quantile(arguments.quantile);
  settings.alignment.dice_threshold = arguments.dice_threshold;
  for (const CriterionFamily* family : families) family->check(settings);
  const bool aligned = std::any_of(families.begin(), families.end(), [](const CriterionFamily* f) {
    return f->input == criteria::FamilyInput::maps_and_roi;
  });
  SALIENT_CHECK(aligned == !arguments.roi.empty(),
                aligned ? "the alignment family compares each map with an expert ROI: give --roi DATASET"
                        : "--roi is read by the alignment family only: add alignment to --families");
  return settings;
}

/// The features and reasons of one chunk of maps, per family, on the host.
struct ChunkFeatures {
  std::vector<std::vector<double>> values;
  std::vector<std::vector<FeatureReason>> reasons;
};

/// Reads every output of @p family's results (on the host) into @p out.
void collect(const CriterionFamily& family, const std::uint8_t* results, std::int64_t n, ChunkFeatures& out) {
  const auto columns = static_cast<int>(family.outputs.size());
  out.values.emplace_back(static_cast<std::size_t>(n * columns));
  out.reasons.emplace_back(static_cast<std::size_t>(n * columns));
  for (std::int64_t i = 0; i < n; ++i) {
    for (int c = 0; c < columns; ++c) {
      const auto value = family.read(results, n, i, c);
      out.values.back()[static_cast<std::size_t>(i * columns + c)] = value.value;
      out.reasons.back()[static_cast<std::size_t>(i * columns + c)] = static_cast<FeatureReason>(value.reason);
    }
  }
}

ChunkFeatures compute_on_cpu(const criteria::FamilyBatch& batch, const std::vector<const CriterionFamily*>& families,
                             const criteria::CriteriaRequest& settings) {
  ChunkFeatures out;
  for (const CriterionFamily* family : families) {
    const std::int64_t n = batch.rows(family->input);
    std::vector<std::uint8_t> results(family->result_bytes(n));
    family->run(batch, settings, results.data(), {});
    collect(*family, results.data(), n, out);
  }
  return out;
}

ChunkFeatures compute_on_cuda(const criteria::FamilyBatch& host, const std::vector<const CriterionFamily*>& families,
                              const criteria::CriteriaRequest& settings, const c10::Device& device) {
  const auto& maps = host.maps;
  const std::vector<std::int64_t> sizes{maps.n, maps.h, maps.w};
  // from_blob does not copy: the host arrays outlive these calls, which copy them to the device.
  const auto to_device = [&](const void* data, const std::vector<std::int64_t>& shape, torch::Dtype type) {
    return torch::from_blob(const_cast<void*>(data), shape, type).to(device).contiguous();
  };
  const torch::Tensor pixels = to_device(maps.maps, sizes, torch::kFloat32);
  torch::Tensor masks, roi;
  criteria::FamilyBatch batch = host;
  batch.maps.maps = pixels.data_ptr<float>();
  if (maps.masks) {
    masks = to_device(maps.masks, sizes, torch::kUInt8);
    batch.maps.masks = masks.data_ptr<std::uint8_t>();
  }
  if (host.roi) {
    roi = to_device(host.roi, {maps.n, host.roi_h, host.roi_w}, torch::kUInt8);
    batch.roi = roi.data_ptr<std::uint8_t>();
  }
  ChunkFeatures out;
  for (const CriterionFamily* family : families) {
    const std::int64_t n = batch.rows(family->input);
    const torch::Tensor results =
        torch::empty({static_cast<std::int64_t>(family->result_bytes(n))},
                     torch::TensorOptions().dtype(torch::kUInt8).device(device));
    family->run(batch, settings, results.data_ptr<std::uint8_t>(), {kernels::Backend::cuda, nullptr});
    collect(*family, results.cpu().data_ptr<std::uint8_t>(), n, out);
  }
  return out;
}

std::string header_of(const std::vector<const CriterionFamily*>& families) {
  std::string header = "index";
  for (const CriterionFamily* family : families) {
    for (const auto& output : family->outputs) header += fmt::format(",{}", output.name);
    header += fmt::format(",{}_reason", family->name);
  }
  return header + "\n";
}

/// Appends the rows of maps [first, first + count) to @p csv; returns how many rows have a
/// NaN feature.
std::int64_t write_rows(std::ostream& csv, std::uint64_t first, std::int64_t count,
                        const std::vector<const CriterionFamily*>& families, const ChunkFeatures& chunk) {
  std::int64_t undefined = 0;
  fmt::memory_buffer row;
  for (std::int64_t i = 0; i < count; ++i) {
    row.clear();
    fmt::format_to(std::back_inserter(row), "{}", first + static_cast<std::uint64_t>(i));
    bool any_undefined = false;
    for (std::size_t f = 0; f < families.size(); ++f) {
      const auto columns = static_cast<int>(families[f]->outputs.size());
      const double* values = chunk.values[f].data() + i * columns;
      const FeatureReason* reasons = chunk.reasons[f].data() + i * columns;
      std::vector<FeatureReason> why;
      for (int c = 0; c < columns; ++c) {
        fmt::format_to(std::back_inserter(row), ",{}", values[c]);
        if (reasons[c] != FeatureReason::ok && std::find(why.begin(), why.end(), reasons[c]) == why.end()) {
          why.push_back(reasons[c]);
        }
      }
      row.push_back(',');
      for (std::size_t k = 0; k < why.size(); ++k) {
        fmt::format_to(std::back_inserter(row), "{}{}", k ? ";" : "", kernels::reason_name(why[k]));
      }
      any_undefined = any_undefined || !why.empty();
    }
    row.push_back('\n');
    csv.write(row.data(), static_cast<std::streamsize>(row.size()));
    undefined += any_undefined;
  }
  return undefined;
}

template <typename Pixel>
std::vector<Pixel> read_rows(const io::h5::Dataset& dataset, std::uint64_t first, std::uint64_t count) {
  std::vector<Pixel> values(static_cast<std::size_t>(count * dataset.row_elements()));
  dataset.read_rows(first, count, values.data());
  return values;
}

void run_features(const FeaturesArguments& arguments, runtime::DeviceChoice choice) {
  const std::vector<const CriterionFamily*> families = parse_families(arguments.families);
  const criteria::CriteriaRequest settings = settings_of(arguments, families);
  const auto file = io::h5::File::open(arguments.in);
  const io::h5::Dataset maps = file.dataset(arguments.maps);
  const auto& shape = maps.shape();
  SALIENT_CHECK(shape.size() == 3 && shape[1] > 0 && shape[2] > 0,
                "{} must have the shape [N, H, W] with H, W > 0 (one 2-D map per row), it has {} dimension(s)",
                maps.where(), shape.size());
  const bool float64 = maps.holds<double>();
  SALIENT_CHECK(float64 || maps.holds<float>(), "{} holds {}, expected float32 or float64 maps", maps.where(),
                maps.element_name());
  std::optional<io::h5::Dataset> masks;
  if (!arguments.masks.empty()) {
    masks.emplace(file.dataset(arguments.masks));
    SALIENT_CHECK(masks->holds<std::uint8_t>(), "{} holds {}, expected uint8 masks (nonzero = inside)", masks->where(),
                  masks->element_name());
    SALIENT_CHECK(masks->shape() == shape, "{} has the shape [{}], expected that of {}: [{}]", masks->where(),
                  fmt::join(masks->shape(), ", "), maps.where(), fmt::join(shape, ", "));
  }
  std::optional<io::h5::Dataset> rois;
  if (!arguments.roi.empty()) {
    rois.emplace(file.dataset(arguments.roi));
    SALIENT_CHECK(rois->holds<std::uint8_t>(), "{} holds {}, expected uint8 ROI masks (nonzero = inside)",
                  rois->where(), rois->element_name());
    SALIENT_CHECK(rois->shape().size() == 3 && rois->shape()[0] == shape[0] && rois->shape()[1] > 0 &&
                      rois->shape()[2] > 0,
                  "{} has the shape [{}], expected [{}, H, W]: one ROI mask per map of {}", rois->where(),
                  fmt::join(rois->shape(), ", "), shape[0], maps.where());
  }

  if (float64 && choice == runtime::DeviceChoice::automatic) {
    spdlog::info("float64 maps: computed on the CPU in double precision (--device cuda would convert them to float32)");
    choice = runtime::DeviceChoice::cpu;
  }
  const c10::Device device = runtime::resolve_device(choice, 0);
  if (float64 && device.is_cuda()) {
    spdlog::warn("float64 maps are converted to float32 for the CUDA twins; --device cpu computes them in double, "
                 "as PyRadiomics does");
  }

  const std::uint64_t n = shape[0];
  const auto h = static_cast<std::int64_t>(shape[1]), w = static_cast<std::int64_t>(shape[2]);
  const std::uint64_t map_bytes = maps.row_elements() * (float64 ? sizeof(double) : sizeof(float));
  const std::uint64_t chunk = std::max<std::uint64_t>(1, kChunkBytes / map_bytes);
  io::AtomicOutput output(arguments.out);
  std::ofstream csv(output.temporary_path(), std::ios::binary | std::ios::trunc);
  SALIENT_CHECK(csv, "cannot create '{}': {}", output.temporary_path(), std::strerror(errno));
  csv << header_of(families);
  runtime::ProgressBar progress("maps", static_cast<std::int64_t>(n));
  std::int64_t undefined = 0;
  for (std::uint64_t first = 0; first < n; first += chunk) {
    const std::uint64_t count = std::min(chunk, n - first);
    std::vector<std::uint8_t> mask_rows;
    if (masks) mask_rows = read_rows<std::uint8_t>(*masks, first, count);
    const std::uint8_t* chunk_masks = masks ? mask_rows.data() : nullptr;
    const auto maps_in_chunk = static_cast<std::int64_t>(count);
    criteria::FamilyBatch batch;
    std::vector<std::uint8_t> roi_rows;
    if (rois) {
      roi_rows = read_rows<std::uint8_t>(*rois, first, count);
      batch.roi = roi_rows.data();
      batch.roi_h = static_cast<std::int64_t>(rois->shape()[1]);
      batch.roi_w = static_cast<std::int64_t>(rois->shape()[2]);
    }
    ChunkFeatures features;
    if (float64 && !device.is_cuda()) {
      const std::vector<double> values = read_rows<double>(maps, first, count);
      batch.maps = {nullptr, chunk_masks, maps_in_chunk, h, w};
      batch.double_maps = {values.data(), chunk_masks, maps_in_chunk, h, w};
      features = compute_on_cpu(batch, families, settings);
    } else {
      std::vector<float> values;
      if (float64) {
        const std::vector<double> wide = read_rows<double>(maps, first, count);
        values.assign(wide.begin(), wide.end());
      } else {
        values = read_rows<float>(maps, first, count);
      }
      batch.maps = {values.data(), chunk_masks, maps_in_chunk, h, w};
      features = device.is_cuda() ? compute_on_cuda(batch, families, settings, device)
                                  : compute_on_cpu(batch, families, settings);
    }
    undefined += write_rows(csv, first, maps_in_chunk, families, features);
    progress.update(static_cast<std::int64_t>(first + count));
  }
  progress.finish();
  csv.close();
  SALIENT_CHECK(csv, "cannot write '{}': {}", output.temporary_path(), std::strerror(errno));
  output.commit();
  spdlog::info("wrote {} map(s) to {}{}", n, arguments.out,
               undefined ? fmt::format(" ({} with undefined features: NaN, reason given)", undefined) : "");
}

}  // namespace

void register_features(CLI::App& app, CommandContext& context) {
  auto arguments = std::make_shared<FeaturesArguments>();
  CLI::App* command = app.add_subcommand(
      "features",
      "PyRadiomics-compatible first-order, shape2D and texture features of 2-D maps (HDF5 [N, H, W]), and their "
      "alignment with expert ROI masks, to CSV");
  command->fallthrough();  // the global --device and --log-level may follow the subcommand too
  command->add_option("--in", arguments->in, "HDF5 file with the maps")->required()->check(CLI::ExistingFile);
  command->add_option("--maps", arguments->maps, "Dataset [N, H, W] of float32 or float64 maps")->required();
  command->add_option("--masks", arguments->masks, "Dataset [N, H, W] of uint8 masks (nonzero = inside; default: "
                                                   "whole maps)");
  command->add_option("--families", arguments->families,
                      "Comma-separated families: " + criteria::family_names(true))
      ->capture_default_str();
  command->add_option("--roi", arguments->roi,
                      "alignment: dataset [N, H', W'] of uint8 expert ROI masks, one per map (maps are upsampled to "
                      "H'×W')");
  command->add_option("--dice-threshold", arguments->dice_threshold,
                      "alignment: tau of alignment_HardDice on the min-max scaled map (EG-AL: 0.5)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  CLI::Option* count = command->add_option("--bin-count", arguments->bin_count,
                                           "firstorder: PyRadiomics' binCount, N equal bins over each map's range")
                           ->check(positive());
  CLI::Option* width = command->add_option("--bin-width", arguments->bin_width,
                                           "firstorder: PyRadiomics' binWidth, bins of width W from a multiple of W")
                           ->check(positive());
  count->excludes(width);
  command->add_option("--quantile", arguments->quantile,
                      "shape2D: the shape is the masked pixels >= this quantile of the masked values (numpy, linear)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  command->add_option("--distances", arguments->distances,
                      "glcm: pixel distances of the co-occurrences (PyRadiomics' distances; d adds 4d offsets)")
      ->capture_default_str()
      ->delimiter(',');
  command->add_option("--out", arguments->out, "CSV to write: index, features and <family>_reason columns")->required();
  command->callback([arguments, &context] { run_features(*arguments, context.device); });
}

}  // namespace salient::cli
