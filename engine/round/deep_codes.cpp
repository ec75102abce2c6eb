#include "engine/round/deep_codes.h"

#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>

#include "engine/comm/text_collectives.h"
#include "engine/models/model_input.h"
#include "engine/selection/ideal_deep.h"
#include "engine/training/autoencoder_training.h"
#include "engine/training/example_store.h"
#include "salient/check.h"
#include "salient/io/study_dir.h"
#include "salient/kernels/counter_random.h"

namespace salient::round {
namespace {

/// The global indices of the @p count pool images of smallest counter uniform, ascending.
std::vector<std::int64_t> autoencoder_sample(std::int64_t pool_size, std::int64_t count, std::uint64_t seed,
                                             std::uint32_t round) {
  std::vector<double> uniforms(static_cast<std::size_t>(pool_size));
  const kernels::RandomKey key{seed, round, kernels::RandomStream::autoencoder_sample};
  kernels::counter_uniforms(key, nullptr, pool_size, uniforms.data(), kernels::ExecutionContext{});
  std::vector<std::int64_t> order(uniforms.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::int64_t>(i);
  const auto taken = std::min<std::int64_t>(count, pool_size);
  std::nth_element(order.begin(), order.begin() + taken, order.end(), [&](std::int64_t a, std::int64_t b) {
    const auto ua = uniforms[static_cast<std::size_t>(a)], ub = uniforms[static_cast<std::size_t>(b)];
    return ua != ub ? ua < ub : a < b;
  });
  order.resize(static_cast<std::size_t>(taken));
  std::sort(order.begin(), order.end());
  return order;
}

}  // namespace

std::string serving_autoencoder(const std::string& study_dir, std::uint32_t round) {
  for (auto r = static_cast<std::int64_t>(round); r >= 0; --r) {
    const auto path = io::StudyDir(study_dir).autoencoder(r);
    if (std::filesystem::exists(path)) return path;
  }
  return {};
}

bool forest_reads_round_codes(const std::string& study_dir, std::uint32_t round) {
  return round >= 1 && std::filesystem::exists(io::StudyDir(study_dir).forest(round)) &&
         serving_autoencoder(study_dir, round) == serving_autoencoder(study_dir, round - 1);
}

at::Tensor autoencoder_input(const at::Tensor& maps, std::int64_t size) {
  SALIENT_CHECK(maps.dim() == 3, "saliency maps for the autoencoder must be N×H×W, got {} dimensions", maps.dim());
  auto pooled = torch::adaptive_avg_pool2d(maps.to(torch::kFloat32).unsqueeze(1), {size, size});
  const auto flat = pooled.flatten(1);
  const auto lo = std::get<0>(flat.min(1, true));
  const auto span = std::get<0>(flat.max(1, true)) - lo;
  const auto scaled = torch::where(span > 0, (flat - lo) / span.clamp_min(1e-30), torch::zeros_like(flat));
  return scaled.view_as(pooled).contiguous();
}

std::vector<criteria::CriterionColumn> code_columns(models::SaliencyAutoencoder& autoencoder, const at::Tensor& maps) {
  const auto codes =
      training::encode_maps(autoencoder, autoencoder_input(maps, autoencoder.spec().map_size)).to(torch::kCPU);
  const auto n = static_cast<std::size_t>(codes.size(0));
  const auto latent = codes.size(1);
  const auto accessor = codes.accessor<float, 2>();
  std::vector<criteria::CriterionColumn> columns;
  for (std::int64_t l = 0; l < latent; ++l) {
    criteria::CriterionColumn column{selection::deep_code_column(l), std::vector<double>(n),
                                     std::vector<std::uint8_t>(n)};
    for (std::size_t i = 0; i < n; ++i) {
      const double value = accessor[static_cast<std::int64_t>(i)][l];
      const bool finite = std::isfinite(value);
      column.values[i] = finite ? value : std::nan("");
      column.reasons[i] =
          static_cast<std::uint8_t>(finite ? criteria::Reason::defined : criteria::Reason::non_finite_value);
    }
    columns.push_back(std::move(column));
  }
  return columns;
}

std::string ensure_round_autoencoder(const AutoencoderJob& job, comm::Communicator& comm) {
  const std::string own = io::StudyDir(job.study_dir).autoencoder(job.round);
  std::string serving;
  if (comm.rank() == 0) {
    serving = serving_autoencoder(job.study_dir, job.round);
    const bool retrain = job.request.every > 0 && job.round % job.request.every == 0;
    if (serving.empty() || (retrain && serving != own)) serving.clear();
  }
  serving = comm::broadcast_text(comm, serving, 0);
  if (!serving.empty()) return serving;
  const auto start = std::chrono::steady_clock::now();
  const auto sample = autoencoder_sample(job.pool.size(), job.request.sample, job.seed, job.round);
  const auto count = static_cast<std::int64_t>(sample.size());
  const auto side = job.request.map_size;
  auto maps = torch::zeros({count, 1, side, side}, torch::TensorOptions(torch::kFloat32).device(job.device));
  const auto& manifest = job.pool.manifest();
  for (std::int64_t first = 0, batch = 0; first < count; first += job.batch_size, ++batch) {
    if (batch % comm.size() != comm.rank()) continue;
    const std::vector<std::int64_t> indices(sample.begin() + first,
                                            sample.begin() + std::min(count, first + job.batch_size));
    const auto store = training::ExampleStore::read(job.pool, indices, training::pool_labels(job.pool, indices));
    std::vector<std::int64_t> positions(indices.size());
    for (std::size_t i = 0; i < positions.size(); ++i) positions[i] = static_cast<std::int64_t>(i);
    const auto input = store.inputs(positions, job.model.spec(), job.device);
    const auto result = saliency::compute_saliency(job.model, input, {}, store.indices_of(positions), job.saliency);
    const auto resized = models::resize_maps(result.maps.detach().to(torch::kFloat32), manifest.height, manifest.width);
    maps.narrow(0, first, static_cast<std::int64_t>(indices.size())).copy_(autoencoder_input(resized, side));
  }
  comm.all_reduce(maps, comm::ReduceOp::sum);  // each map is one rank's; the others add zeros

  models::SaliencyAutoencoder autoencoder({side, job.request.latent}, job.seed + job.round);
  autoencoder.to(job.device);
  training::AutoencoderTrainingOptions options;
  options.epochs = job.request.epochs;
  options.seed = job.seed;
  options.round = job.round;
  const auto errors = training::train_autoencoder(autoencoder, maps, comm, options);
  if (comm.rank() == 0) {
    std::filesystem::create_directories(std::filesystem::path(own).parent_path());
    models::save_autoencoder(autoencoder, own);
    spdlog::info("round {}: saliency autoencoder trained on {} maps in {:.1f} s, reconstruction error {:.5f} → {:.5f} "
                 "({})",
                 job.round, count,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                 errors.empty() ? 0.0 : errors.front(), errors.empty() ? 0.0 : errors.back(), own);
  }
  comm.barrier();
  return own;
}

}  // namespace salient::round
