#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "detail/philox.h"
#include "salient/kernels/counter_random.h"
#include "support/cuda_test_support.h"

namespace salient::kernels {
namespace {

struct KnownAnswer {
  detail::PhiloxCounter counter;
  detail::PhiloxKey key;
  std::uint32_t expected[4];
};

// Random123 tests/kat_vectors, the three "philox4x32 10" lines: counter, key, result.
const KnownAnswer kPhiloxKnownAnswers[] = {
    {{{0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}},
     {{0x00000000u, 0x00000000u}},
     {0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}},
    {{{0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}},
     {{0xffffffffu, 0xffffffffu}},
     {0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}},
    {{{0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}},
     {{0xa4093822u, 0x299f31d0u}},
     {0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}},
};

TEST(CounterRandom, Philox4x32_10MatchesRandom123KnownAnswers) {
  for (const auto& answer : kPhiloxKnownAnswers) {
    const auto result = detail::philox4x32_10(answer.counter, answer.key);
    for (int w = 0; w < 4; ++w) EXPECT_EQ(result.word[w], answer.expected[w]) << "word " << w;
  }
}

TEST(CounterRandom, UniformIsTheTop52BitsOfTheFirstTwoWordsCentredInTheirInterval) {
  // Key (seed) 0, counter (index 0, round 0, stream 0): the first known answer's words.
  const std::uint64_t bits52 = ((std::uint64_t{0x6627e8d5u} << 32) | 0xe169c58du) >> 12;
  EXPECT_EQ(detail::philox_image_uniform(0, 0, 0, 0), (static_cast<double>(bits52) + 0.5) / 4503599627370496.0);
  EXPECT_GT(detail::philox_open_unit_double(0, 0), 0.0);
  EXPECT_LT(detail::philox_open_unit_double(0xffffffffu, 0xffffffffu), 1.0);
}

TEST(CounterRandom, EachImageHasItsOwnNumberWhoeverDrawsIt) {
  const RandomKey key{42, 3, RandomStream::uniform_scores};
  std::vector<double> whole(1000);
  counter_uniforms(key, nullptr, 1000, whole.data(), {});
  // Three "ranks" drawing their contiguous slices by global index give the same numbers.
  for (const auto& [first, last] : {std::pair{0, 333}, std::pair{333, 667}, std::pair{667, 1000}}) {
    std::vector<std::int64_t> indices(last - first);
    std::iota(indices.begin(), indices.end(), first);
    std::vector<double> slice(indices.size());
    counter_uniforms(key, indices.data(), static_cast<std::int64_t>(indices.size()), slice.data(), {});
    for (int i = first; i < last; ++i) ASSERT_EQ(slice[i - first], whole[i]) << "image " << i;
  }
  EXPECT_EQ(counter_uniform(key, 517), whole[517]);
  EXPECT_NE(counter_uniform({42, 4, RandomStream::uniform_scores}, 517), whole[517]);  // another round
  EXPECT_NE(counter_uniform({42, 3, RandomStream::acft_draw}, 517), whole[517]);       // another stream
  EXPECT_NE(counter_uniform({43, 3, RandomStream::uniform_scores}, 517), whole[517]);  // another seed
}

TEST(CounterRandom, UniformsHaveTheMomentsOfU01) {
  const std::int64_t n = 200000;
  std::vector<double> u(n);
  counter_uniforms({7, 0, RandomStream::uniform_scores}, nullptr, n, u.data(), {});
  double sum = 0.0, sum_of_squares = 0.0;
  for (const double v : u) {
    ASSERT_GT(v, 0.0);
    ASSERT_LT(v, 1.0);
    sum += v;
    sum_of_squares += v * v;
  }
  // Mean 1/2 (sd of the mean 0.29/√n = 6.5e-4) and variance 1/12, within 5 sd.
  EXPECT_NEAR(sum / n, 0.5, 5 * 6.5e-4);
  EXPECT_NEAR(sum_of_squares / n - (sum / n) * (sum / n), 1.0 / 12.0, 5 * 0.075 / std::sqrt(double(n)));
}

TEST(CounterRandomCuda, GivesTheSameBitsAsTheCpu) {
  SALIENT_SKIP_WITHOUT_CUDA();
#ifdef SALIENT_WITH_CUDA
  const RandomKey key{0xDEADBEEFCAFEull, 17, RandomStream::acft_draw};
  std::vector<std::int64_t> indices(10007);
  for (std::size_t i = 0; i < indices.size(); ++i)
    indices[i] = static_cast<std::int64_t>(i * 7919 + (i % 3) * (1ll << 33));
  const auto n = static_cast<std::int64_t>(indices.size());
  std::vector<double> expected(n);
  cpu_impl::counter_uniforms(key, indices.data(), n, expected.data());
  testing::DeviceBuffer<std::int64_t> device_indices(indices);
  testing::DeviceBuffer<double> device_out(n);
  device_out.poison();
  counter_uniforms(key, device_indices.get(), n, device_out.get(), {Backend::cuda, nullptr});
  const auto actual = device_out.to_host();
  for (std::int64_t i = 0; i < n; ++i) ASSERT_EQ(actual[i], expected[i]) << "position " << i;
#endif
}

}  // namespace
}  // namespace salient::kernels
