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

TEST(CounterRandomRows, NumberJIsWordJMod4OfBlockJDiv4AsDocumented) {
  // Seed 0x0123456789, round 2, stream 3, image 5: the row's numbers 4…7 are block 1, whose
  // counter is (5, 0, 2, 3 + 1·2⁸) and key (0x23456789, 0x01).
  const RandomKey key{0x0123456789ull, 2, RandomStream::mc_dropout};
  const std::int64_t image = 5;
  std::vector<float> row(7);
  counter_uniform_rows(key, &image, 1, 7, row.data(), {});
  const auto bits = detail::philox4x32_10({{5u, 0u, 2u, 3u + 256u}}, {{0x23456789u, 0x01u}});
  for (int w = 0; w < 3; ++w) {
    EXPECT_EQ(row[4 + w], (static_cast<float>(bits.word[w] >> 9) + 0.5f) / 8388608.0f) << "number " << 4 + w;
  }
  EXPECT_GT(detail::philox_open_unit_float(0u), 0.0f);
  EXPECT_LT(detail::philox_open_unit_float(0xffffffffu), 1.0f);
}

TEST(CounterRandomRows, AnImagesRowDoesNotDependOnItsBatchOrRowLength) {
  const RandomKey key{9, 1, RandomStream::augmentation};
  std::vector<float> whole(50 * 10);
  counter_uniform_rows(key, nullptr, 50, 10, whole.data(), {});
  const std::vector<std::int64_t> some = {42, 7};
  std::vector<float> longer(2 * 13);
  counter_uniform_rows(key, some.data(), 2, 13, longer.data(), {});
  for (int j = 0; j < 10; ++j) {
    EXPECT_EQ(longer[j], whole[42 * 10 + j]);
    EXPECT_EQ(longer[13 + j], whole[7 * 10 + j]);
  }
  std::vector<float> other_stream(10);
  counter_uniform_rows({9, 1, RandomStream::mc_dropout}, &some[0], 1, 10, other_stream.data(), {});
  EXPECT_NE(other_stream[0], whole[42 * 10]);
}

TEST(CounterRandomRows, NumbersHaveTheMomentsOfU01) {
  const std::int64_t n = 1000, per_image = 203;
  std::vector<float> u(n * per_image);
  counter_uniform_rows({7, 0, RandomStream::mc_dropout}, nullptr, n, per_image, u.data(), {});
  double sum = 0.0, sum_of_squares = 0.0;
  for (const float v : u) {
    ASSERT_GT(v, 0.0f);
    ASSERT_LT(v, 1.0f);
    sum += v;
    sum_of_squares += double(v) * v;
  }
  const double count = double(u.size());
  EXPECT_NEAR(sum / count, 0.5, 5 * 0.2887 / std::sqrt(count));
  EXPECT_NEAR(sum_of_squares / count - (sum / count) * (sum / count), 1.0 / 12.0, 5 * 0.075 / std::sqrt(count));
}

TEST(CounterRandomRows, RejectsRowsLongerThanTheCounterHolds) {
  float out = 0.0f;
  EXPECT_THROW(counter_uniform_rows({}, nullptr, 1, kMaxUniformsPerImage + 1, &out, {}), Error);
  EXPECT_THROW(counter_uniform_rows({}, nullptr, 1, 0, &out, {}), Error);
}

TEST(CounterRandomRowsCuda, GivesTheSameBitsAsTheCpu) {
  SALIENT_SKIP_WITHOUT_CUDA();
#ifdef SALIENT_WITH_CUDA
  const RandomKey key{0xDEADBEEFCAFEull, 17, RandomStream::augmentation};
  std::vector<std::int64_t> indices(1009);
  for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = static_cast<std::int64_t>(i * 7919 + (1ll << 33));
  const auto n = static_cast<std::int64_t>(indices.size());
  const std::int64_t per_image = 37;
  std::vector<float> expected(n * per_image);
  cpu_impl::counter_uniform_rows(key, indices.data(), n, per_image, expected.data());
  testing::DeviceBuffer<std::int64_t> device_indices(indices);
  testing::DeviceBuffer<float> device_out(n * per_image);
  device_out.poison();
  counter_uniform_rows(key, device_indices.get(), n, per_image, device_out.get(), {Backend::cuda, nullptr});
  const auto actual = device_out.to_host();
  for (std::int64_t i = 0; i < n * per_image; ++i) ASSERT_EQ(actual[i], expected[i]) << "position " << i;
#endif
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
