#include "salient/io/review_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "salient/check.h"
#include "salient/io/atomic_file.h"
#include "salient/io/float16.h"
#include "salient/io/hdf5.h"

namespace salient::io {
namespace {

constexpr const char* kReviewFormat = "salient review maps 1";
constexpr const char* kFeedbackFormat = "salient feedback masks 1";

h5::File open_checked(const std::string& path, const char* format) {
  SALIENT_CHECK(std::filesystem::exists(path), "'{}' does not exist", path);
  auto file = h5::File::open(path);
  const auto names = file.attribute_names();
  SALIENT_CHECK(
      std::find(names.begin(), names.end(), "format") != names.end() && file.string_attribute("format") == format,
      "'{}' is not a {} file", path, format);
  return file;
}

// Dataset @p name of @p file: its element type must be T and its shape @p shape.
template <typename T>
std::vector<T> read_shaped(const h5::File& file, const std::string& name, const std::vector<std::uint64_t>& shape) {
  const auto dataset = file.dataset(name);
  SALIENT_CHECK(dataset.holds<T>(), "{} holds {}, not the expected type", dataset.where(), dataset.element_name());
  SALIENT_CHECK(dataset.shape() == shape, "{} has shape [{}], expected [{}]", dataset.where(),
                fmt::join(dataset.shape(), ", "), fmt::join(shape, ", "));
  return dataset.read_all<T>();
}

std::uint64_t count_of(std::int64_t value) { return static_cast<std::uint64_t>(value); }

// Writes @p path whole or not at all: a new HDF5 file with the format and round attributes,
// its content written by @p fill.
template <typename Fill>
void write_atomically(const std::string& path, const char* format, std::int64_t round, Fill&& fill) {
  AtomicOutput output(path);
  {
    auto file = h5::File::create(output.temporary_path());
    file.set_attribute("format", std::string(format));
    file.set_attribute("round", round);
    fill(file);
    file.flush();
  }
  output.commit();
}

}  // namespace

void write_review_maps(const std::string& path, const ReviewMaps& maps) {
  const auto b = maps.indices.size();
  const auto pixels = count_of(maps.side * maps.side);
  SALIENT_CHECK(maps.saliency.size() == b * pixels && maps.probabilities.size() == b * count_of(maps.classes) &&
                    maps.targets.size() == b,
                "review maps for '{}' do not fit {} images of {}x{} with {} classes", path, b, maps.side, maps.side,
                maps.classes);
  std::vector<Float16> saliency(maps.saliency.size());
  for (std::size_t i = 0; i < saliency.size(); ++i) saliency[i] = to_float16(maps.saliency[i]);
  const auto side = count_of(maps.side);
  write_atomically(path, kReviewFormat, maps.round, [&](h5::File& file) {
    file.set_attribute("method", maps.method);
    file.write("index", {b}, maps.indices.data());
    file.write("saliency", {b, side, side}, saliency.data(), {{1, side, side}, 4});
    file.write("probability", {b, count_of(maps.classes)}, maps.probabilities.data());
    file.write("target", {b}, maps.targets.data());
  });
}

ReviewMaps read_review_maps(const std::string& path) {
  const auto file = open_checked(path, kReviewFormat);
  ReviewMaps maps;
  maps.round = file.int_attribute("round");
  maps.method = file.string_attribute("method");
  maps.indices = file.read<std::int64_t>("index");
  const auto b = maps.indices.size();
  const auto saliency_shape = file.dataset("saliency").shape();
  SALIENT_CHECK(saliency_shape.size() == 3 && saliency_shape[1] == saliency_shape[2] && saliency_shape[1] > 0,
                "'{}', dataset 'saliency' is not B×S×S", path);
  maps.side = static_cast<std::int64_t>(saliency_shape[1]);
  const auto half = read_shaped<Float16>(file, "saliency", {b, saliency_shape[1], saliency_shape[1]});
  maps.saliency.resize(half.size());
  for (std::size_t i = 0; i < half.size(); ++i) maps.saliency[i] = to_float(half[i]);
  const auto probability_shape = file.dataset("probability").shape();
  SALIENT_CHECK(probability_shape.size() == 2, "'{}', dataset 'probability' is not B×C", path);
  maps.classes = static_cast<std::int64_t>(probability_shape[1]);
  maps.probabilities = read_shaped<float>(file, "probability", {b, probability_shape[1]});
  maps.targets = read_shaped<std::int64_t>(file, "target", {b});
  for (std::size_t i = 0; i < b; ++i) {
    SALIENT_CHECK(maps.targets[i] >= 0 && maps.targets[i] < maps.classes,
                  "'{}', dataset 'target', index {}: class {} is not one of the {} classes", path, i, maps.targets[i],
                  maps.classes);
  }
  return maps;
}

void write_feedback_masks(const std::string& path, const FeedbackMasks& feedback) {
  const auto m = feedback.indices.size();
  const auto g = count_of(feedback.grid);
  SALIENT_CHECK(feedback.grid > 0 && feedback.annotators.size() == m && feedback.masks.size() == m * g * g,
                "feedback for '{}' does not fit {} masks of a {}x{} grid", path, m, feedback.grid, feedback.grid);
  write_atomically(path, kFeedbackFormat, feedback.round, [&](h5::File& file) {
    file.set_attribute("grid", feedback.grid);
    file.write("index", {m}, feedback.indices.data());
    file.write_strings("annotator", feedback.annotators);
    file.write("mask", {m, g, g}, feedback.masks.data());
  });
}

FeedbackMasks read_feedback_masks(const std::string& path) {
  const auto file = open_checked(path, kFeedbackFormat);
  FeedbackMasks feedback;
  feedback.round = file.int_attribute("round");
  feedback.grid = file.int_attribute("grid");
  SALIENT_CHECK(feedback.grid > 0, "'{}': grid {} is not positive", path, feedback.grid);
  feedback.indices = file.read<std::int64_t>("index");
  const auto m = feedback.indices.size();
  const auto g = count_of(feedback.grid);
  feedback.annotators = file.read_strings("annotator");
  SALIENT_CHECK(feedback.annotators.size() == m, "'{}', dataset 'annotator' has {} names for {} masks", path,
                feedback.annotators.size(), m);
  feedback.masks = read_shaped<std::uint8_t>(file, "mask", {m, g, g});
  for (std::size_t i = 0; i < feedback.masks.size(); ++i) {
    SALIENT_CHECK(feedback.masks[i] <= 1, "'{}', dataset 'mask', mask {}: value {} is neither 0 nor 1", path,
                  i / (g * g), feedback.masks[i]);
  }
  return feedback;
}

}  // namespace salient::io
