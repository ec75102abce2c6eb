#include "salient/io/lung_atlas.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <variant>

#include <fmt/format.h>

#include "salient/check.h"
#include "salient/io/image_file.h"

namespace salient::io {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kTraceSide = 512;  // masks are traced at most this many cells wide
constexpr int kSupersample = 4;           // points per atlas cell side

// A mask reduced to at most kTraceSide² cells, each on when at least half its pixels are.
struct Grid {
  std::int64_t height = 0, width = 0;
  std::vector<std::uint8_t> on;
};

Grid reduce(const GrayImage& image) {
  const std::int64_t side = std::max(image.height, image.width);
  const std::int64_t factor = std::max<std::int64_t>(1, (side + kTraceSide - 1) / kTraceSide);
  Grid grid;
  grid.height = (image.height + factor - 1) / factor;
  grid.width = (image.width + factor - 1) / factor;
  std::vector<std::int32_t> count(static_cast<std::size_t>(grid.height * grid.width), 0);
  for (std::int64_t y = 0; y < image.height; ++y) {
    for (std::int64_t x = 0; x < image.width; ++x) {
      const auto p = static_cast<std::size_t>(y * image.width + x);
      const bool white = image.bit_depth == 16 ? image.gray16[p] >= 32768 : image.gray8[p] >= 128;
      if (white) ++count[static_cast<std::size_t>((y / factor) * grid.width + x / factor)];
    }
  }
  grid.on.resize(count.size());
  for (std::int64_t cy = 0; cy < grid.height; ++cy) {
    for (std::int64_t cx = 0; cx < grid.width; ++cx) {
      // Cells on the last row or column may hold fewer pixels.
      const std::int64_t pixels = (std::min(image.height, (cy + 1) * factor) - cy * factor) *
                                  (std::min(image.width, (cx + 1) * factor) - cx * factor);
      const auto c = static_cast<std::size_t>(cy * grid.width + cx);
      grid.on[c] = 2 * count[c] >= pixels ? 1 : 0;
    }
  }
  return grid;
}

struct Region {
  std::int32_t label = 0;
  std::int64_t area = 0;
  double cx = 0, cy = 0;
  std::int64_t x0 = 0, x1 = 0, y0 = 0, y1 = 0;  // inclusive box
};

// 8-connected regions of the on cells, in the order their first cell is met; labels[c] = label.
std::vector<Region> connected_regions(const Grid& grid, std::vector<std::int32_t>& labels) {
  labels.assign(grid.on.size(), 0);
  std::vector<Region> regions;
  std::vector<std::int64_t> stack;
  for (std::int64_t start = 0; start < static_cast<std::int64_t>(grid.on.size()); ++start) {
    if (!grid.on[static_cast<std::size_t>(start)] || labels[static_cast<std::size_t>(start)]) continue;
    Region region;
    region.label = static_cast<std::int32_t>(regions.size() + 1);
    region.x0 = region.x1 = start % grid.width;
    region.y0 = region.y1 = start / grid.width;
    labels[static_cast<std::size_t>(start)] = region.label;
    stack.push_back(start);
    while (!stack.empty()) {
      const std::int64_t cell = stack.back();
      stack.pop_back();
      const std::int64_t x = cell % grid.width, y = cell / grid.width;
      ++region.area;
      region.cx += static_cast<double>(x);
      region.cy += static_cast<double>(y);
      region.x0 = std::min(region.x0, x), region.x1 = std::max(region.x1, x);
      region.y0 = std::min(region.y0, y), region.y1 = std::max(region.y1, y);
      for (std::int64_t dy = -1; dy <= 1; ++dy) {
        for (std::int64_t dx = -1; dx <= 1; ++dx) {
          const std::int64_t nx = x + dx, ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= grid.width || ny >= grid.height) continue;
          const auto n = static_cast<std::size_t>(ny * grid.width + nx);
          if (!grid.on[n] || labels[n]) continue;
          labels[n] = region.label;
          stack.push_back(static_cast<std::int64_t>(n));
        }
      }
    }
    region.cx /= static_cast<double>(region.area);
    region.cy /= static_cast<double>(region.area);
    regions.push_back(region);
  }
  return regions;
}

LungOutline outline(const std::vector<std::int32_t>& labels, const Grid& grid, std::int32_t label, std::int64_t x0,
                    std::int64_t y0, std::int64_t box_width, std::int64_t box_height) {
  LungOutline lung;
  lung.field.assign(static_cast<std::size_t>(kAtlasSide * kAtlasSide), 0.0f);
  const double step = 1.0 / kSupersample;
  for (int row = 0; row < kAtlasSide; ++row) {
    for (int col = 0; col < kAtlasSide; ++col) {
      int inside = 0;
      for (int a = 0; a < kSupersample; ++a) {
        for (int b = 0; b < kSupersample; ++b) {
          const double u = (col + (b + 0.5) * step) / kAtlasSide, v = (row + (a + 0.5) * step) / kAtlasSide;
          const auto x = x0 + static_cast<std::int64_t>(u * static_cast<double>(box_width));
          const auto y = y0 + static_cast<std::int64_t>(v * static_cast<double>(box_height));
          if (labels[static_cast<std::size_t>(y * grid.width + x)] == label) ++inside;
        }
      }
      lung.field[static_cast<std::size_t>(row * kAtlasSide + col)] =
          static_cast<float>(inside) / static_cast<float>(kSupersample * kSupersample);
    }
  }
  lung.top.assign(kAtlasSide, -1.0f);
  lung.bottom.assign(kAtlasSide, -1.0f);
  lung.u0 = lung.v0 = 1.0;
  double weight = 0.0;
  for (int row = 0; row < kAtlasSide; ++row) {
    for (int col = 0; col < kAtlasSide; ++col) {
      const double f = lung.field[static_cast<std::size_t>(row * kAtlasSide + col)];
      const double u = (col + 0.5) / kAtlasSide, v = (row + 0.5) / kAtlasSide;
      weight += f;
      lung.cu += f * u;
      lung.cv += f * v;
      if (f < 0.5) continue;
      if (lung.top[static_cast<std::size_t>(col)] < 0) lung.top[static_cast<std::size_t>(col)] = static_cast<float>(v);
      lung.bottom[static_cast<std::size_t>(col)] = static_cast<float>(v);
      lung.u0 = std::min(lung.u0, static_cast<double>(col) / kAtlasSide);
      lung.u1 = std::max(lung.u1, static_cast<double>(col + 1) / kAtlasSide);
      lung.v0 = std::min(lung.v0, static_cast<double>(row) / kAtlasSide);
      lung.v1 = std::max(lung.v1, static_cast<double>(row + 1) / kAtlasSide);
    }
  }
  lung.cu /= weight;
  lung.cv /= weight;
  // Columns beside the lung take the nearest lung column's values: the diaphragm and the
  // apex go on beyond the lung's edge.
  for (std::vector<float>* profile : {&lung.top, &lung.bottom}) {
    const auto first = std::find_if(profile->begin(), profile->end(), [](float v) { return v >= 0; });
    const auto last = std::find_if(profile->rbegin(), profile->rend(), [](float v) { return v >= 0; });
    std::fill(profile->begin(), first, *first);
    std::fill(profile->rbegin(), last, *last);
  }
  return lung;
}

using Traced = std::variant<LungShape, std::string>;  // the shape, or why the mask is left out

Traced trace(const fs::path& path) {
  const Grid grid = reduce(read_gray_image(path.string(), 8).image);
  std::vector<std::int32_t> labels;
  std::vector<Region> regions = connected_regions(grid, labels);
  std::stable_sort(regions.begin(), regions.end(), [](const Region& a, const Region& b) { return a.area > b.area; });
  if (regions.size() < 2) return fmt::format("{} white region(s), not two lungs", regions.size());
  if (regions[1].area * 100 < regions[0].area * 15) {
    return fmt::format("one lung only: the second region is {:.0f} % of the first",
                       100.0 * static_cast<double>(regions[1].area) / static_cast<double>(regions[0].area));
  }
  const Region& right = regions[0].cx < regions[1].cx ? regions[0] : regions[1];  // patient's right: image left
  const Region& left = &right == &regions[0] ? regions[1] : regions[0];
  if (right.cx >= static_cast<double>(left.x0) || left.cx <= static_cast<double>(right.x1)) {
    return std::string("the two regions are not side by side");
  }
  const std::int64_t overlap = std::min(right.y1, left.y1) - std::max(right.y0, left.y0) + 1;
  if (2 * overlap < std::min(right.y1 - right.y0, left.y1 - left.y0) + 1) {
    return std::string("the two regions are not at the same height");
  }
  const std::int64_t x0 = right.x0, x1 = left.x1, y0 = std::min(right.y0, left.y0), y1 = std::max(right.y1, left.y1);
  LungShape shape;
  shape.file = path.filename().string();
  shape.aspect = static_cast<double>(y1 - y0 + 1) / static_cast<double>(x1 - x0 + 1);
  if (shape.aspect < 0.6 || shape.aspect > 1.6) {
    return fmt::format("the lungs' box is {}x{} cells, not chest-shaped", x1 - x0 + 1, y1 - y0 + 1);
  }
  shape.lungs[0] = outline(labels, grid, right.label, x0, y0, x1 - x0 + 1, y1 - y0 + 1);
  shape.lungs[1] = outline(labels, grid, left.label, x0, y0, x1 - x0 + 1, y1 - y0 + 1);
  shape.midline = 0.5 * (shape.lungs[0].u1 + shape.lungs[1].u0);
  return shape;
}

}  // namespace

double LungShape::field(int side, double u, double v) const {
  const std::vector<float>& cells = lungs[static_cast<std::size_t>(side)].field;
  const double x = u * kAtlasSide - 0.5, y = v * kAtlasSide - 0.5;
  if (x <= -1.0 || y <= -1.0 || x >= kAtlasSide || y >= kAtlasSide) return 0.0;
  const auto col = static_cast<int>(std::floor(x)), row = static_cast<int>(std::floor(y));
  const double fx = x - col, fy = y - row;
  const auto at = [&](int r, int c) -> double {
    if (r < 0 || c < 0 || r >= kAtlasSide || c >= kAtlasSide) return 0.0;
    return cells[static_cast<std::size_t>(r * kAtlasSide + c)];
  };
  return (1 - fy) * ((1 - fx) * at(row, col) + fx * at(row, col + 1)) +
         fy * ((1 - fx) * at(row + 1, col) + fx * at(row + 1, col + 1));
}

LungAtlas LungAtlas::load(const std::string& dir, int threads) {
  SALIENT_CHECK(fs::is_directory(dir), "lung masks: '{}' is not a folder", dir);
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const auto format = detect_image_format(entry.path().string());
    if (format == ImageFormat::png || format == ImageFormat::jpeg) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  SALIENT_CHECK(!files.empty(), "lung masks: '{}' holds no PNG or JPEG file", dir);

  std::vector<std::optional<Traced>> traced(files.size());
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  std::vector<std::thread> workers;
  for (int t = 0; t < std::max(1, threads); ++t) {
    workers.emplace_back([&] {
      for (std::size_t i = next++; i < files.size(); i = next++) {
        try {
          traced[i] = trace(files[i]);
        } catch (...) {
          const std::lock_guard<std::mutex> lock(failure_mutex);
          if (!failure) failure = std::current_exception();
        }
      }
    });
  }
  for (auto& worker : workers) worker.join();
  if (failure) std::rethrow_exception(failure);

  LungAtlas atlas;
  atlas.dir_ = dir;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (auto* shape = std::get_if<LungShape>(&*traced[i])) {
      atlas.shapes_.push_back(std::move(*shape));
    } else {
      atlas.rejected_.push_back({files[i].filename().string(), std::get<std::string>(*traced[i])});
    }
  }
  SALIENT_CHECK(!atlas.shapes_.empty(),
                "lung masks: none of the {} masks in '{}' shows two lungs side by side ({}: {})", files.size(), dir, atlas.rejected_.front().file, atlas.rejected_.front().reason);
  return atlas;
}

}  // namespace salient::io
