// `salient pack`: a dataset of PNG, JPEG or DICOM files and its metadata into a pool, once.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <optional>

#include "engine/cli/commands.h"
#include "engine/cli/positive.h"
#include "engine/runtime/progress_bar.h"
#include "salient/io/pack.h"

namespace salient::cli {
namespace {

struct PackArguments {
  io::PackOptions options;
  std::string out;
  std::string nih;
  std::string chexpert;
  std::string images;
  std::string dicom;
  std::vector<std::string> labels;
  std::string dtype = "uint8";
  std::string filter = "triangle";
  std::string on_bad_image = "fail";
  std::string views = "frontal";
  std::string uncertain = "ignore";
};

io::PackSource read_source(const PackArguments& arguments) {
  if (!arguments.nih.empty()) return io::read_nih_source(arguments.nih);
  if (!arguments.chexpert.empty()) {
    io::ChexpertOptions options;
    options.image_root = arguments.images;
    options.label_names = arguments.labels;
    options.views = io::parse_chexpert_views(arguments.views);
    options.uncertain = io::parse_uncertain_labels(arguments.uncertain);
    return io::read_chexpert_source(arguments.chexpert, options);
  }
  return io::read_dicom_source(arguments.dicom, arguments.labels);
}

void run_pack(const PackArguments& arguments) {
  const io::PackSource source = read_source(arguments);
  spdlog::info("{}: {} image(s); labels {}", source.description, source.items.size(),
               fmt::join(source.label_names, ", "));
  if (source.excluded > 0) spdlog::info("{} row(s) left out: {}", source.excluded, source.excluded_because);
  if (!source.missing.empty()) {
    // A partial download is normal (NIH ships its images in 12 archives): said once.
    spdlog::warn("{} of {} rows of '{}' have no image file: packing the {} present; their ids will be in {}/{}",
                 source.missing.size(), source.missing.size() + source.items.size(), source.metadata,
                 source.items.size(), arguments.out, io::kMissingImagesFile);
  }
  io::PackOptions options = arguments.options;
  options.pixel_type = io::parse_pixel_type(arguments.dtype);
  options.filter = io::parse_resize_filter(arguments.filter);
  options.on_bad_image = arguments.on_bad_image == "skip" ? io::BadImagePolicy::skip : io::BadImagePolicy::fail;
  std::optional<runtime::ProgressBar> progress;
  std::optional<io::PackStage> stage;
  options.progress = [&](io::PackStage now, std::int64_t done, std::int64_t total) {
    if (stage != now) {
      if (progress) progress->finish();
      spdlog::info(now == io::PackStage::decode ? "decoding and resizing to {0}x{0} ({1})" : "writing the pool",
                   options.size, arguments.filter);
      progress.emplace("images", total);
      stage = now;
    }
    progress->update(done);
  };
  const io::PackReport report = io::pack_pool(source, arguments.out, options);
  if (progress) progress->finish();
  for (const auto& leftover : report.removed_leftovers) {
    spdlog::warn("removed '{}', the unfinished pool of a killed salient synth or pack", leftover);
  }
  for (const io::BadImage& bad : report.skipped) spdlog::warn("skipped '{}': {}", bad.path, bad.reason);
  if (!report.skipped.empty()) spdlog::warn("{} bad image(s) left out (--on-bad-image=skip)", report.skipped.size());
  const io::PoolManifest& m = report.manifest;
  spdlog::info("pool '{}': {} images of {}x{} {} in {} shard(s)", arguments.out, m.total_images(), m.height, m.width,
               io::pixel_type_name(m.pixel_type), m.shards.size());
}

}  // namespace

void register_pack(CLI::App& app, CommandContext&) {
  auto arguments = std::make_shared<PackArguments>();
  io::PackOptions& o = arguments->options;
  CLI::App* command = app.add_subcommand("pack", "Pack PNG, JPEG or DICOM images and their labels into a pool");
  command->add_option("--out", arguments->out, "Pool folder to create (must not exist, or be empty)")->required();
  CLI::Option_group* from = command->add_option_group("source", "What to pack (one of)");
  CLI::Option* nih = from->add_option("--nih", arguments->nih,
                                      "NIH ChestX-ray14 folder: Data_Entry_2017_v2020.csv or Data_Entry_2017.csv, "
                                      "optional BBox_List_2017.csv, images anywhere below")
                         ->check(CLI::ExistingDirectory);
  CLI::Option* chexpert = from->add_option("--chexpert", arguments->chexpert,
                                           "CheXpert-style CSV: Path and label columns (1, 0, -1 uncertain, blank)")
                              ->check(CLI::ExistingFile);
  from->add_option("--dicom", arguments->dicom, "Folder of DICOM files (labels unknown, names from --labels)")
      ->check(CLI::ExistingDirectory);
  from->require_option(1);
  command
      ->add_option("--images", arguments->images,
                   "Folder the CSV's relative paths start from (default: the CSV's folder, or its parent when "
                   "the paths start with that folder's name)")
      ->needs(chexpert);
  command
      ->add_option("--labels", arguments->labels,
                   "Label names: CheXpert columns to keep (default: all but Path, Sex, Age, Frontal/Lateral, "
                   "AP/PA); required with --dicom")
      ->delimiter(',')
      ->excludes(nih);
  command->add_option("--views", arguments->views, "CheXpert views to pack, by Frontal/Lateral")
      ->capture_default_str()
      ->check(CLI::IsMember({"frontal", "lateral", "all"}))
      ->needs(chexpert);
  command
      ->add_option("--uncertain", arguments->uncertain,
                   "CheXpert's uncertain label (-1): ignore (unknown), zeros or ones (U-Ignore, U-Zeros, U-Ones)")
      ->capture_default_str()
      ->check(CLI::IsMember({"ignore", "zeros", "ones"}))
      ->needs(chexpert);
  command->add_option("--size", o.size, "Side of the stored square images, in pixels")
      ->capture_default_str()
      ->check(CLI::Range(8, 4096));
  command->add_option("--dtype", arguments->dtype, "Stored pixel type")
      ->capture_default_str()
      ->check(CLI::IsMember({"uint8", "uint16"}));
  command
      ->add_option("--filter", arguments->filter, "Antialiasing resize filter, as Pillow's BOX, BILINEAR and LANCZOS")
      ->capture_default_str()
      ->check(CLI::IsMember({"box", "triangle", "lanczos3"}));
  command
      ->add_option("--on-bad-image", arguments->on_bad_image,
                   "An unreadable image: fail (stop, write nothing) or skip (leave it out and list it)")
      ->capture_default_str()
      ->check(CLI::IsMember({"fail", "skip"}));
  command->add_option("--shard-size", o.shard_size, "Images per shard file")
      ->capture_default_str()
      ->check(positive());
  command->add_option("--deflate", o.deflate_level, "zlib level for the images (0: none; see docs/pool-format.md)")
      ->capture_default_str()
      ->check(CLI::Range(0, 9));
  command->add_option("--threads", o.threads, "Decoding threads (0: all cores)")->capture_default_str();
  command->callback([arguments] { run_pack(*arguments); });
}

}  // namespace salient::cli
