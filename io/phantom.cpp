#include "salient/io/phantom.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "phantom_drawing.h"
#include "salient/check.h"

namespace salient::io {
namespace {

using phantom_drawing::kPi;
using phantom_drawing::smoothstep;
using phantom_drawing::soft_ellipse;

// Streams keyed by the image's index in the pool.
class Random : public phantom_drawing::Random {
 public:
  Random(std::uint64_t seed, std::int64_t index, std::uint64_t purpose)
      : phantom_drawing::Random(seed, static_cast<std::uint64_t>(index), purpose) {}
};

enum Purpose : std::uint64_t { kLayout = 1, kAnatomy, kFindings, kLabels, kNoise };
enum Finding { kEffusion, kNodule, kConsolidation, kCardiomegaly };

struct Blob {
  double cx, cy, radius, density;
};

// Coordinates are fractions of the image side: x to the right, y downwards. The patient's
// right lung is on the image's left (PA view).
struct Chest {
  double body_rx, body_ry;
  double lung_cx[2], lung_cy, lung_rx, lung_ry;
  double dome[2], dome_curve;
  double heart_cx, heart_cy, heart_rx, heart_ry;
  double rib_spacing, rib_curve, rib_phase, rib_density;
  double clavicle_y;
  phantom_drawing::Film film;

  double effusion_level[2] = {2.0, 2.0};  // y of the fluid level; below the lungs = none
  double effusion_density = 0.0;
  std::vector<Blob> nodules, consolidation;
};

Chest draw_anatomy(Random& random) {
  Chest c{};
  const double scale = random.uniform(0.92, 1.05);
  const double shift_x = random.uniform(-0.02, 0.02), shift_y = random.uniform(-0.02, 0.03);
  c.body_rx = 0.47 * scale;
  c.body_ry = 0.62 * scale;
  c.lung_rx = random.uniform(0.15, 0.18) * scale;
  c.lung_ry = random.uniform(0.29, 0.33) * scale;
  const double gap = random.uniform(0.19, 0.23) * scale;
  c.lung_cx[0] = 0.5 + shift_x - gap;
  c.lung_cx[1] = 0.5 + shift_x + gap;
  c.lung_cy = 0.47 + shift_y;
  c.dome[0] = c.lung_cy + c.lung_ry * random.uniform(0.62, 0.72);  // the right dome sits higher
  c.dome[1] = c.lung_cy + c.lung_ry * random.uniform(0.70, 0.80);
  c.dome_curve = random.uniform(2.0, 3.2);
  c.heart_cx = 0.5 + shift_x + random.uniform(0.04, 0.07);
  c.heart_cy = c.lung_cy + c.lung_ry * random.uniform(0.45, 0.55);
  c.heart_rx = random.uniform(0.13, 0.15) * scale;
  c.heart_ry = random.uniform(0.11, 0.13) * scale;
  c.rib_spacing = random.uniform(0.060, 0.072) * scale;
  c.rib_curve = random.uniform(1.4, 2.2);
  c.rib_phase = random.uniform(0.0, 1.0);
  c.rib_density = random.uniform(0.08, 0.14);
  c.clavicle_y = c.lung_cy - c.lung_ry * random.uniform(0.78, 0.9);
  c.film.exposure = random.uniform(-0.06, 0.06);
  c.film.contrast = random.uniform(0.85, 1.1);
  c.film.gamma = random.uniform(0.85, 1.15);
  c.film.heel = random.uniform(-0.05, 0.05);
  return c;
}

double lung_field(const Chest& c, int side, double x, double y) {
  if (std::abs(y - c.lung_cy) > 1.1 * c.lung_ry || std::abs(x - c.lung_cx[side]) > 1.1 * c.lung_rx) return 0.0;
  // Lungs narrow towards the apices: the half-width grows from 60% at the top to 100%.
  const double taper = 0.6 + 0.4 * smoothstep(c.lung_cy - c.lung_ry, c.lung_cy + 0.2 * c.lung_ry, y);
  const double inside = soft_ellipse(x, y, c.lung_cx[side], c.lung_cy, c.lung_rx * taper, c.lung_ry, 0.06);
  const double dx = x - c.lung_cx[side];
  const double diaphragm = c.dome[side] - c.dome_curve * dx * dx;  // dome: highest mid-lung
  return inside * (1.0 - smoothstep(diaphragm - 0.01, diaphragm + 0.01, y));
}

double heart_shadow(const Chest& c, double x, double y, double enlargement) {
  return soft_ellipse(x, y, c.heart_cx, c.heart_cy, c.heart_rx * enlargement, c.heart_ry * enlargement, 0.05);
}

double gaussian_blob(const Blob& b, double x, double y) {
  const double r2 = ((x - b.cx) * (x - b.cx) + (y - b.cy) * (y - b.cy)) / (b.radius * b.radius);
  return r2 > 25.0 ? 0.0 : b.density * std::exp(-0.5 * r2);
}

// A point inside lung `side`, above its diaphragm, away from the rim.
std::pair<double, double> point_in_lung(const Chest& c, int side, Random& random) {
  for (;;) {
    const double angle = random.uniform(0.0, 2.0 * kPi), radius = std::sqrt(random.uniform()) * 0.75;
    const double x = c.lung_cx[side] + c.lung_rx * radius * std::cos(angle);
    const double y = c.lung_cy + c.lung_ry * radius * std::sin(angle);
    if (lung_field(c, side, x, y) > 0.95) return {x, y};
  }
}

// Density the findings add at (x, y); `roi` is set where a finding is visible.
double finding_density(const Chest& c, double x, double y, double lungs, bool* roi) {
  double density = 0.0;
  for (int side = 0; side < 2; ++side) {
    if (c.effusion_level[side] > 1.5) continue;
    // Fluid fills the costophrenic angle; its meniscus rises towards the chest wall.
    const double lateral = std::abs(x - c.lung_cx[side]) / c.lung_rx;
    const double meniscus = c.effusion_level[side] - 0.04 * lateral * lateral;
    const double inside = soft_ellipse(x, y, c.lung_cx[side], c.lung_cy, c.lung_rx * 1.02, c.lung_ry * 1.02, 0.04);
    const double fluid = inside * smoothstep(meniscus - 0.008, meniscus + 0.008, y);
    density += c.effusion_density * fluid;
    if (fluid > 0.5) *roi = true;
  }
  for (const Blob& b : c.nodules) {
    const double value = gaussian_blob(b, x, y);
    density += value * lungs;
    if (value > 0.35 * b.density && lungs > 0.5) *roi = true;
  }
  double consolidation = 0.0, peak = 0.0;
  for (const Blob& b : c.consolidation) {
    consolidation += gaussian_blob(b, x, y);
    peak = std::max(peak, b.density);
  }
  density += consolidation * lungs;
  if (peak > 0.0 && consolidation > 0.3 * peak && lungs > 0.5) *roi = true;
  return density;
}

struct Origin {
  std::int64_t source;  // the first image of a chain of near-duplicates
  bool noise_only;
};

// Image `index` repeats an earlier one with probability near_duplicate_rate; that one may
// itself repeat another, so the chain is followed back to an original, whose own draw
// decides whether it (and every repeat of it) is noise only.
Origin origin_of(const PhantomOptions& options, std::int64_t index) {
  for (;;) {
    Random layout(options.seed, index, kLayout);
    if (index > 0 && layout.chance(options.near_duplicate_rate)) {
      index = static_cast<std::int64_t>(layout.uniform() * static_cast<double>(index));
      continue;
    }
    return {index, layout.chance(options.noise_only_rate)};
  }
}

}  // namespace

PhantomImage draw_phantom(const PhantomOptions& options, std::int64_t index) {
  SALIENT_CHECK(options.size >= 64 && options.size <= 1024, "phantom size {} must be within 64..1024", options.size);
  SALIENT_CHECK(index >= 0, "phantom index {} must not be negative", index);
  PhantomImage image;
  const auto n = static_cast<std::size_t>(options.size * options.size);
  image.pixels.assign(n, 0.0f);
  image.roi.assign(n, 0);

  const Origin origin = origin_of(options, index);
  const std::int64_t source = origin.source;  // the image whose anatomy and findings are drawn
  if (source != index) image.duplicate_of = source;
  image.patient_id = fmt::format("P{:07d}", source / 2);  // consecutive pairs: follow-up studies
  Random noise(options.seed, index, kNoise);
  if (origin.noise_only) {
    image.noise_only = true;
    for (auto& p : image.pixels) p = static_cast<float>(std::clamp(0.5 + 0.2 * noise.normal(), 0.0, 1.0));
    return image;
  }

  Random anatomy(options.seed, source, kAnatomy);
  Chest chest = draw_anatomy(anatomy);
  Random findings(options.seed, source, kFindings);
  double subtlety_sum = 0.0;
  int drawn = 0;
  double enlargement = 1.0;
  for (int f = 0; f < 4; ++f) {
    if (!findings.chance(options.prevalence[static_cast<std::size_t>(f)])) continue;
    // Subtle findings are faint and small; obvious ones dense and large.
    const bool subtle = findings.chance(options.subtle_fraction);
    const double s = subtle ? findings.uniform(0.7, 1.0) : findings.uniform(0.0, 0.3);
    const double strength = 1.0 - 0.8 * s;
    image.truth[static_cast<std::size_t>(f)] = 1;
    subtlety_sum += s;
    ++drawn;
    const int side = findings.chance(0.5) ? 1 : 0;
    switch (f) {
      case kEffusion:
        chest.effusion_level[side] = chest.dome[side] - chest.lung_ry * (0.06 + 0.3 * strength);
        chest.effusion_density = 0.45 * strength + 0.05;
        break;
      case kNodule: {
        const int count = 1 + (findings.chance(0.3) ? 1 : 0);
        for (int k = 0; k < count; ++k) {
          const auto [x, y] = point_in_lung(chest, findings.chance(0.5) ? 1 : 0, findings);
          chest.nodules.push_back({x, y, findings.uniform(0.008, 0.012) + 0.014 * strength, 0.08 + 0.35 * strength});
        }
        break;
      }
      case kConsolidation: {
        const auto [x0, y0] = point_in_lung(chest, side, findings);
        const int count = 3 + static_cast<int>(findings.uniform() * 4);
        for (int k = 0; k < count; ++k) {
          chest.consolidation.push_back({x0 + findings.normal() * 0.035, y0 + findings.normal() * 0.05,
                                         findings.uniform(0.025, 0.045), 0.05 + 0.18 * strength});
        }
        break;
      }
      case kCardiomegaly:
        enlargement = 1.1 + 0.35 * strength;
        break;
      default:
        break;
    }
  }
  image.subtlety = drawn ? subtlety_sum / drawn : 0.0;

  const double side = static_cast<double>(options.size);
  for (std::int64_t row = 0; row < options.size; ++row) {
    const double y = (static_cast<double>(row) + 0.5) / side;
    for (std::int64_t col = 0; col < options.size; ++col) {
      const double x = (static_cast<double>(col) + 0.5) / side;
      const double body = soft_ellipse(x, y, 0.5, 0.56, chest.body_rx, chest.body_ry, 0.03);
      const double lungs = std::max(lung_field(chest, 0, x, y), lung_field(chest, 1, x, y));
      double density = 0.62 * body - 0.42 * lungs;
      // Abdomen below the diaphragm, spine and mediastinum down the middle.
      density += 0.12 * body * smoothstep(chest.dome[1] - 0.02, chest.dome[1] + 0.06, y) * (1.0 - lungs);
      density += 0.14 * body * (1.0 - smoothstep(0.03, 0.06, std::abs(x - 0.5 - 0.3 * (chest.heart_cx - 0.5))));
      density += 0.30 * heart_shadow(chest, x, y, enlargement);
      // Posterior ribs: curved bands across each lung, repeating every rib_spacing.
      const int lung_side = x < 0.5 ? 0 : 1;
      const double dx = x - chest.lung_cx[lung_side];
      const double phase = (y - 0.25 * std::abs(x - 0.5) + chest.rib_curve * dx * dx) / chest.rib_spacing + chest.rib_phase;
      density += chest.rib_density * phantom_drawing::rib_band(phase) * body * (0.4 + 0.6 * lungs);
      // Clavicles: slanted bands above the apices.
      const double clavicle_y = chest.clavicle_y - 0.18 * std::abs(x - 0.5);
      density += 0.18 * body * (1.0 - smoothstep(0.008, 0.02, std::abs(y - clavicle_y))) *
                 (std::abs(x - 0.5) < 0.33 ? 1.0 : 0.0);
      bool lesion = false;
      density += finding_density(chest, x, y, lungs, &lesion);

      const auto p = static_cast<std::size_t>(row * options.size + col);
      image.pixels[p] = chest.film.brightness(density, y, options.noise_sigma * noise.normal());
      image.roi[p] = lesion ? 1 : 0;
    }
  }
  // Cardiomegaly's region is the whole heart shadow.
  if (image.truth[kCardiomegaly]) {
    for (std::int64_t row = 0; row < options.size; ++row) {
      for (std::int64_t col = 0; col < options.size; ++col) {
        const double x = (static_cast<double>(col) + 0.5) / side, y = (static_cast<double>(row) + 0.5) / side;
        if (heart_shadow(chest, x, y, enlargement) > 0.5) image.roi[static_cast<std::size_t>(row * options.size + col)] = 1;
      }
    }
  }

  Random labels(options.seed, source, kLabels);
  for (std::size_t f = 0; f < 4; ++f) {
    const bool flip = labels.chance(options.label_noise);
    image.labels[f] = static_cast<std::int8_t>(flip ? 1 - image.truth[f] : image.truth[f]);
  }
  return image;
}

}  // namespace salient::io
