// Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror and Shaw, "Parallel
// random numbers: as easy as 1, 2, 3" (SC'11), as in Random123's philox.h: ten rounds of
//   (L0, R0, L1, R1) -> (hi(M1·L1) ^ R0 ^ k0, lo(M1·L1), hi(M0·L0) ^ R1 ^ k1, lo(M0·L0)),
// with counter words (L0, R0, L1, R1) = (c0, c1, c2, c3), M0 = 0xD2511F53,
// M1 = 0xCD9E8D57, and the key bumped by the Weyl constants (0x9E3779B9, 0xBB67AE85)
// between rounds. Integer arithmetic only, so the CPU and the GPU produce the same bits.
// Checked against Random123's known-answer vectors (tests/kat_vectors).
#pragma once

#include <cstdint>

#include "detail/host_device.h"

namespace salient::kernels::detail {

struct PhiloxCounter {
  std::uint32_t word[4];
};

struct PhiloxKey {
  std::uint32_t word[2];
};

SALIENT_HOST_DEVICE inline void philox_multiply(std::uint32_t a, std::uint32_t b, std::uint32_t& hi,
                                                std::uint32_t& lo) {
  const std::uint64_t product = static_cast<std::uint64_t>(a) * b;
  hi = static_cast<std::uint32_t>(product >> 32);
  lo = static_cast<std::uint32_t>(product);
}

SALIENT_HOST_DEVICE inline PhiloxCounter philox4x32_10(PhiloxCounter counter, PhiloxKey key) {
  constexpr std::uint32_t kMultiplier0 = 0xD2511F53u;
  constexpr std::uint32_t kMultiplier1 = 0xCD9E8D57u;
  constexpr std::uint32_t kWeyl0 = 0x9E3779B9u;
  constexpr std::uint32_t kWeyl1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      key.word[0] += kWeyl0;
      key.word[1] += kWeyl1;
    }
    std::uint32_t hi0, lo0, hi1, lo1;
    philox_multiply(kMultiplier0, counter.word[0], hi0, lo0);
    philox_multiply(kMultiplier1, counter.word[2], hi1, lo1);
    counter = {{hi1 ^ counter.word[1] ^ key.word[0], lo1, hi0 ^ counter.word[3] ^ key.word[1], lo0}};
  }
  return counter;
}

/// A double in the open interval (0, 1) from the top 52 bits of two words: (k + ½)·2⁻⁵²,
/// exact in a double (53 bits), so never 0 or 1 and log(u), log(1 − u) are finite.
SALIENT_HOST_DEVICE inline double philox_open_unit_double(std::uint32_t high, std::uint32_t low) {
  const std::uint64_t bits52 = ((static_cast<std::uint64_t>(high) << 32) | low) >> 12;
  return (static_cast<double>(bits52) + 0.5) * (1.0 / 4503599627370496.0);
}

/// The uniform of one image: key = seed, counter = (global index, round, stream).
SALIENT_HOST_DEVICE inline double philox_image_uniform(std::uint64_t seed, std::uint32_t round, std::uint32_t stream,
                                                       std::uint64_t global_index) {
  const PhiloxKey key{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  const PhiloxCounter counter{
      {static_cast<std::uint32_t>(global_index), static_cast<std::uint32_t>(global_index >> 32), round, stream}};
  const PhiloxCounter bits = philox4x32_10(counter, key);
  return philox_open_unit_double(bits.word[0], bits.word[1]);
}

/// Four numbers of an image's row: key = seed, counter = (global index, round,
/// stream + block·2⁸): block b holds numbers 4b … 4b+3. Block 0 of a stream is the block
/// philox_image_uniform uses, so a stream serves either single numbers or rows, not both.
SALIENT_HOST_DEVICE inline PhiloxCounter philox_row_block(std::uint64_t seed, std::uint32_t round,
                                                          std::uint32_t stream, std::uint64_t global_index,
                                                          std::uint32_t block) {
  const PhiloxKey key{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  const PhiloxCounter counter{{static_cast<std::uint32_t>(global_index),
                               static_cast<std::uint32_t>(global_index >> 32), round, stream + (block << 8)}};
  return philox4x32_10(counter, key);
}

/// A float in the open interval (0, 1) from the top 23 bits of a word: (k + ½)·2⁻²³, exact
/// in a float (24-bit significand; with 24 bits the largest value would round to 1).
SALIENT_HOST_DEVICE inline float philox_open_unit_float(std::uint32_t word) {
  return (static_cast<float>(word >> 9) + 0.5f) * (1.0f / 8388608.0f);
}

}  // namespace salient::kernels::detail
