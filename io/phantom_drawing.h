// What both phantoms (phantom.cpp, nih_phantom.cpp) draw with: counter-keyed random streams
// and soft shapes. Internal to salient_io.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace salient::io::phantom_drawing {

constexpr double kPi = 3.14159265358979323846;

/// SplitMix64 finaliser (Steele, Lea & Flood 2014).
inline std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// FNV-1a of a text (a patient or image id), the key of that id's random streams.
inline std::uint64_t text_key(const std::string& text) {
  std::uint64_t hash = 0xCBF29CE484222325ull;
  for (const unsigned char c : text) hash = (hash ^ c) * 0x100000001B3ull;
  return hash;
}

// SplitMix64 streams keyed by (seed, key, purpose): every image's draws are independent of
// every other image's and of the thread drawing it.
class Random {
 public:
  Random(std::uint64_t seed, std::uint64_t key, std::uint64_t purpose)
      : state_(mix(mix(seed ^ 0x5A11E47ull) + key) + purpose * 0x9E3779B97F4A7C15ull) {}
  std::uint64_t next() { return mix(state_ += 0x9E3779B97F4A7C15ull); }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  bool chance(double probability) { return uniform() < probability; }
  double normal() {  // Box–Muller, both values of each pair used
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double radius = std::sqrt(-2.0 * std::log(1.0 - uniform())), angle = 2.0 * kPi * uniform();
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }

 private:
  std::uint64_t state_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

inline double smoothstep(double edge0, double edge1, double x) {
  const double t = std::clamp((x - edge0) / (edge1 - edge0), 0.0, 1.0);
  return t * t * (3.0 - 2.0 * t);
}

/// 1 inside the ellipse, 0 outside, with a soft rim of relative width @p soft.
inline double soft_ellipse(double x, double y, double cx, double cy, double rx, double ry, double soft) {
  const double r = std::sqrt((x - cx) * (x - cx) / (rx * rx) + (y - cy) * (y - cy) / (ry * ry));
  return 1.0 - smoothstep(1.0 - soft, 1.0 + soft, r);
}

/// cos⁸ bands repeating every unit of @p phase: the bright, narrow shadows of ribs.
inline double rib_band(double phase) {
  const double c1 = std::cos(kPi * (phase - std::floor(phase))), c2 = c1 * c1, c4 = c2 * c2;
  return c4 * c4;
}

/// How a film shows a pixel: its density through the contrast, an offset, the exposure and
/// the anode heel effect (brighter towards one end, y), then gamma and the acquisition noise
/// @p noise, clamped to [0, 1].
struct Film {
  double contrast = 1, exposure = 0, gamma = 1, heel = 0;
  float brightness(double density, double y, double noise) const {
    double value = contrast * density + 0.08 + exposure + heel * (y - 0.5);
    value = std::pow(std::clamp(value, 0.0, 1.0), gamma) + noise;
    return static_cast<float>(std::clamp(value, 0.0, 1.0));
  }
};

}  // namespace salient::io::phantom_drawing
