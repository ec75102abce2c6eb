// Shape2D formulas written once for both twins: PyRadiomics' marching squares
// (src/cshape.c calculate_coefficients2D), the convex-hull candidates for MaximumDiameter and
// the feature formulas (radiomics/shape2D.py). Contour coordinates are doubled so that every
// vertex (a pixel-edge midpoint) is an integer and every sum is exact.
#pragma once

#include <cmath>
#include <cstdint>

#include "detail/host_device.h"
#include "salient/kernels/feature_registry.h"

namespace salient::kernels::detail {

__extension__ typedef __int128 ShapeInt128;  // exact covariance numerators

/// Exact integer sums over the contour lines and the shape's pixels.
struct ShapeSums {
  std::int64_t doubled_cross = 0;  ///< Σ over lines of a×b in doubled coordinates = 8 A
  std::int64_t straight_lines = 0; ///< lines of length 1
  std::int64_t diagonal_lines = 0; ///< lines of length √0.5
  std::int64_t pixels = 0;         ///< N_p
  std::int64_t sum_y = 0, sum_x = 0, sum_yy = 0, sum_xx = 0, sum_xy = 0;
};

/// cshape.c lineTable2D: the contour lines of each square, as pairs of edge midpoints
/// v0 (top), v1 (right), v2 (bottom), v3 (left); -1 ends the list.
SALIENT_HOST_DEVICE inline int square_line(unsigned square, int k) {
  constexpr signed char table[16][4] = {
      {-1, -1, -1, -1}, {3, 0, -1, -1}, {0, 1, -1, -1}, {3, 1, -1, -1}, {1, 2, -1, -1}, {1, 2, 3, 0},
      {0, 2, -1, -1},   {3, 2, -1, -1}, {2, 3, -1, -1}, {2, 0, -1, -1}, {0, 1, 2, 3},   {2, 1, -1, -1},
      {1, 3, -1, -1},   {1, 0, -1, -1}, {0, 3, -1, -1}, {-1, -1, -1, -1}};
  return table[square][k];
}

/// Adds the contour lines of the square whose top-left corner is padded pixel (iy, ix).
/// Corner bits as cshape.c gridAngles2D: 1 = (iy, ix), 2 = (iy, ix+1), 4 = (iy+1, ix+1),
/// 8 = (iy+1, ix).
SALIENT_HOST_DEVICE inline void add_square_lines(std::int64_t iy, std::int64_t ix, unsigned square, ShapeSums& s) {
  // vertList2D {0, .5}, {.5, 1}, {1, .5}, {.5, 0} (y, x), doubled.
  constexpr int vertex_y[4] = {0, 1, 2, 1};
  constexpr int vertex_x[4] = {1, 2, 1, 0};
  for (int k = 0; k < 4 && square_line(square, k) >= 0; k += 2) {
    const int a = square_line(square, k);
    const int b = square_line(square, k + 1);
    const std::int64_t ay = 2 * iy + vertex_y[a], ax = 2 * ix + vertex_x[a];
    const std::int64_t by = 2 * iy + vertex_y[b], bx = 2 * ix + vertex_x[b];
    s.doubled_cross += ay * bx - by * ax;  // surface += a[0]*b[1] - b[0]*a[1]
    const std::int64_t dy = ay - by, dx = ax - bx;
    if (dy * dy + dx * dx == 4) ++s.straight_lines; else ++s.diagonal_lines;
  }
}

/// The contour vertices cshape.c stores for the diameter: the midpoint of the square's left
/// edge when (iy, ix) and (iy+1, ix) differ, and of its bottom edge when (iy+1, ix) and
/// (iy+1, ix+1) differ. Together over all squares: every edge between a shape pixel and a
/// background pixel, once. emit(Y, X) receives doubled coordinates.
template <typename Emit>
SALIENT_HOST_DEVICE void emit_square_vertices(std::int64_t iy, std::int64_t ix, unsigned square, Emit& emit) {
  const bool p0 = square & 1u, p2 = square & 4u, p3 = square & 8u;
  if (p0 != p3) emit(2 * iy + 1, 2 * ix);
  if (p2 != p3) emit(2 * iy + 2, 2 * ix + 1);
}

struct HullPoint {
  std::int32_t y, x;
};

/// One side of the convex hull of the per-row extreme vertices (monotone chain along y).
/// @param row_x    row_x[Y] is the leftmost (side = +1) or rightmost (side = -1) vertex X of
///                 contour row Y, or a value with row_has(Y) false when the row has none
/// @param stack    room for rows points; receives the chain
/// @return the chain's length. Every convex-hull vertex of the contour is on one of the two
/// chains (a vertex that is extreme in a direction pointing left is the leftmost of its row and
/// extreme among the leftmost vertices, and symmetrically on the right), so the largest
/// distance between chain points is the largest distance between all contour vertices.
template <typename RowHas>
SALIENT_HOST_DEVICE int half_hull(const std::int32_t* row_x, int rows, int side, RowHas row_has, HullPoint* stack) {
  int size = 0;
  for (int y = 0; y < rows; ++y) {
    if (!row_has(y)) continue;
    const HullPoint p{y, row_x[y]};
    while (size >= 2) {
      const HullPoint o = stack[size - 2], a = stack[size - 1];
      // > 0 when a lies strictly left of the segment o -> p (y increasing).
      const std::int64_t cross = std::int64_t{p.x - o.x} * (a.y - o.y) - std::int64_t{a.x - o.x} * (p.y - o.y);
      if (side * cross > 0) break;
      --size;
    }
    stack[size++] = p;
  }
  return size;
}

SALIENT_HOST_DEVICE inline std::int64_t squared_distance(HullPoint a, HullPoint b) {
  const std::int64_t dy = a.y - b.y, dx = a.x - b.x;
  return dy * dy + dx * dx;
}

/// Every shape2D feature from the exact sums and the largest squared vertex distance
/// (doubled coordinates).
SALIENT_HOST_DEVICE inline void finalize_shape2d(const ShapeSums& s, std::int64_t doubled_diameter_squared, double* row,
                                        FeatureReason* reasons) {
  using namespace shape2d;
  for (int c = 0; c < kColumns; ++c) reasons[c] = FeatureReason::ok;
  const double pi = 3.14159265358979323846;
  const double area = static_cast<double>(s.doubled_cross) / 8.0;  // A = ½ Σ Oa_i × Ob_i
  const double perimeter =                                          // P = Σ |a_i - b_i|
      static_cast<double>(s.straight_lines) + static_cast<double>(s.diagonal_lines) * ::sqrt(0.5);
  row[kMeshSurface] = area;
  row[kPixelSurface] = static_cast<double>(s.pixels);              // N_p × pixel area (1)
  row[kPerimeter] = perimeter;
  row[kPerimeterSurfaceRatio] = perimeter / area;                  // P / A
  row[kSphericity] = 2.0 * ::sqrt(pi * area) / perimeter;          // 2 sqrt(pi A) / P
  row[kSphericalDisproportion] = 1.0 / row[kSphericity];           // P / (2 sqrt(pi A))
  row[kMaximumDiameter] = ::sqrt(static_cast<double>(doubled_diameter_squared)) / 2.0;

  // Covariance of the pixel coordinates, dividing by N_p: N² cov = N Σ uv - Σu Σv, exact.
  const ShapeInt128 n = s.pixels;
  const double n2 = static_cast<double>(s.pixels) * static_cast<double>(s.pixels);
  const double cov_yy = static_cast<double>(n * s.sum_yy - ShapeInt128{s.sum_y} * s.sum_y) / n2;
  const double cov_xx = static_cast<double>(n * s.sum_xx - ShapeInt128{s.sum_x} * s.sum_x) / n2;
  const double cov_xy = static_cast<double>(n * s.sum_xy - ShapeInt128{s.sum_y} * s.sum_x) / n2;
  const double half_trace = (cov_yy + cov_xx) / 2.0;
  const double half_gap = (cov_yy - cov_xx) / 2.0;
  const double radius = ::sqrt(half_gap * half_gap + cov_xy * cov_xy);
  const double major = half_trace + radius;
  // The matrix is positive semi-definite; PyRadiomics too rounds tiny negative values to 0.
  const double minor = half_trace - radius > 0.0 ? half_trace - radius : 0.0;
  row[kMajorAxisLength] = 4.0 * ::sqrt(major);                     // 4 sqrt(lambda_major)
  row[kMinorAxisLength] = 4.0 * ::sqrt(minor);                     // 4 sqrt(lambda_minor)
  if (major > 0.0) {
    row[kElongation] = ::sqrt(minor / major);                      // sqrt(lambda_minor / lambda_major)
  } else {
    row[kElongation] = NAN;  // a single pixel: 0/0
    reasons[kElongation] = FeatureReason::degenerate_shape;
  }
}

}  // namespace salient::kernels::detail
