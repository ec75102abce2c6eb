// `salient saliency`: saliency maps of a model's predictions for the images of a pool,
// written to one HDF5 file (maps at the pool's image size, with ids, global indices, the
// explained class and the probabilities), and optionally a PNG montage of the first few.
#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>

#include "engine/cli/commands.h"
#include "engine/runtime/progress_bar.h"
#include "engine/models/model_choice.h"
#include "engine/models/model_factory.h"
#include "engine/models/model_input.h"
#include "engine/runtime/precision.h"
#include "engine/runtime/threads.h"
#include "engine/saliency/saliency.h"
#include "engine/saliency/saliency_montage.h"
#include "salient/io/atomic_file.h"
#include "salient/io/hdf5.h"
#include "salient/io/montage.h"
#include "salient/io/pool.h"
#include "salient/io/shard_reader.h"

namespace salient::cli {
namespace {

struct SaliencyArguments {
  models::ModelChoice model;
  std::string pool, out, target = "auto", method = "gradcam", layer, ig_baseline = "black";
  std::string montage, precision = "fp32";
  bool channels_last = false;
  std::int64_t batch_size = 16, limit = -1, montage_count = 8;
  int ig_steps = 32, smoothgrad_samples = 16;
  double smoothgrad_noise = 0.15, blur_sigma = 10.0;
};

std::unique_ptr<models::Classifier> open_model(const SaliencyArguments& arguments, const io::PoolManifest& manifest,
                                               const c10::Device& device) {
  auto model = models::open_model(arguments.model, manifest.label_names, device);
  spdlog::info("model: {} ({}, {} classes, input {}²)", models::describe_model(arguments.model),
               models::architecture_name(model->spec().architecture), model->spec().classes,
               model->spec().input_size);
  return model;
}

// -1 explains each image's most probable class; otherwise the class named (or numbered).
std::int64_t parse_target(const std::string& text, const std::vector<std::string>& class_names) {
  if (text == "auto") return -1;
  const auto named = std::find(class_names.begin(), class_names.end(), text);
  if (named != class_names.end()) return named - class_names.begin();
  try {
    std::size_t used = 0;
    const auto index = std::stoll(text, &used);
    if (used == text.size() && index >= 0 && index < static_cast<std::int64_t>(class_names.size())) return index;
  } catch (const std::exception&) {
  }
  throw Error(fmt::format("--class '{}': expected auto, a class name ({}) or an index below {}", text,
                          fmt::join(class_names, ", "), class_names.size()));
}

saliency::SaliencyOptions options_of(const SaliencyArguments& arguments) {
  saliency::SaliencyOptions options;
  options.method = saliency::parse_method(arguments.method);
  options.layer = arguments.layer;
  options.ig_steps = arguments.ig_steps;
  SALIENT_CHECK(arguments.ig_baseline == "black" || arguments.ig_baseline == "blurred",
                "--ig-baseline must be black or blurred, not '{}'", arguments.ig_baseline);
  options.ig_baseline = arguments.ig_baseline == "black" ? saliency::Baseline::black : saliency::Baseline::blurred;
  options.blur_sigma = arguments.blur_sigma;
  options.smoothgrad_samples = arguments.smoothgrad_samples;
  options.smoothgrad_noise = arguments.smoothgrad_noise;
  options.seed = arguments.model.seed;
  return options;
}

// A montage pair per image: the X-ray with the outline of its most salient 30 % (the map at
// or above its 0.7 quantile, the region shape2D measures), and the map itself.
void add_montage_pair(std::vector<io::MontageTile>& tiles, const at::Tensor& unit_image, const at::Tensor& map,
                      std::int64_t tile) {
  const auto unit_map = saliency::unit_scaled(map);
  const auto salient_region = unit_map.ge(torch::quantile(unit_map.flatten(), 0.7)).to(torch::kFloat32);
  tiles.push_back({saliency::tile_bytes(unit_image, tile), saliency::tile_bytes(salient_region, tile), {}});
  tiles.push_back({saliency::tile_bytes(unit_map, tile), {}, {}});
}

void run_saliency(const SaliencyArguments& arguments, runtime::DeviceChoice choice) {
  const c10::Device device = runtime::resolve_device(choice, 0);
  runtime::use_all_cpu_threads(1);
  const io::Pool pool = io::Pool::open(arguments.pool);
  const auto& manifest = pool.manifest();
  auto model = open_model(arguments, manifest, device);
  const auto classes = model->spec().classes;
  std::vector<std::string> class_names = manifest.label_names;
  if (static_cast<std::int64_t>(class_names.size()) != classes) {
    spdlog::warn("the model has {} classes and the pool {} labels: classes are numbered", classes, class_names.size());
    class_names.clear();
    for (std::int64_t c = 0; c < classes; ++c) class_names.push_back(fmt::format("class{}", c));
  }
  const std::int64_t fixed_target = parse_target(arguments.target, class_names);
  const auto options = options_of(arguments);
  const auto precision = runtime::parse_precision(arguments.precision);
  if (arguments.channels_last) runtime::use_channels_last(model->parameters());

  const std::int64_t total = arguments.limit < 0 ? pool.size() : std::min(arguments.limit, pool.size());
  SALIENT_CHECK(total > 0, "nothing to do: --limit {} on a pool of {} images", arguments.limit, pool.size());
  const auto height = manifest.height, width = manifest.width;
  const auto n = static_cast<std::uint64_t>(total);
  const auto h = static_cast<std::uint64_t>(height), w = static_cast<std::uint64_t>(width);

  io::ReaderOptions reader_options;
  reader_options.batch_size = arguments.batch_size;
  io::ShardReader reader(pool, reader_options);
  io::AtomicOutput output(arguments.out);
  std::vector<std::string> ids;
  std::vector<io::MontageTile> tiles;
  {
    auto file = io::h5::File::create(output.temporary_path());
    auto maps = file.create_dataset<float>("maps", {n, h, w}, io::h5::Layout{{1, h, w}, 0});
    auto probabilities = file.create_dataset<float>("probabilities", {n, static_cast<std::uint64_t>(classes)});
    auto targets = file.create_dataset<std::int64_t>("targets", {n});
    auto indices = file.create_dataset<std::int64_t>("indices", {n});
    runtime::ProgressBar progress("saliency " + arguments.method, total);
    std::int64_t done = 0;
    while (done < total) {
      auto lease = reader.next();
      SALIENT_ASSERT(lease);
      const io::ImageBatch& batch = *lease;
      const std::int64_t rows = std::min(batch.size(), total - done);
      auto input = models::model_input(batch.pixels, manifest.pixel_type, rows, height, width, model->spec(), device);
      if (arguments.channels_last) input = input.contiguous(at::MemoryFormat::ChannelsLast);
      const runtime::AutocastScope autocast(device, precision);
      const auto global = torch::tensor(std::vector<std::int64_t>(batch.indices.begin(), batch.indices.begin() + rows));
      // --class auto: compute_saliency explains each image's argmax from its own forward pass.
      const auto requested = fixed_target >= 0 ? torch::full({rows}, fixed_target, torch::kInt64) : at::Tensor();
      const auto result = saliency::compute_saliency(*model, input, requested, global, options);
      const auto target = fixed_target >= 0 ? requested : result.logits.argmax(1).cpu();
      const auto map_rows = models::resize_maps(result.maps.detach().to(torch::kFloat32), height, width).cpu().contiguous();
      const auto probs =
          models::probabilities_from_logits(result.logits, model->spec().output).to(torch::kFloat32).cpu().contiguous();
      const auto first = static_cast<std::uint64_t>(done), count = static_cast<std::uint64_t>(rows);
      maps.write_rows(first, count, map_rows.data_ptr<float>());
      probabilities.write_rows(first, count, probs.data_ptr<float>());
      targets.write_rows(first, count, target.contiguous().data_ptr<std::int64_t>());
      indices.write_rows(first, count, global.data_ptr<std::int64_t>());
      ids.insert(ids.end(), batch.ids.begin(), batch.ids.begin() + rows);
      if (!arguments.montage.empty() && static_cast<std::int64_t>(tiles.size()) < 2 * arguments.montage_count) {
        const auto unit =
            models::unit_intensity(batch.pixels, manifest.pixel_type, rows, height, width, c10::Device(c10::kCPU))
                .squeeze(1);
        for (std::int64_t i = 0; i < rows && static_cast<std::int64_t>(tiles.size()) < 2 * arguments.montage_count; ++i)
          add_montage_pair(tiles, unit[i], map_rows[i], 160);
      }
      done += rows;
      progress.update(done);
    }
    progress.finish();
    file.write_strings("ids", ids);
    file.write_strings("classes", class_names);
    file.set_attribute("method", arguments.method);
    file.set_attribute("layer", arguments.layer.empty() ? std::string("trunk output") : arguments.layer);
    file.set_attribute("model", models::describe_model(arguments.model));
    file.set_attribute("pool", arguments.pool);
    file.flush();
  }
  output.commit();
  spdlog::info("wrote {} maps of {}×{} to {}", total, height, width, arguments.out);
  if (!arguments.montage.empty()) {
    io::write_montage(arguments.montage, tiles, 160, 8);
    spdlog::info("wrote a montage of {} images to {}", tiles.size() / 2, arguments.montage);
  }
}

}  // namespace

void register_saliency(CLI::App& app, CommandContext& context) {
  auto arguments = std::make_shared<SaliencyArguments>();
  auto* command = app.add_subcommand("saliency", "Saliency maps of a model's predictions for a pool, to HDF5");
  command->add_option("--pool", arguments->pool, "pool directory")->required();
  command
      ->add_option("--model", arguments->model.model,
                   "built-in architecture (small-cnn, resnet18, resnet50, densenet121), salient checkpoint or "
                   "TorchScript file")
      ->capture_default_str();
  command->add_option("--weights", arguments->model.weights,
                      "with a built-in architecture: a torch.save state_dict (default: random from --seed)");
  command->add_flag("--wildcat", arguments->model.wildcat,
                    "with a built-in architecture: a WILDCAT head (class maps) instead of pooling");
  command->add_option("--method", arguments->method, saliency::method_names(", "))
      ->capture_default_str();
  command->add_option("--out", arguments->out, "HDF5 file to write (maps, probabilities, targets, indices, ids)")
      ->required();
  command->add_option("--class", arguments->target, "class to explain: auto (each image's most probable), a name or an index")
      ->capture_default_str();
  command->add_option("--layer", arguments->layer, "Grad-CAM stage (default: the trunk's output)");
  command->add_option("--input-size", arguments->model.input_size,
                      "model input size of a built-in architecture or a TorchScript file")
      ->capture_default_str();
  command->add_option("--batch-size", arguments->batch_size, "images per batch")->capture_default_str();
  command->add_option("--limit", arguments->limit, "only the first N images of the pool");
  command->add_option("--ig-steps", arguments->ig_steps, "Integrated Gradients: Gauss-Legendre nodes")
      ->capture_default_str();
  command->add_option("--ig-baseline", arguments->ig_baseline, "Integrated Gradients baseline: black or blurred")
      ->capture_default_str();
  command->add_option("--blur-sigma", arguments->blur_sigma, "blurred baseline: Gaussian sigma in input pixels")
      ->capture_default_str();
  command->add_option("--smoothgrad-samples", arguments->smoothgrad_samples, "SmoothGrad: noisy copies per image")
      ->capture_default_str();
  command->add_option("--smoothgrad-noise", arguments->smoothgrad_noise,
                      "SmoothGrad: noise sigma as a fraction of each image's range")
      ->capture_default_str();
  command->add_option("--seed", arguments->model.seed, "seed of random built-in weights and SmoothGrad noise")
      ->capture_default_str();
  command->add_option("--precision", arguments->precision, "fp32, or bf16/fp16 autocast (on a GPU)")
      ->capture_default_str();
  command->add_flag("--channels-last", arguments->channels_last, "channels-last weights and inputs (faster on a GPU)");
  command->add_option("--montage", arguments->montage, "also write a PNG: each image with its salient region, and its map");
  command->add_option("--montage-count", arguments->montage_count, "images in the montage")->capture_default_str();
  command->callback([arguments, &context] { run_saliency(*arguments, context.device); });
}

}  // namespace salient::cli
