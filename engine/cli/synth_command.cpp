// `salient synth`: a phantom chest X-ray pool, the embedded default for demos and benchmarks.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <algorithm>
#include <optional>

#include "engine/cli/commands.h"
#include "engine/cli/positive.h"
#include "engine/models/model_input.h"
#include "engine/runtime/progress_bar.h"
#include "salient/io/montage.h"
#include "salient/io/pool.h"
#include "salient/io/synth_like.h"
#include "salient/io/synth_pool.h"

namespace salient::cli {
namespace {

struct SynthArguments {
  io::SynthOptions options;
  io::LikeSynthOptions like;
  std::string out;
  std::string dtype = "uint8";
  std::string montage;
};

// The pool's first images, each stretched from its darkest to its brightest pixel.
void write_preview(const std::string& path, const std::string& pool_dir) {
  constexpr std::int64_t kTile = 160;
  const io::Pool pool = io::Pool::open(pool_dir);
  const io::ShardFile shard = pool.open_shard(0);
  const std::int64_t count = std::min<std::int64_t>(shard.count(), 24), side = pool.manifest().height;
  const auto pixels = static_cast<std::size_t>(side * pool.manifest().width);
  const io::PixelType type = pool.manifest().pixel_type;
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(count) * pixels * io::pixel_bytes(type));
  std::vector<std::uint8_t> roi(static_cast<std::size_t>(count) * pixels);
  shard.read_images(0, count, bytes.data());
  shard.read_roi(0, count, roi.data());
  const at::Tensor unit =
      models::unit_intensity(bytes.data(), type, count, side, pool.manifest().width, c10::Device(c10::kCPU)).flatten(1);
  const at::Tensor low = unit.amin(1, true), range = (unit.amax(1, true) - low).clamp_min(1e-12);
  const at::Tensor gray = ((unit - low) / range * 255.0).round().to(torch::kUInt8).contiguous();
  std::vector<io::MontageTile> tiles;
  for (std::int64_t i = 0; i < count; ++i) {
    const std::uint8_t* image = gray[i].data_ptr<std::uint8_t>();
    const auto first = roi.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(i) * pixels);
    tiles.push_back({io::resize_square({image, image + pixels}, side, kTile),
                     io::resize_square({first, first + static_cast<std::ptrdiff_t>(pixels)}, side, kTile), {}});
  }
  io::write_montage(path, tiles, kTile, 6);
  spdlog::info("wrote {} (the first {} images, findings outlined in red)", path, tiles.size());
}

void report_pool(const std::string& out, const io::PoolManifest& manifest,
                 const std::vector<std::string>& removed_leftovers) {
  for (const auto& leftover : removed_leftovers) {
    spdlog::warn("removed '{}', the unfinished pool of a killed salient synth or pack", leftover);
  }
  spdlog::info("pool '{}': {} images of {}x{} {} in {} shard(s)", out, manifest.total_images(), manifest.height,
               manifest.width, io::pixel_type_name(manifest.pixel_type), manifest.shards.size());
}

// `--like FILE`: the rows of a real metadata file, drawn on real lung masks.
void run_synth_like(const SynthArguments& arguments) {
  io::LikeSynthOptions options = arguments.like;
  const io::SynthOptions& common = arguments.options;
  options.phantom.seed = common.phantom.seed;
  options.phantom.size = common.phantom.size;
  options.phantom.subtle_fraction = common.phantom.subtle_fraction;
  options.phantom.noise_sigma = common.phantom.noise_sigma;
  options.pixel_type = io::parse_pixel_type(arguments.dtype);
  options.shard_size = common.shard_size;
  options.deflate_level = common.deflate_level;
  options.threads = common.threads;
  std::optional<runtime::ProgressBar> progress;
  options.progress = [&](std::int64_t done, std::int64_t total) {
    if (!progress) progress.emplace("images", total);
    progress->update(done);
  };
  const io::LikeSynthReport report = io::synthesize_like_pool(arguments.out, options);
  if (progress) progress->finish();
  spdlog::info("'{}': {} rows of {} patients; {} images of {} whole patients drawn", options.entries,
               report.file_rows, report.file_patients, report.manifest.total_images(), report.patients);
  spdlog::info("lung masks '{}': {} used, {} left out{}", options.lung_masks, report.masks,
               report.rejected_masks.size(),
               report.rejected_masks.empty()
                   ? std::string()
                   : fmt::format(" (e.g. {}: {})", report.rejected_masks.front().file,
                                 report.rejected_masks.front().reason));
  report_pool(arguments.out, report.manifest, report.removed_leftovers);
}

void run_phantom_synth(const SynthArguments& arguments) {
  io::SynthOptions options = arguments.options;
  options.pixel_type = io::parse_pixel_type(arguments.dtype);
  runtime::ProgressBar progress("images", options.count);
  options.progress = [&](std::int64_t done) { progress.update(done); };
  const io::SynthReport report = io::synthesize_pool(arguments.out, options);
  progress.finish();
  report_pool(arguments.out, report.manifest, report.removed_leftovers);
}

void run_synth(const SynthArguments& arguments) {
  if (arguments.like.entries.empty()) {
    run_phantom_synth(arguments);
  } else {
    run_synth_like(arguments);
  }
  if (!arguments.montage.empty()) write_preview(arguments.montage, arguments.out);
}

}  // namespace

void register_synth(CLI::App& app, CommandContext&) {
  auto arguments = std::make_shared<SynthArguments>();
  io::SynthOptions& o = arguments->options;
  CLI::App* command = app.add_subcommand("synth", "Write a pool of phantom chest X-rays with labels and ROI masks");
  command->add_option("--out", arguments->out, "Pool directory to create")->required();
  CLI::Option* count =
      command->add_option("--count", o.count, "Number of images")->capture_default_str()->check(positive());
  io::LikeSynthOptions& like = arguments->like;
  CLI::Option* like_option =
      command
          ->add_option("--like", like.entries,
                       "Draw the rows of this NIH Data_Entry CSV (ids, patients, views, findings) instead of "
                       "phantoms of --count (docs/pool-format.md)")
          ->check(CLI::ExistingFile)
          ->excludes(count);
  CLI::Option* lung_masks = command->add_option("--lung-masks", like.lung_masks,
                      "With --like: folder of real lung masks the anatomy comes from (scripts/install-deps.sh unpacks "
                      "517 into .venv/salient-data/lung_masks)")
      ->check(CLI::ExistingDirectory)
      ->needs(like_option);
  like_option->needs(lung_masks);
  command->add_option("--boxes", like.boxes, "With --like: BBox_List CSV; a boxed finding is drawn inside its box")
      ->check(CLI::ExistingFile)
      ->needs(like_option);
  CLI::Option* rows =
      command->add_option("--rows", like.rows, "With --like: keep whole patients until this many images (0: all)")
          ->check(CLI::NonNegativeNumber)
          ->needs(like_option);
  command->add_option("--sample-seed", like.sample_seed, "With --rows: seed of the order patients are taken in")
      ->capture_default_str()
      ->needs(rows);
  command
      ->add_option("--skip-rows", like.skip_rows,
                   "With --rows: first set aside whole patients for this many images; pools of one --sample-seed "
                   "with disjoint [skip, skip + rows) share no patient (a source pool beside a target)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber)
      ->needs(rows);
  command->add_option("--size", o.phantom.size, "Image side in pixels (64-1024)")
      ->capture_default_str()
      ->check(CLI::Range(64, 1024));
  command->add_option("--seed", o.phantom.seed, "Seed: the same seed gives the same pool")->capture_default_str();
  command->add_option("--dtype", arguments->dtype, "Stored pixel type")
      ->capture_default_str()
      ->check(CLI::IsMember({"uint8", "uint16", "float32"}));
  command->add_option("--shard-size", o.shard_size, "Images per shard file")
      ->capture_default_str()
      ->check(positive());
  command->add_option("--deflate", o.deflate_level, "zlib level for the images (0: none, the default; see docs/pool-format.md)")
      ->capture_default_str()
      ->check(CLI::Range(0, 9));
  command->add_option("--label-noise", o.phantom.label_noise, "Probability that a stored label is flipped")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0))
      ->excludes(like_option);
  command->add_option("--subtle", o.phantom.subtle_fraction, "Fraction of findings drawn subtle")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  command->add_option("--duplicates", o.phantom.near_duplicate_rate, "Fraction of near-duplicate images")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0))
      ->excludes(like_option);
  command->add_option("--noise-only", o.phantom.noise_only_rate, "Fraction of noise-only images (failed exposures)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0))
      ->excludes(like_option);
  command->add_option("--noise", o.phantom.noise_sigma, "Acquisition noise standard deviation (intensity in [0,1])")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 0.5));
  command->add_option("--threads", o.threads, "Drawing threads (0: all cores)")->capture_default_str();
  command->add_option("--montage", arguments->montage, "Also write a PNG montage of the first images");
  command->callback([arguments] { run_synth(*arguments); });
}

}  // namespace salient::cli
