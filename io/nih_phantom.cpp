#include "salient/io/nih_phantom.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

#include "phantom_drawing.h"
#include "salient/check.h"

namespace salient::io {
namespace {

using phantom_drawing::kPi;
using phantom_drawing::Random;
using phantom_drawing::smoothstep;
using phantom_drawing::soft_ellipse;

// Label columns of nih_finding_names().
enum Finding {
  kAtelectasis, kCardiomegaly, kEffusion, kInfiltration, kMass, kNodule, kPneumonia, kPneumothorax, kConsolidation,
  kEdema, kEmphysema, kFibrosis, kPleuralThickening, kHernia, kFindings
};

// Stream purposes: the patient's (shared by every follow-up) and the image's own.
enum Purpose : std::uint64_t {
  kPatientAnatomy = 1, kImageAnatomy, kImageNoise, kPatientFinding = 100, kImageFinding = 200
};

// A rectangle in image coordinates (fractions of the side).
struct Window {
  double x0, y0, x1, y1;
  bool contains(double x, double y) const { return x >= x0 && x < x1 && y >= y0 && y < y1; }
};

// An elliptic opacity in the atlas frame: density·exp(−q^sharpness / 2), q the squared
// elliptic radius; its ROI is where the value passes 0.35 of its peak.
struct Blob {
  double u, v, ru, rv, angle, density, sharpness;
  double value(double pu, double pv) const {
    const double c = std::cos(angle), s = std::sin(angle);
    const double a = ((pu - u) * c + (pv - v) * s) / ru, b = (-(pu - u) * s + (pv - v) * c) / rv;
    const double q = a * a + b * b;
    return q > 36.0 ? 0.0 : density * std::exp(-0.5 * std::pow(q, sharpness));
  }
};

struct Lesion {
  Finding finding = kAtelectasis;
  int side = 0;
  double strength = 1.0;
  std::vector<Blob> blobs;
  double level = 0.0;     // effusion: v of the fluid surface
  double collapse = 1.0;  // pneumothorax, pleural thickening: the inner lung's scale about the hilum
  bool apical = true;     // pleural thickening: an apical cap, else along the lateral wall
  double mesh = 0.0, mesh_angle = 0.0, mesh_phase[2] = {0, 0};  // fibrosis: the reticular net's spacing and pose
  std::optional<Window> box;  // an expert's box: the finding is drawn inside it, wherever the lungs are
};

// The patient's anatomy and the image's pose, exposure and findings.
struct Scene {
  const LungShape* shape = nullptr;
  double center_x = 0, center_y = 0, width = 0, height = 0;  // the lungs' box in the image
  double scale_x = 1, scale_y = 1, angle = 0, warp = 0, warp_phase[2] = {0, 0};
  double heart_u = 0, heart_v = 0, heart_ru = 0, heart_rv = 0;
  double rib_spacing = 0, rib_curve = 0, rib_phase = 0, rib_density = 0, clavicle_v = 0;
  phantom_drawing::Film film;
  double noise = 0;  // σ of the acquisition noise
  double emphysema = 0;  // darkening of the lungs
  bool cardiomegaly = false;
  std::optional<Window> heart_box;  // an expert's box around the enlarged heart
  std::vector<Lesion> lesions;

  // Image → atlas frame: undo the shift, the rotation and the scale, then the warp.
  std::pair<double, double> to_atlas(double x, double y) const {
    const double dx = x - center_x, dy = y - center_y, c = std::cos(angle), s = std::sin(angle);
    double u = (dx * c + dy * s) / (width * scale_x) + 0.5, v = (-dx * s + dy * c) / (height * scale_y) + 0.5;
    u += warp * std::sin(2 * kPi * (2 * v + warp_phase[0]));
    v += warp * std::sin(2 * kPi * (2 * u + warp_phase[1]));
    return {u, v};
  }
  double lung(int side, double u, double v) const { return shape->field(side, u, v); }
  double heart(double u, double v) const { return soft_ellipse(u, v, heart_u, heart_v, heart_ru, heart_rv, 0.05); }
  // Lung not hidden by the heart's soft tissue.
  double open_lung(int side, double u, double v) const { return uncovered(lung(side, u, v), heart(u, v)); }
  /// A lung field @p lung where the heart's shadow is @p heart: its soft tissue takes the lung's place.
  static double uncovered(double lung, double heart) { return lung * (1.0 - 0.8 * heart); }
  const LungOutline& outline(int side) const { return shape->lungs[static_cast<std::size_t>(side)]; }
  // Midway between the lung's centroid and its medial edge, at the centroid's height.
  std::pair<double, double> hilum(int side) const {
    const LungOutline& o = outline(side);
    return {0.5 * (o.cu + (side == 0 ? o.u1 : o.u0)), o.cv};
  }
};

double strength_of(Random& random, double subtle_fraction) {
  // Subtle findings are faint and small; obvious ones dense and large.
  const double subtlety = random.chance(subtle_fraction) ? random.uniform(0.7, 1.0) : random.uniform(0.0, 0.3);
  return 1.0 - 0.7 * subtlety;
}

// A point well inside lung @p side, clear of the heart, with v between the fractions @p low and @p high of its height.
std::pair<double, double> point_in_lung(const Scene& scene, int side, double low, double high, Random& random) {
  const LungOutline& o = scene.outline(side);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const double u = random.uniform(o.u0, o.u1), v = o.v0 + (o.v1 - o.v0) * random.uniform(low, high);
    if (scene.open_lung(side, u, v) > 0.95) return {u, v};
  }
  return {o.cu, o.cv};
}

Blob blob_in_lung(const Scene& scene, int side, double low, double high, double radius, double density,
                  double sharpness, Random& random) {
  const auto [u, v] = point_in_lung(scene, side, low, high, random);
  return {u, v, radius, radius * random.uniform(0.8, 1.2), random.uniform(0, kPi), density, sharpness};
}

// The finding as drawn without a box: where it sits is the patient's (@p place), how strong
// it is the image's (@p strength).
Lesion place_lesion(const Scene& scene, Finding finding, double strength, Random& place) {
  Lesion lesion;
  lesion.finding = finding;
  lesion.strength = strength;
  lesion.side = place.chance(0.5) ? 1 : 0;
  const int side = lesion.side;
  switch (finding) {
    case kAtelectasis: {  // a plate of collapsed lung near a base
      Blob plate = blob_in_lung(scene, side, 0.6, 0.85, place.uniform(0.10, 0.15), 0.10 + 0.20 * strength, 1.0, place);
      plate.rv = place.uniform(0.015, 0.03);
      plate.angle = place.uniform(-0.25, 0.25);
      lesion.blobs.push_back(plate);
      break;
    }
    case kInfiltration: {  // patchy, ill-defined opacities
      const int count = 3 + static_cast<int>(place.uniform() * 5);
      for (int k = 0; k < count; ++k) {
        const int s = place.chance(0.3) ? 1 - side : side;
        lesion.blobs.push_back(
            blob_in_lung(scene, s, 0.2, 0.9, place.uniform(0.04, 0.08), 0.04 + 0.08 * strength, 1.0, place));
      }
      break;
    }
    case kMass:
      lesion.blobs.push_back(
          blob_in_lung(scene, side, 0.15, 0.8, place.uniform(0.05, 0.07) + 0.03 * strength, 0.15 + 0.25 * strength,
                       2.0, place));
      break;
    case kNodule: {
      const int count = 1 + (place.chance(0.3) ? 1 : 0) + (place.chance(0.1) ? 1 : 0);
      for (int k = 0; k < count; ++k) {
        lesion.blobs.push_back(blob_in_lung(scene, place.chance(0.5) ? 1 : 0, 0.1, 0.85,
                                            place.uniform(0.012, 0.02) + 0.01 * strength, 0.10 + 0.35 * strength, 1.5,
                                            place));
      }
      break;
    }
    case kPneumonia:
    case kConsolidation: {  // a cluster of airspace opacities in one lobe: hazy, or dense and even
      const bool pneumonia = finding == kPneumonia;
      const auto [u0, v0] = point_in_lung(scene, side, 0.35, 0.85, place);
      const int count = (pneumonia ? 4 : 3) + static_cast<int>(place.uniform() * 4);
      for (int k = 0; k < count; ++k) {
        const double radius = pneumonia ? place.uniform(0.04, 0.07) : place.uniform(0.03, 0.05);
        lesion.blobs.push_back({u0 + place.normal() * 0.04, v0 + place.normal() * 0.05, radius, radius, 0.0,
                                pneumonia ? 0.05 + 0.12 * strength : 0.08 + 0.20 * strength, pneumonia ? 1.0 : 2.0});
      }
      break;
    }
    case kEdema:  // bilateral perihilar haze
      for (int s = 0; s < 2; ++s) {
        const auto [u, v] = scene.hilum(s);
        const double radius = place.uniform(0.18, 0.24);
        lesion.blobs.push_back({u, v, radius, radius * 1.2, 0.0, 0.05 + 0.12 * strength, 1.0});
      }
      break;
    case kHernia: {  // a hiatal hernia: a round retrocardiac opacity holding an air-fluid level
      const double radius = place.uniform(0.05, 0.08);
      lesion.blobs.push_back({scene.shape->midline + place.uniform(0.02, 0.06), scene.heart_v + 0.6 * scene.heart_rv,
                              radius, radius * 0.85, 0.0, 0.10 + 0.15 * strength, 2.0});
      lesion.level = lesion.blobs.back().v - 0.3 * lesion.blobs.back().rv;
      break;
    }
    case kEffusion: {  // fluid in the costophrenic angle, its meniscus rising to the chest wall
      const LungOutline& o = scene.outline(side);
      lesion.level = o.v1 - (o.v1 - o.v0) * (0.06 + 0.25 * strength);
      break;
    }
    case kPneumothorax:  // air between the collapsing lung and the chest wall, at apex and side
      lesion.collapse = 1.0 - (0.10 + 0.25 * strength);
      break;
    case kPleuralThickening:
      lesion.collapse = 1.0 - (0.03 + 0.05 * strength);
      lesion.apical = place.chance(0.5);
      break;
    case kFibrosis:  // a reticular net in both lower zones
      lesion.mesh = place.uniform(0.03, 0.04);
      lesion.mesh_angle = place.uniform(0.3, 0.6);
      lesion.mesh_phase[0] = place.uniform();
      lesion.mesh_phase[1] = place.uniform();
      break;
    case kCardiomegaly:
    case kEmphysema:
    case kFindings:
      break;
  }
  return lesion;
}

// A boxed finding, drawn inside its box @p box (image coordinates).
Lesion boxed_lesion(const Scene& scene, Finding finding, double strength, const Window& box, Random& place) {
  Lesion lesion = place_lesion(scene, finding, strength, place);
  lesion.box = box;
  const auto [u, v] = scene.to_atlas(0.5 * (box.x0 + box.x1), 0.5 * (box.y0 + box.y1));
  lesion.level = scene.to_atlas(box.x0, box.y0 + 0.3 * (box.y1 - box.y0)).second;  // effusion: fluid fills the box
  const double half_u = 0.5 * (box.x1 - box.x0) / (scene.width * scene.scale_x);
  const double half_v = 0.5 * (box.y1 - box.y0) / (scene.height * scene.scale_y);
  lesion.side = u < scene.shape->midline ? 0 : 1;
  if (!lesion.blobs.empty()) {  // the opacity fills the box: one blob, or a cluster inside it
    const std::size_t count = std::min<std::size_t>(lesion.blobs.size(), 3);
    const Blob model = lesion.blobs.front();
    lesion.blobs.clear();
    for (std::size_t k = 0; k < count; ++k) {
      const double spread = count == 1 ? 0.0 : 0.35;
      lesion.blobs.push_back({u + spread * half_u * place.uniform(-1, 1), v + spread * half_v * place.uniform(-1, 1),
                              (count == 1 ? 0.6 : 0.4) * half_u, (count == 1 ? 0.6 : 0.4) * half_v, 0.0, model.density,
                              model.sharpness});
    }
  }
  return lesion;
}

Scene draw_scene(const NihPhantomOptions& options, const LungAtlas& atlas, const NihEntry& entry,
                 const std::vector<Box>& boxes) {
  const std::uint64_t patient = phantom_drawing::text_key(entry.patient_id);
  const std::uint64_t image = phantom_drawing::text_key(entry.id);
  const bool ap = entry.view == "AP";
  const auto has = [&](Finding f) { return entry.labels[static_cast<std::size_t>(f)] == 1; };
  Scene scene;
  Random anatomy(options.seed, patient, kPatientAnatomy);
  scene.shape = &atlas.shape(static_cast<std::size_t>(anatomy.next() % atlas.size()));
  scene.width = anatomy.uniform(0.60, 0.70);
  scene.height = scene.width * scene.shape->aspect;
  const double top = anatomy.uniform(0.10, 0.16);
  if (top + scene.height > 0.86) {  // a tall chest: fit its lungs above the abdomen
    scene.height = 0.86 - top;
    scene.width = scene.height / scene.shape->aspect;
  }
  scene.center_x = 0.5 + anatomy.uniform(-0.02, 0.02);
  scene.center_y = top + 0.5 * scene.height;
  const double ctr = anatomy.uniform(0.40, 0.47);  // cardiothoracic ratio of a normal heart
  const double heart_ratio = anatomy.uniform(0.72, 0.85);
  scene.heart_u = scene.shape->midline + anatomy.uniform(0.03, 0.07);  // the heart lies to the patient's left
  const double heart_drop = anatomy.uniform(0.85, 1.05);  // how far the heart sinks into the diaphragm
  scene.rib_spacing = anatomy.uniform(0.085, 0.10);
  scene.rib_curve = anatomy.uniform(1.4, 2.2);
  scene.rib_phase = anatomy.uniform(0.0, 1.0);
  scene.rib_density = anatomy.uniform(0.08, 0.14);
  scene.clavicle_v = anatomy.uniform(-0.02, 0.06);

  Random pose(options.seed, image, kImageAnatomy);
  scene.scale_x = 1.0 + 0.02 * pose.normal();
  scene.scale_y = (1.0 + 0.025 * pose.normal()) * (ap ? 0.94 : 1.0);  // AP films: shallower inspiration
  scene.angle = 1.5 * kPi / 180.0 * pose.normal();
  scene.center_x += 0.01 * pose.normal();
  scene.center_y += 0.01 * pose.normal();
  scene.warp = 0.006;
  scene.warp_phase[0] = pose.uniform();
  scene.warp_phase[1] = pose.uniform();
  scene.film.exposure = pose.uniform(-0.06, 0.06);
  scene.film.contrast = pose.uniform(0.85, 1.1) * (ap ? 0.92 : 1.0);
  scene.film.gamma = pose.uniform(0.85, 1.15);
  scene.film.heel = pose.uniform(-0.05, 0.05);
  scene.noise = options.noise_sigma * (ap ? 1.6 : 1.0);

  std::array<double, kFindings> strength{};
  for (int f = 0; f < kFindings; ++f) {
    Random vary(options.seed, image, kImageFinding + static_cast<std::uint64_t>(f));
    if (has(static_cast<Finding>(f))) {
      strength[static_cast<std::size_t>(f)] = strength_of(vary, options.subtle_fraction);
    }
  }
  double heart_scale = ap ? 1.12 : 1.0;  // AP: the heart is farther from the detector, magnified
  if (has(kCardiomegaly)) {
    heart_scale *= (0.50 + 0.14 * strength[kCardiomegaly]) / ctr;
    scene.cardiomegaly = true;
  }
  if (has(kEmphysema)) {  // hyperinflated, darker lungs over a flattened diaphragm
    scene.scale_y *= 1.0 + 0.10 * strength[kEmphysema];
    scene.emphysema = 0.04 + 0.06 * strength[kEmphysema];
  }
  scene.heart_ru = 0.5 * ctr * heart_scale;
  scene.heart_rv = scene.heart_ru * heart_ratio;
  scene.heart_v = 1.0 - heart_drop * scene.heart_rv;  // the heart rests on the diaphragm

  for (int f = 0; f < kFindings; ++f) {
    const auto finding = static_cast<Finding>(f);
    if (!has(finding) || finding == kEmphysema) continue;
    Random place(options.seed, patient, kPatientFinding + static_cast<std::uint64_t>(f));
    bool boxed = false;
    for (const Box& box : boxes) {
      if (box.label != f) continue;
      boxed = true;
      const Window window{box.x / static_cast<double>(entry.width), box.y / static_cast<double>(entry.height),
                          (box.x + box.w) / static_cast<double>(entry.width),
                          (box.y + box.h) / static_cast<double>(entry.height)};
      if (finding == kCardiomegaly) {  // the heart fills the box
        const auto [u, v] = scene.to_atlas(0.5 * (window.x0 + window.x1), 0.5 * (window.y0 + window.y1));
        scene.heart_u = u;
        scene.heart_v = v;
        scene.heart_ru = 0.5 * (window.x1 - window.x0) / (scene.width * scene.scale_x);
        scene.heart_rv = 0.5 * (window.y1 - window.y0) / (scene.height * scene.scale_y);
        scene.heart_box = window;
      } else {
        scene.lesions.push_back(boxed_lesion(scene, finding, strength[static_cast<std::size_t>(f)], window, place));
      }
    }
    if (!boxed && finding != kCardiomegaly) {
      scene.lesions.push_back(place_lesion(scene, finding, strength[static_cast<std::size_t>(f)], place));
    }
  }
  return scene;
}

// Density a lesion adds at image point (x, y), atlas point (u, v); sets *roi where it shows.
double lesion_density(const Scene& scene, const Lesion& lesion, double x, double y, double u, double v,
                      double lungs, bool* roi) {
  double window = 1.0;
  if (lesion.box && !lesion.box->contains(x, y)) window = 0.0;
  if (window == 0.0) return 0.0;
  const int side = lesion.side;
  double density = 0.0;
  bool shows = false;
  switch (lesion.finding) {
    case kEffusion: {
      const LungOutline& o = scene.outline(side);
      const double lateral = std::abs(u - o.cu) / std::max(0.05, 0.5 * (o.u1 - o.u0));
      const double meniscus = lesion.level - 0.05 * lateral * lateral;
      const double inside = lesion.box ? 1.0 : std::min(1.0, 1.2 * scene.lung(side, u, v));
      const double fluid = inside * smoothstep(meniscus - 0.01, meniscus + 0.01, v);
      density = (0.05 + 0.45 * lesion.strength) * fluid;
      shows = fluid > 0.5;
      break;
    }
    case kPneumothorax:
    case kPleuralThickening: {
      // The rim between the lung and the lung shrunk about its hilum by `collapse`.
      const auto [hu, hv] = scene.hilum(side);
      const double field = scene.lung(side, u, v);
      const double inner = scene.lung(side, hu + (u - hu) / lesion.collapse, hv + (v - hv) / lesion.collapse);
      const double rim = lesion.box ? 1.0 : std::max(0.0, field - inner);
      const LungOutline& o = scene.outline(side);
      const double lateral = (side == 0 ? hu - u : u - hu) / std::max(0.05, o.u1 - o.u0);
      double where = 0.0;
      if (lesion.finding == kPneumothorax) {
        where = 1.0 - smoothstep(hv, hv + 0.2, v);  // upright film: air rises to the apex and the side
        const double pleural_line = 4.0 * inner * (1.0 - inner);  // 1 where the collapsed lung's edge is
        density = (-(0.05 + 0.10 * lesion.strength) * rim + 0.10 * lesion.strength * pleural_line) * where;
      } else {
        where = lesion.apical ? 1.0 - smoothstep(o.v0 + 0.10, o.v0 + 0.20, v) : smoothstep(0.05, 0.15, lateral);
        density = (0.15 + 0.15 * lesion.strength) * rim * where;
      }
      shows = rim * where > 0.5;
      break;
    }
    case kFibrosis: {
      const double zone = lungs * smoothstep(0.45, 0.85, v);
      const double c = std::cos(lesion.mesh_angle), s = std::sin(lesion.mesh_angle);
      const double net = std::max(phantom_drawing::rib_band((u * c + v * s) / lesion.mesh + lesion.mesh_phase[0]),
                                  phantom_drawing::rib_band((v * c - u * s) / lesion.mesh + lesion.mesh_phase[1]));
      density = (0.05 + 0.10 * lesion.strength) * zone * net;
      shows = zone > 0.5;
      break;
    }
    case kHernia: {
      const Blob& b = lesion.blobs.front();
      const double value = b.value(u, v);
      density = value - (v < lesion.level ? 0.12 * value / b.density : 0.0);  // the gas above the fluid level
      shows = value > 0.35 * b.density;
      break;
    }
    default: {  // blob findings, inside the lungs
      double peak = 0.0, sum = 0.0;
      for (const Blob& b : lesion.blobs) {
        const double value = b.value(u, v);
        sum += value;
        peak = std::max(peak, value / b.density);
      }
      density = lesion.box ? sum : sum * lungs;
      shows = peak > 0.35 && (lesion.box || lungs > 0.5);
      break;
    }
  }
  if (shows) *roi = true;
  return density * window;
}

}  // namespace

NihPhantomImage draw_nih_phantom(const NihPhantomOptions& options, const LungAtlas& atlas, const NihEntry& entry,
                                 const std::vector<Box>& boxes) {
  SALIENT_CHECK(options.size >= 64 && options.size <= 1024, "phantom size {} must be within 64..1024", options.size);
  SALIENT_CHECK(entry.labels.size() == kFindings, "image '{}' has {} labels, NIH has {}", entry.id, entry.labels.size(),
                static_cast<int>(kFindings));
  for (const Box& box : boxes) {
    SALIENT_CHECK(box.label >= 0 && box.label < kFindings && entry.labels[static_cast<std::size_t>(box.label)] == 1,
                  "image '{}': a box names '{}', which its row does not list", entry.id,
                  box.label >= 0 && box.label < kFindings ? nih_finding_names()[static_cast<std::size_t>(box.label)]
                                                          : std::string("no finding"));
  }
  const Scene scene = draw_scene(options, atlas, entry, boxes);
  NihPhantomImage image;
  const auto n = static_cast<std::size_t>(options.size * options.size);
  image.pixels.assign(n, 0.0f);
  image.roi.assign(n, 0);
  const double side = static_cast<double>(options.size);
  for (const Box& box : boxes) {  // into pixels of this image
    const double sx = side / static_cast<double>(entry.width), sy = side / static_cast<double>(entry.height);
    image.boxes.push_back({0, box.label, static_cast<float>(box.x * sx), static_cast<float>(box.y * sy),
                           static_cast<float>(box.w * sx), static_cast<float>(box.h * sy)});
  }

  Random noise(options.seed, phantom_drawing::text_key(entry.id), kImageNoise);
  const LungShape& shape = *scene.shape;
  for (std::int64_t row = 0; row < options.size; ++row) {
    const double y = (static_cast<double>(row) + 0.5) / side;
    for (std::int64_t col = 0; col < options.size; ++col) {
      const double x = (static_cast<double>(col) + 0.5) / side;
      const auto [u, v] = scene.to_atlas(x, y);
      // The heart's soft tissue takes the place of the lung it overlaps.
      const double heart = scene.heart(u, v);
      const double lungs = Scene::uncovered(std::max(scene.lung(0, u, v), scene.lung(1, u, v)), heart);
      const double body = soft_ellipse(x, y, scene.center_x, 0.56, 0.68 * scene.width * scene.scale_x, 0.62, 0.03);
      double density = 0.62 * body - (0.42 + scene.emphysema) * lungs + 0.05 * heart;
      // Abdomen below the diaphragm (each column's lowest lung cell), spine and mediastinum at the midline.
      const int lung_side = u < shape.midline ? 0 : 1;
      const LungOutline& outline = shape.lungs[static_cast<std::size_t>(lung_side)];
      const int column = std::clamp(static_cast<int>(u * kAtlasSide), 0, kAtlasSide - 1);
      const double abdomen = smoothstep(outline.bottom[static_cast<std::size_t>(column)] - 0.01,
                                        outline.bottom[static_cast<std::size_t>(column)] + 0.06, v) * (1.0 - lungs);
      density += 0.06 * body * abdomen;
      density += 0.10 * body * (1.0 - smoothstep(0.045, 0.09, std::abs(u - shape.midline)));
      const double du = u - outline.cu;
      const double phase =
          (v - 0.25 * std::abs(u - shape.midline) + scene.rib_curve * du * du) / scene.rib_spacing + scene.rib_phase;
      density += scene.rib_density * phantom_drawing::rib_band(phase) * body * (0.4 + 0.6 * lungs) * (1.0 - abdomen);
      bool lesion = false;
      for (const Lesion& l : scene.lesions) density += lesion_density(scene, l, x, y, u, v, lungs, &lesion);
      if (scene.emphysema > 0 && lungs > 0.5) lesion = true;
      if (scene.cardiomegaly && heart > 0.5 && (!scene.heart_box || scene.heart_box->contains(x, y))) {
        lesion = true;
      }
      const auto p = static_cast<std::size_t>(row * options.size + col);
      image.pixels[p] = scene.film.brightness(density, y, scene.noise * noise.normal());
      image.roi[p] = lesion ? 1 : 0;
    }
  }
  return image;
}

}  // namespace salient::io
