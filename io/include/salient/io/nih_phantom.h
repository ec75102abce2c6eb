// A phantom chest X-ray for one row of NIH ChestX-ray14's metadata (`salient synth --like`):
// the row's view and findings drawn on the anatomy of its patient.
//
// - Anatomy: lung fields from a real lung mask (lung_atlas.h), one per patient, with heart,
//   mediastinum, spine, diaphragm, ribs and clavicles placed relative to them. Each
//   follow-up deforms the patient's anatomy slightly (scale, inspiration, rotation, shift,
//   a smooth warp) and has its own exposure and noise.
// - Views: AP magnifies the heart, catches a shallower inspiration and is noisier than PA.
// - Findings: all 14, each with its own appearance and ROI mask. Where a finding sits is
//   the patient's (the same on every follow-up); how strong it is, the image's. A finding
//   with expert boxes is drawn inside each box instead, its ROI never outside it.
//
// An image follows from (seed, patient id, image id, view, findings, boxes) alone, so any
// image can be drawn on any thread in any order.
#pragma once

#include <cstdint>
#include <vector>

#include "salient/io/lung_atlas.h"
#include "salient/io/nih_metadata.h"

namespace salient::io {

struct NihPhantomOptions {
  std::uint64_t seed = 0;
  std::int64_t size = 128;       ///< width and height in pixels, 64–1024
  double subtle_fraction = 0.5;  ///< fraction of findings drawn subtle (faint, small)
  double noise_sigma = 0.02;     ///< acquisition noise of a PA view (AP: 1.6×)
};

struct NihPhantomImage {
  std::vector<float> pixels;      ///< size × size, in [0, 1]
  std::vector<std::uint8_t> roi;  ///< size × size: 1 on any finding
  std::vector<Box> boxes;         ///< the row's boxes, in pixels of this image
};

/// Draws @p entry, whose expert boxes (in pixels of the original image) are @p boxes; each
/// box must name one of the row's findings.
NihPhantomImage draw_nih_phantom(const NihPhantomOptions& options, const LungAtlas& atlas, const NihEntry& entry,
                                 const std::vector<Box>& boxes);

}  // namespace salient::io
