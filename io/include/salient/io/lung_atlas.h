// Lung fields traced on real chest radiographs: the anatomy of `salient synth --like`'s
// phantoms (nih_phantom.h). Each mask file (white lungs on black, PNG or JPEG, any size) is
// reduced to its two largest connected regions: the patient's right lung, on the image's
// left (side 0), and the left lung (side 1). Both are cropped to the box around the two
// and resampled to kAtlasSide² cells, so that the lungs span the frame [0, 1]².
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace salient::io {

inline constexpr int kAtlasSide = 128;

/// One lung's outline in the atlas frame.
struct LungOutline {
  std::vector<float> field;  ///< kAtlasSide² fractions of each cell inside this lung, row-major
  double u0 = 0, u1 = 0, v0 = 0, v1 = 0;  ///< its box
  double cu = 0, cv = 0;                  ///< its centroid
  /// Per column: v of the highest and the lowest cell at least half inside; columns beside
  /// the lung take the nearest lung column's.
  std::vector<float> top, bottom;
};

struct LungShape {
  std::string file;                    ///< the mask file's name
  double aspect = 1.0;                 ///< height / width of the box around both lungs
  std::array<LungOutline, 2> lungs;    ///< side 0: patient's right (image left)
  double midline = 0.5;                ///< u halfway between the lungs' medial edges
  /// The fraction of a cell of lung @p side at (u, v) ∈ [0, 1]², bilinear; 0 outside.
  double field(int side, double u, double v) const;
};

/// A mask file left out, and why.
struct RejectedMask {
  std::string file;
  std::string reason;
};

class LungAtlas {
 public:
  /// Reads every PNG or JPEG file of @p dir (sorted by name; other files are ignored) on
  /// @p threads threads. Masks without two lungs side by side are left out with their reason;
  /// a folder without one usable mask is an error naming it.
  static LungAtlas load(const std::string& dir, int threads);
  const std::string& dir() const { return dir_; }
  std::size_t size() const { return shapes_.size(); }
  const LungShape& shape(std::size_t index) const { return shapes_[index]; }
  const std::vector<RejectedMask>& rejected() const { return rejected_; }

 private:
  std::string dir_;
  std::vector<LungShape> shapes_;
  std::vector<RejectedMask> rejected_;
};

}  // namespace salient::io
