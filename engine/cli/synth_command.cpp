// `salient synth`: a phantom chest X-ray pool, the embedded default for demos and benchmarks.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "engine/cli/commands.h"
#include "engine/cli/positive.h"
#include "engine/runtime/progress_bar.h"
#include "salient/io/montage.h"
#include "salient/io/synth_pool.h"

namespace salient::cli {
namespace {

struct SynthArguments {
  io::SynthOptions options;
  std::string out;
  std::string dtype = "uint8";
  std::string montage;
};

void write_preview(const std::string& path, const io::PhantomOptions& phantom, std::int64_t count) {
  constexpr std::int64_t kTile = 160;
  std::vector<io::MontageTile> tiles;
  for (std::int64_t i = 0; i < std::min<std::int64_t>(count, 24); ++i) {
    const io::PhantomImage image = io::draw_phantom(phantom, i);
    std::vector<std::uint8_t> gray(image.pixels.size());
    for (std::size_t p = 0; p < gray.size(); ++p) gray[p] = static_cast<std::uint8_t>(io::stored_value(io::PixelType::uint8, image.pixels[p]));
    tiles.push_back({io::resize_square(gray, phantom.size, kTile), io::resize_square(image.roi, phantom.size, kTile), {}});
  }
  io::write_montage(path, tiles, kTile, 6);
  spdlog::info("wrote {} (the first {} images, findings outlined in red)", path, tiles.size());
}

void run_synth(const SynthArguments& arguments) {
  io::SynthOptions options = arguments.options;
  options.pixel_type = io::parse_pixel_type(arguments.dtype);
  runtime::ProgressBar progress("images", options.count);
  options.progress = [&](std::int64_t done) { progress.update(done); };
  const io::SynthReport report = io::synthesize_pool(arguments.out, options);
  progress.finish();
  for (const auto& leftover : report.removed_leftovers) {
    spdlog::warn("removed '{}', the unfinished pool of a killed salient synth or pack", leftover);
  }
  const io::PoolManifest& manifest = report.manifest;
  spdlog::info("pool '{}': {} images of {}x{} {} in {} shard(s)", arguments.out, manifest.total_images(),
               manifest.height, manifest.width, io::pixel_type_name(manifest.pixel_type), manifest.shards.size());
  if (!arguments.montage.empty()) write_preview(arguments.montage, options.phantom, options.count);
}

}  // namespace

void register_synth(CLI::App& app, CommandContext&) {
  auto arguments = std::make_shared<SynthArguments>();
  io::SynthOptions& o = arguments->options;
  CLI::App* command = app.add_subcommand("synth", "Write a pool of phantom chest X-rays with labels and ROI masks");
  command->add_option("--out", arguments->out, "Pool directory to create")->required();
  command->add_option("--count", o.count, "Number of images")->capture_default_str()->check(positive());
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
      ->check(CLI::Range(0.0, 1.0));
  command->add_option("--subtle", o.phantom.subtle_fraction, "Fraction of findings drawn subtle")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  command->add_option("--duplicates", o.phantom.near_duplicate_rate, "Fraction of near-duplicate images")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  command->add_option("--noise-only", o.phantom.noise_only_rate, "Fraction of noise-only images (failed exposures)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  command->add_option("--noise", o.phantom.noise_sigma, "Acquisition noise standard deviation (intensity in [0,1])")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 0.5));
  command->add_option("--threads", o.threads, "Drawing threads (0: all cores)")->capture_default_str();
  command->add_option("--montage", arguments->montage, "Also write a PNG montage of the first images");
  command->callback([arguments] { run_synth(*arguments); });
}

}  // namespace salient::cli
