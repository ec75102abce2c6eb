// Reference twin of compute_glcm: the batch binned by the binning twin, then per map and
// offset an (Ng+1)² count matrix (level 0 = outside the mask, so the pair loop has no branch)
// and the features of detail/glcm_terms.h in double.
#include <algorithm>
#include <cstdlib>
#include <vector>

#include "detail/glcm_terms.h"
#include "detail/parallel_for.h"
#include "salient/kernels/glcm.h"

namespace salient::kernels::cpu_impl {
namespace {

template <typename Pixel>
detail::GlcmMapStatus status_of(const Pixel* map, const std::uint8_t* mask, const std::int32_t* levels,
                                std::int64_t pixels, int gray_levels) {
  detail::GlcmMapStatus status;
  status.gray_levels = gray_levels;
  status.lowest_level = gray_levels;
  for (std::int64_t p = 0; p < pixels; ++p) {
    if (mask && !mask[p]) continue;
    ++status.masked;
    status.finite = status.finite && std::isfinite(map[p]);
    if (levels[p] > 0) status.lowest_level = std::min(status.lowest_level, levels[p]);
  }
  return status;
}

/// counts[a * dim + b] += 1 for every pair (level a at (y, x), level b at (y + dy, x + dx)).
void count_pairs(const std::int32_t* levels, std::int64_t h, std::int64_t w, GlcmOffset offset, int dim,
                 std::uint32_t* counts) {
  const std::int64_t x_begin = std::max(0, -offset.dx), x_end = w - std::max(0, offset.dx);
  for (std::int64_t y = 0; y + offset.dy < h; ++y) {
    const std::int32_t* row = levels + y * w;
    const std::int32_t* neighbours = levels + (y + offset.dy) * w + offset.dx;
    for (std::int64_t x = x_begin; x < x_end; ++x) ++counts[row[x] * dim + neighbours[x]];
  }
}

template <typename Pixel>
void compute_glcm_of(const BasicMapBatch<Pixel>& batch, const BinSpec& bins, const std::vector<GlcmOffset>& offsets,
                     double* features, FeatureReason* reasons) {
  const std::int64_t pixels = batch.h * batch.w;
  std::vector<std::int32_t> levels(static_cast<std::size_t>(batch.n * pixels));
  std::vector<std::int32_t> gray_levels(static_cast<std::size_t>(batch.n));
  discretize_maps(batch, bins, levels.data(), gray_levels.data());
  const int angles = static_cast<int>(offsets.size());
  detail::parallel_for(batch.n, [&](std::int64_t i) {
    thread_local std::vector<std::uint32_t> counts;
    thread_local std::vector<double> per_angle, doubles;
    thread_local std::vector<int> ints;
    const std::int32_t* map_levels = levels.data() + i * pixels;
    const std::uint8_t* mask = batch.masks ? batch.masks + i * pixels : nullptr;
    const detail::GlcmMapStatus status =
        status_of(batch.maps + i * pixels, mask, map_levels, pixels, gray_levels[static_cast<std::size_t>(i)]);
    const int dim = std::min(status.gray_levels, kGlcmMaxGrayLevels) + 1;
    std::vector<std::uint8_t> nonempty(offsets.size(), 0);
    per_angle.assign(offsets.size() * glcm::kColumns, 0.0);
    if (status.masked > 0 && status.finite && status.gray_levels <= kGlcmMaxGrayLevels) {
      counts.resize(static_cast<std::size_t>(dim * dim));
      doubles.resize(static_cast<std::size_t>(detail::glcm_workspace_doubles(dim)));
      ints.resize(static_cast<std::size_t>(detail::glcm_workspace_ints(dim)));
      const detail::GlcmWorkspace workspace = detail::glcm_workspace(doubles.data(), ints.data(), dim);
      for (int a = 0; a < angles; ++a) {
        std::fill(counts.begin(), counts.end(), 0u);
        count_pairs(map_levels, batch.h, batch.w, offsets[static_cast<std::size_t>(a)], dim, counts.data());
        nonempty[static_cast<std::size_t>(a)] = detail::glcm_angle_features(
            counts.data(), dim, status.gray_levels, workspace, per_angle.data() + a * glcm::kColumns);
      }
    }
    detail::glcm_average_angles(per_angle.data(), nonempty.data(), angles, status, kGlcmMaxGrayLevels,
                                features + i * glcm::kColumns, reasons + i * glcm::kColumns);
  });
}

}  // namespace

void compute_glcm(const MapBatch& batch, const BinSpec& bins, const std::vector<GlcmOffset>& offsets,
                  double* features, FeatureReason* reasons) {
  compute_glcm_of(batch, bins, offsets, features, reasons);
}

void compute_glcm(const DoubleMapBatch& batch, const BinSpec& bins, const std::vector<GlcmOffset>& offsets,
                  double* features, FeatureReason* reasons) {
  compute_glcm_of(batch, bins, offsets, features, reasons);
}

}  // namespace salient::kernels::cpu_impl
