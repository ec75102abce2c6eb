// Reference twin of discretize_maps: masked range, PyRadiomics' edges, numpy.digitize (against
// the edges tabulated once per map).
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "detail/binning_terms.h"
#include "detail/parallel_for.h"
#include "salient/kernels/binning.h"

namespace salient::kernels::cpu_impl {
namespace {

// numpy.digitize against the map's edges computed once (by BasicBinEdges::edge, so the same
// values): the estimate multiplies by the reciprocal of the width instead of dividing, and
// detail::digitize's correction against the exact edges makes the level identical to
// BasicBinEdges::level. Up to kMaxTabulated edges (a bin width far below the map's range
// falls back to level()).
template <typename T>
class TabulatedEdges {
 public:
  static constexpr std::int64_t kMaxTabulated = 4096;

  explicit TabulatedEdges(const detail::BasicBinEdges<T>& edges) : edges_(edges) {
    if (edges.edge_count > kMaxTabulated) return;
    table_.resize(static_cast<std::size_t>(edges.edge_count));
    for (std::int64_t k = 0; k < edges.edge_count; ++k) table_[static_cast<std::size_t>(k)] = edges.edge(k);
    const double width = edges.bin_width();
    inverse_width_ = width > 0 ? 1.0 / width : 0.0;
  }

  double edge(std::int64_t k) const { return table_[static_cast<std::size_t>(k)]; }

  std::int32_t level(T value) const {
    if (table_.empty()) return edges_.level(value);
    const double x = value;
    const double guess = inverse_width_ > 0 ? std::floor((x - edges_.first) * inverse_width_) + 1.0 : 0.0;
    return detail::digitize(x, guess, static_cast<std::int64_t>(table_.size()), *this);
  }

 private:
  detail::BasicBinEdges<T> edges_;
  std::vector<double> table_;
  double inverse_width_ = 0.0;
};

template <typename Pixel>
struct MaskedRange {
  Pixel minimum = std::numeric_limits<Pixel>::infinity();
  Pixel maximum = -std::numeric_limits<Pixel>::infinity();
  std::int64_t count = 0;
  bool finite = true;
};

// The masked values' range, count and finiteness. Without a mask, four independent chains:
// one chain of min/max comparisons was the binning's bottleneck. The range is used only when
// every value is finite, where the order of comparisons cannot change a minimum or maximum.
template <typename Pixel>
MaskedRange<Pixel> masked_range(const Pixel* map, const std::uint8_t* mask, std::int64_t pixels) {
  MaskedRange<Pixel> range;
  if (mask) {
    for (std::int64_t p = 0; p < pixels; ++p) {
      if (!mask[p]) continue;
      range.finite = range.finite && std::isfinite(map[p]);
      range.minimum = std::min(range.minimum, map[p]);
      range.maximum = std::max(range.maximum, map[p]);
      ++range.count;
    }
    return range;
  }
  constexpr int kChains = 4;
  MaskedRange<Pixel> chains[kChains];
  std::int64_t p = 0;
  for (; p + kChains <= pixels; p += kChains) {
    for (int c = 0; c < kChains; ++c) {
      const Pixel value = map[p + c];
      chains[c].finite &= std::isfinite(value);
      chains[c].minimum = value < chains[c].minimum ? value : chains[c].minimum;
      chains[c].maximum = value > chains[c].maximum ? value : chains[c].maximum;
    }
  }
  for (; p < pixels; ++p) {
    chains[0].finite &= std::isfinite(map[p]);
    chains[0].minimum = std::min(chains[0].minimum, map[p]);
    chains[0].maximum = std::max(chains[0].maximum, map[p]);
  }
  for (const auto& chain : chains) {
    range.finite &= chain.finite;
    range.minimum = std::min(range.minimum, chain.minimum);
    range.maximum = std::max(range.maximum, chain.maximum);
  }
  range.count = pixels;
  return range;
}

template <typename Pixel>
void discretize(const BasicMapBatch<Pixel>& batch, const BinSpec& spec, std::int32_t* levels,
                std::int32_t* gray_levels) {
  const std::int64_t pixels = batch.h * batch.w;
  detail::parallel_for(batch.n, [&](std::int64_t i) {
    const Pixel* map = batch.maps + i * pixels;
    const std::uint8_t* mask = batch.masks ? batch.masks + i * pixels : nullptr;
    std::int32_t* out = levels + i * pixels;
    const auto [minimum, maximum, count, usable] = masked_range(map, mask, pixels);
    gray_levels[i] = 0;
    if (count == 0 || !usable) {
      std::fill(out, out + pixels, 0);
      return;
    }
    const TabulatedEdges<Pixel> edges(detail::make_bin_edges(spec, minimum, maximum));
    if (mask) {
      for (std::int64_t p = 0; p < pixels; ++p) out[p] = mask[p] ? edges.level(map[p]) : 0;
    } else {
      for (std::int64_t p = 0; p < pixels; ++p) out[p] = edges.level(map[p]);
    }
    gray_levels[i] = edges.level(maximum);  // levels never decrease with the value
  });
}

}  // namespace

void discretize_maps(const MapBatch& batch, const BinSpec& spec, std::int32_t* levels, std::int32_t* gray_levels) {
  discretize(batch, spec, levels, gray_levels);
}

void discretize_maps(const DoubleMapBatch& batch, const BinSpec& spec, std::int32_t* levels,
                     std::int32_t* gray_levels) {
  discretize(batch, spec, levels, gray_levels);
}

}  // namespace salient::kernels::cpu_impl
