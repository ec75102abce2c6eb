// Eigenvalues of a real symmetric matrix, for the CPU and CUDA twins alike (GLCM MCC):
// Householder reduction to tridiagonal form, then the implicit QL algorithm with Wilkinson
// shifts on the tridiagonal matrix. Eigenvalues only, O(n^3) for the reduction (4/3 n^3
// flops), O(n^2) for QL. Sources: Golub & Van Loan, Matrix Computations (4th ed.), Alg. 8.3.1
// (Householder tridiagonalisation) and Sec. 8.3.3 (implicit symmetric QR step); the loop
// structure follows the EISPACK routines tred1 and tql1 (Wilkinson & Reinsch, Handbook for
// Automatic Computation II, contributions II/2 and II/3).
#pragma once

#include <cfloat>
#include <cmath>

#include "detail/host_device.h"

namespace salient::kernels::detail {

/// Overwrites the lower triangle of the n×n row-major symmetric matrix @p a (upper triangle
/// unused) and writes its tridiagonal form: @p diagonal[0..n), @p off[1..n) the subdiagonal
/// (off[i] couples rows i-1 and i), off[0] = 0.
SALIENT_HOST_DEVICE inline void householder_tridiagonalize(double* a, int n, double* diagonal, double* off) {
  for (int i = n - 1; i > 0; --i) {
    const int l = i - 1;
    double* row_i = a + i * n;
    double scale = 0;
    for (int k = 0; k <= l; ++k) scale += fabs(row_i[k]);
    if (l == 0 || scale == 0) {  // nothing to annihilate left of the subdiagonal
      off[i] = row_i[l];
      continue;
    }
    double h = 0;
    for (int k = 0; k <= l; ++k) {
      row_i[k] /= scale;
      h += row_i[k] * row_i[k];
    }
    double f = row_i[l];
    double g = f >= 0 ? -sqrt(h) : sqrt(h);
    off[i] = scale * g;
    h -= f * g;
    row_i[l] = f - g;  // row_i[0..l] is now the Householder vector u, H = I - u uᵀ / h
    // p = A u / h (stored in off[0..l]), K = uᵀ p / 2h, q = p - K u, A -= u qᵀ + q uᵀ.
    f = 0;
    for (int j = 0; j <= l; ++j) {
      g = 0;
      for (int k = 0; k <= j; ++k) g += a[j * n + k] * row_i[k];
      for (int k = j + 1; k <= l; ++k) g += a[k * n + j] * row_i[k];
      off[j] = g / h;
      f += off[j] * row_i[j];
    }
    const double half_k = f / (h + h);
    for (int j = 0; j <= l; ++j) {
      f = row_i[j];
      g = off[j] - half_k * f;
      off[j] = g;
      for (int k = 0; k <= j; ++k) a[j * n + k] -= f * off[k] + g * row_i[k];
    }
  }
  off[0] = 0;
  for (int i = 0; i < n; ++i) diagonal[i] = a[i * n + i];
}

/// Eigenvalues of the symmetric tridiagonal matrix (@p diagonal, @p off as written by
/// householder_tridiagonalize), in place in @p diagonal, unsorted; @p off is destroyed.
/// Returns false when an eigenvalue has not converged after 60 QL sweeps (never observed on
/// GLCM matrices; the caller then reports NaN).
SALIENT_HOST_DEVICE inline bool tridiagonal_eigenvalues(double* diagonal, double* off, int n) {
  for (int i = 1; i < n; ++i) off[i - 1] = off[i];
  if (n > 0) off[n - 1] = 0;
  for (int l = 0; l < n; ++l) {
    for (int iteration = 0;; ++iteration) {
      int m = l;
      for (; m < n - 1; ++m) {  // a negligible off-diagonal element splits the matrix
        const double span = fabs(diagonal[m]) + fabs(diagonal[m + 1]);
        if (fabs(off[m]) <= DBL_EPSILON * span) break;
      }
      if (m == l) break;
      if (iteration == 60) return false;
      // Wilkinson shift from the leading 2×2 block, then chase the bulge from m up to l.
      double g = (diagonal[l + 1] - diagonal[l]) / (2 * off[l]);
      double r = hypot(g, 1.0);
      g = diagonal[m] - diagonal[l] + off[l] / (g + (g >= 0 ? r : -r));
      double s = 1, c = 1, p = 0;
      bool deflated = false;
      for (int i = m - 1; i >= l; --i) {
        const double f = s * off[i];
        const double b = c * off[i];
        r = hypot(f, g);
        off[i + 1] = r;
        if (r == 0) {  // underflow: the matrix splits at i + 1
          diagonal[i + 1] -= p;
          off[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = diagonal[i + 1] - p;
        r = (diagonal[i] - g) * s + 2 * c * b;
        p = s * r;
        diagonal[i + 1] = g + p;
        g = c * r - b;
      }
      if (deflated) continue;
      diagonal[l] -= p;
      off[l] = g;
      off[m] = 0;
    }
  }
  return true;
}

}  // namespace salient::kernels::detail
