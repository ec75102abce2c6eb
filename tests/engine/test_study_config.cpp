// salient.toml: defaults, the round trip through the file, command-line overrides, errors
// that name the file, line and key, and what scoring and selection take from a configuration.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "engine/criteria/criterion_families.h"
#include "engine/round/study_config.h"
#include "support/expect_error.h"
#include "support/flat_temp_dir.h"

namespace salient::round {
namespace {

using testing::error_of;
using testing::expect_error_naming;

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

class StudyConfigFiles : public ::testing::Test {
 protected:
  std::string file(const std::string& name) const { return directory_ / name; }

  testing::FlatTempDir directory_;
};

/// A value other than the default for every key.
const std::vector<std::pair<std::string, std::string>>& other_values() {
  static const std::vector<std::pair<std::string, std::string>> values{
      {"pool.pool", "/pools/chexpert"},
      {"pool.fingerprint", "3f9c0a51d2e847b6a0c4e1f27b3d9e58:0123456789abcdef"},
      {"model.model", "resnet18"},
      {"model.weights", "/weights/resnet18.pt"},
      {"model.input_size", "224"},
      {"model.wildcat", "true"},
      {"scoring.criteria", "bald, glcm_Idn"},
      {"scoring.batch_size", "8"},
      {"scoring.precision", "bf16"},
      {"scoring.channels_last", "true"},
      {"scoring.deterministic", "true"},
      {"scoring.threads", "3"},
      {"scoring.on_bad_image", "skip"},
      {"scoring.seed", "42"},
      {"scoring.embeddings", "fp32"},
      {"scoring.mc_dropout.samples", "5"},
      {"scoring.mc_dropout.rate", "0.25"},
      {"scoring.mc_dropout.placement", "throughout"},
      {"scoring.patches.views", "4"},
      {"scoring.patches.max_rotation_degrees", "5"},
      {"scoring.patches.min_zoom", "0.9"},
      {"scoring.patches.max_zoom", "1.1"},
      {"scoring.patches.max_shift", "0.1"},
      {"scoring.patches.flip_probability", "0.5"},
      {"scoring.patches.alpha", "0.5"},
      {"scoring.patches.lambda1", "2"},
      {"scoring.patches.lambda2", "0.5"},
      {"scoring.firstorder.bin_count", "16"},
      {"scoring.firstorder.voxel_array_shift", "1"},
      {"scoring.glcm.bin_count", "24"},
      {"scoring.glcm.distances", "1,2"},
      {"scoring.glrlm.bin_count", "8"},
      {"scoring.glszm.bin_count", "10"},
      {"scoring.gldm.bin_count", "12"},
      {"scoring.ngtdm.bin_count", "14"},
      {"scoring.shape2D.threshold", "level"},
      {"scoring.shape2D.quantile", "0.8"},
      {"scoring.shape2D.level", "0.25"},
      {"scoring.alignment.dice_threshold", "0.3"},
      {"saliency.method", "ig"},
      {"saliency.layer", "layer3"},
      {"saliency.ig_steps", "16"},
      {"saliency.ig_baseline", "blurred"},
      {"saliency.blur_sigma", "4.5"},
      {"saliency.smoothgrad_samples", "8"},
      {"saliency.smoothgrad_noise", "0.2"},
      {"strategy.strategy", "borda"},
      {"strategy.budget", "16"},
      {"strategy.reverse", "true"},
      {"strategy.lambda", "0.25"},
      {"strategy.omega", "3"},
      {"strategy.criterion", "diversity"},
      {"strategy.criteria", "entropy, glcm_Idn:ascending"},
      {"strategy.x", "4"},
      {"strategy.m", "2"},
      {"strategy.clusters", "8"},
      {"strategy.sample", "400"},
      {"strategy.k", "6"},
      {"strategy.latent", "16"},
      {"strategy.map_size", "24"},
      {"strategy.ae_epochs", "7"},
      {"strategy.ae_every", "2"},
      {"strategy.ae_sample", "900"},
      {"strategy.trees", "30"},
      {"strategy.forest_alpha", "12"},
      {"strategy.forest_beta", "0.1"},
      {"strategy.forest_lambda", "2.0"},
      {"strategy.gain_seeds", "4"},
      {"strategy.gain_epochs", "3"},
      {"strategy.gain_replay", "15"},
      {"training.fine_tuning", "acft-lq"},
      {"training.epochs", "3"},
      {"training.batch_size", "64"},
      {"training.learning_rate", "0.001"},
      {"training.beta1", "0.9"},
      {"training.beta2", "0.99"},
      {"training.augment", "false"},
      {"training.precision", "fp32"},
      {"training.rrr_lambda", "10"},
      {"training.rrr_grid", "4"},
      {"training.guidance_weight", "0.5"},
      {"training.validation_fraction", "0.1"},
      {"training.validation_limit", "500"},
      {"run.rounds", "12"},
      {"run.labels", "human"},
      {"run.target_auc", "0.85"},
      {"run.max_labels", "400"},
      {"run.first_strategy", "entropy"},
  };
  return values;
}

TEST(StudyConfig, DefaultsAreThePapersSettings) {
  const StudyConfig config;
  EXPECT_EQ(config.model.model, "small-cnn");
  EXPECT_EQ(config.model.input_size, 320);
  EXPECT_EQ(config.scoring.batch_size, 32);
  EXPECT_EQ(config.scoring.precision, "fp32");
  EXPECT_EQ(config.scoring.threads, 0);
  EXPECT_EQ(config.scoring.on_bad_image, "fail");
  const auto& parameters = config.scoring.parameters;
  for (const auto* bins : {&parameters.first_order.bins, &parameters.glcm.bins, &parameters.glrlm.bins,
                           &parameters.glszm.bins, &parameters.gldm.bins, &parameters.ngtdm.bins}) {
    EXPECT_EQ(bins->kind, kernels::BinSpec::Kind::count);
    EXPECT_EQ(bins->count, 32);
  }
  EXPECT_EQ(parameters.glcm.distances, std::vector<int>{1});
  EXPECT_EQ(parameters.shape2d.quantile, 0.7);  // IDEAL
  EXPECT_EQ(parameters.alignment.dice_threshold, 0.5);  // EG-AL
  EXPECT_EQ(parameters.mc_dropout.samples, 20);  // IDEAL's T
  EXPECT_EQ(parameters.mc_dropout.rate, 0.5);
  EXPECT_EQ(parameters.mc_dropout.placement, models::DropoutPlacement::head);
  EXPECT_EQ(parameters.patches.views, 8);
  EXPECT_EQ(parameters.patches.max_zoom, 1.25);
  EXPECT_EQ(parameters.acft.alpha, 0.25);  // ACFT
  EXPECT_EQ(config.saliency.method, saliency::Method::gradcam);
  EXPECT_EQ(config.saliency.ig_steps, 32);
  EXPECT_EQ(config.saliency.ig_baseline, saliency::Baseline::black);
  EXPECT_EQ(config.saliency.smoothgrad_samples, 16);
  EXPECT_EQ(config.strategy.name, "entropy");
  EXPECT_TRUE(config.strategy.parameters.empty());
  EXPECT_EQ(config.training.options.learning_rate, 1e-4);  // IDEAL Sec. IV-C
  EXPECT_EQ(config.training.options.beta1, 0.93);
  EXPECT_EQ(config.training.options.precision, runtime::Precision::bf16);

  // The default strategy reads entropy, and scoring needs no budget.
  EXPECT_EQ(criteria_request_of(config, 0).names, std::vector<std::string>{"entropy"});
}

TEST_F(StudyConfigFiles, AnEmptyFileGivesTheDefaults) {
  write_text(file("salient.toml"), "# nothing set\n");
  EXPECT_EQ(load_study_config(file("salient.toml")), StudyConfig{});
}

TEST(StudyConfig, DefaultTomlWritesEveryValue) {
  const std::string text = study_config_toml(StudyConfig{});
  for (const char* line :
       {"[pool]\npool = \"\"\nfingerprint = \"\"\n",
        "[model]\nmodel = \"small-cnn\"\nweights = \"\"\ninput_size = 320\nwildcat = false\n",
        "criteria = []\n", "[scoring.glcm]\nbin_count = 32  #", "distances = [1]  #", "quantile = 0.7  #",
        "[scoring.mc_dropout]\nsamples = 20  # T\nrate = 0.5  #", "placement = \"head\"  #", "min_zoom = 1.0  #",
        "flip_probability = 0.0  #", "[scoring.ngtdm]\nbin_count = 32  #",
        "[saliency]\nmethod = \"gradcam\"\nlayer = \"\"\n",
        "[strategy]\nstrategy = \"entropy\"\n", "[training]\nfine_tuning = \"acft-hq\"\nepochs = 5\n",
        "learning_rate = 0.0001\nbeta1 = 0.93\nbeta2 = 0.999\n",
        "[run]\nrounds = 5\nlabels = \"oracle\"\ntarget_auc = 0.0\nmax_labels = 0\nfirst_strategy = \"random\"\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << "'" << line << "' in:\n" << text;
  }
  EXPECT_EQ(text.back(), '\n');
  // The strategy's parameters without a value are not written.
  const auto strategy = text.substr(text.rfind("[strategy]"));
  EXPECT_EQ(strategy.substr(0, strategy.find("\n\n")), "[strategy]\nstrategy = \"entropy\"");
}

TEST(StudyConfig, EveryKeyHasAValueInTheseTests) {
  std::vector<std::string> keys;
  for (const auto& entry : other_values()) keys.push_back(entry.first);
  EXPECT_EQ(keys, study_config_keys());
}

TEST_F(StudyConfigFiles, EveryKeySurvivesTheRoundTripThroughTheFile) {
  StudyConfig config;
  for (const auto& [key, value] : other_values()) {
    const StudyConfig before = config;
    set_config_value(config, key, value);
    EXPECT_NE(config, before) << key << " changed nothing";
  }
  EXPECT_EQ(config.scoring.criteria, (std::vector<std::string>{"bald", "glcm_Idn"}));
  EXPECT_EQ(config.scoring.parameters.glcm.distances, (std::vector<int>{1, 2}));
  EXPECT_EQ(config.scoring.parameters.shape2d.threshold, kernels::Shape2DParams::Threshold::level);
  EXPECT_EQ(config.training.options.precision, runtime::Precision::fp32);
  EXPECT_EQ(config.strategy.parameters.at("criteria"), "entropy,glcm_Idn:ascending");
  EXPECT_EQ(config.strategy.parameters.at("reverse"), "true");

  write_study_config(file("salient.toml"), config);
  const StudyConfig loaded = load_study_config(file("salient.toml"));
  EXPECT_EQ(loaded, config);
  EXPECT_EQ(study_config_toml(loaded), study_config_toml(config));
  write_study_config(file("defaults.toml"), StudyConfig{});
  EXPECT_EQ(load_study_config(file("defaults.toml")), StudyConfig{});
}

TEST_F(StudyConfigFiles, StringsWithQuotesBackslashesAndControlCharactersRoundTrip) {
  StudyConfig config;
  config.pool.directory = "C:\\pools\\\"chest\" x-rays\tv2\nnext\x7f";
  config.saliency.layer = "trunk.layer4 — ünïcode";
  write_study_config(file("salient.toml"), config);
  EXPECT_EQ(load_study_config(file("salient.toml")), config);
}

TEST_F(StudyConfigFiles, TheCommandLineOverridesTheFile) {
  write_text(file("salient.toml"),
             "[model]\nmodel = \"densenet121\"\n[scoring]\nbatch_size = 64\ncriteria = [\"bald\"]\n"
             "[strategy]\nstrategy = \"eg-al\"\nbudget = 16\nlambda = 0.75\n");
  StudyConfig config = load_study_config(file("salient.toml"));
  set_config_value(config, "strategy.budget", "8");
  set_config_value(config, "scoring.batch_size", "8");
  set_config_value(config, "model.model", "resnet18");
  set_config_value(config, "scoring.criteria", "entropy, glcm");

  EXPECT_EQ(config.model.model, "resnet18");
  EXPECT_EQ(config.scoring.batch_size, 8);
  EXPECT_EQ(config.scoring.criteria, (std::vector<std::string>{"entropy", "glcm"}));
  const auto spec = strategy_spec_of(config, 3);
  EXPECT_EQ(spec.strategy, selection::Strategy::eg_al);
  EXPECT_EQ(spec.budget, 8);
  EXPECT_EQ(spec.lambda, 0.75);
  EXPECT_EQ(spec.round, 3u);
  set_config_value(config, "scoring.criteria", "");
  EXPECT_TRUE(config.scoring.criteria.empty());
}

TEST(StudyConfig, ABadOverrideNamesKeyAndValueAndChangesNothing) {
  StudyConfig config;
  expect_error_naming([&] { set_config_value(config, "scoring.batchsize", "8"); },
                      {"'scoring.batchsize'", "'8'", "scoring.batch_size", "scoring.precision"});
  expect_error_naming([&] { set_config_value(config, "scoring.batch_size", "eight"); },
                      {"'scoring.batch_size'", "'eight'", "expected an integer"});
  expect_error_naming([&] { set_config_value(config, "scoring.batch_size", "0"); }, {"at least 1, got 0"});
  expect_error_naming([&] { set_config_value(config, "scoring.precision", "fp8"); }, {"'fp8'", "fp32, bf16 or fp16"});
  expect_error_naming([&] { set_config_value(config, "model.wildcat", "yes"); }, {"expected true or false"});
  expect_error_naming([&] { set_config_value(config, "scoring.criteria", "entropy,,bald"); }, {"empty item"});
  expect_error_naming([&] { set_config_value(config, "scoring.criteria", "entropie"); }, {"entropie"});
  expect_error_naming([&] { set_config_value(config, "strategy.strategy", "bayes"); }, {"'bayes'", "eg-al"});
  expect_error_naming([&] { set_config_value(config, "strategy.seed", "3"); }, {"unknown key", "strategy.budget"});
  expect_error_naming([&] { set_config_value(config, "nope", "1"); }, {"known keys: pool.pool", "strategy.x"});
  EXPECT_EQ(config, StudyConfig{});
}

TEST_F(StudyConfigFiles, AnUnknownKeyOrTableNamesFileLineAndKey) {
  const auto path = file("salient.toml");
  write_text(path, "[model]\nmodel = \"resnet18\"\n\n[scoring]\nbatchsize = 3\n");
  expect_error_naming([&] { load_study_config(path); },
                      {path, "line 5", "'scoring.batchsize'", "unknown key", "scoring.batch_size"});
  write_text(path, "[scoring]\nbatch_size = 3\n[scoring.mcdropout]\nsamples = 3\n");
  expect_error_naming([&] { load_study_config(path); },
                      {path, "line 3", "unknown table [scoring.mcdropout]", "[scoring.mc_dropout]"});
  write_text(path, "seed = 3\n");
  expect_error_naming([&] { load_study_config(path); }, {path, "line 1", "'seed'", "scoring.seed"});
  write_text(path, "[strategy]\nstrategy = \"acft\"\nalpha = 0.5\n");
  expect_error_naming([&] { load_study_config(path); }, {path, "line 3", "'strategy.alpha'", "strategy.omega"});
  write_text(path, "[model]\nmodel = \"resnet18\"\ninput_size = = 3\n");
  expect_error_naming([&] { load_study_config(path); }, {path, "line 3"});
  expect_error_naming([&] { load_study_config(file("missing.toml")); }, {file("missing.toml"), "not a file"});
}

TEST_F(StudyConfigFiles, AValueOfTheWrongTypeNamesFileLineKeyAndTypes) {
  const auto path = file("salient.toml");
  const auto error_for = [&](const std::string& text) {
    write_text(path, text);
    return error_of([&] { load_study_config(path); });
  };
  const auto batch = error_for("[scoring]\nthreads = 2\nbatch_size = \"32\"\n");
  for (const char* part : {"line 3", "'scoring.batch_size'", "expected an integer, got a string"})
    EXPECT_NE(batch.find(part), std::string::npos) << part << " in: " << batch;
  EXPECT_NE(batch.find(path), std::string::npos) << batch;
  EXPECT_NE(error_for("[model]\nwildcat = 1\n").find("expected a boolean"), std::string::npos);
  EXPECT_NE(error_for("[scoring]\ncriteria = \"entropy\"\n").find("expected an array, got a string"),
            std::string::npos);
  EXPECT_NE(error_for("[scoring.glcm]\ndistances = [1, 2.5]\n").find("expected an integer, got a float"),
            std::string::npos);
  EXPECT_NE(error_for("[scoring]\nthreads = 3000000000\n").find("out of range"), std::string::npos);
  EXPECT_NE(error_for("[scoring]\nseed = -1\n").find("non-negative"), std::string::npos);
  EXPECT_NE(error_for("[strategy]\nbudget = 1.5\n").find("'strategy.budget': expected an integer, got a float"),
            std::string::npos);
  EXPECT_NE(error_for("[strategy]\ncriterion = \"both\"\n").find("entropy+diversity, got 'both'"),
            std::string::npos);
  EXPECT_NE(error_for("[scoring.mc_dropout]\nplacement = \"tail\"\n").find("expected head | throughout, got 'tail'"),
            std::string::npos);
  EXPECT_NE(error_for("[scoring.glrlm]\nbin_count = 0\n").find("glrlm"), std::string::npos);
  EXPECT_NE(error_for("[saliency]\nblur_sigma = inf\n").find("finite"), std::string::npos);

  // A float key takes an integer as well.
  write_text(path, "[scoring.mc_dropout]\nrate = 0\n[strategy]\nlambda = 1\n");
  const StudyConfig config = load_study_config(path);
  EXPECT_EQ(config.scoring.parameters.mc_dropout.rate, 0.0);
  EXPECT_EQ(config.strategy.parameters.at("lambda"), "1");
}

TEST(StudyConfig, EgAlScoresEntropyAndHardDiceThenTheExtraCriteria) {
  StudyConfig config;
  config.strategy.name = "eg-al";
  config.scoring.criteria = {"glcm_SumEntropy", "entropy", "shape2D"};
  config.scoring.seed = 11;
  config.scoring.parameters.set_bins(kernels::BinSpec::bin_count(16));
  config.scoring.parameters.glcm.distances = {1, 3};
  config.scoring.parameters.alignment.dice_threshold = 0.4;
  config.scoring.parameters.mc_dropout.samples = 7;
  config.scoring.parameters.patches.views = 5;
  const auto request = criteria_request_of(config, 2);

  std::vector<std::string> expected{"entropy", "alignment_HardDice", "glcm_SumEntropy"};
  for (const auto& info : kernels::kShape2DFeatures) expected.emplace_back(info.name);
  EXPECT_EQ(request.names, expected);
  EXPECT_EQ(request.first_order.bins.kind, kernels::BinSpec::Kind::count);
  EXPECT_EQ(request.first_order.bins.count, 16);
  EXPECT_EQ(request.glcm.bins.count, 16);
  EXPECT_EQ(request.glcm.distances, (std::vector<int>{1, 3}));
  EXPECT_EQ(request.shape2d.quantile, 0.7);
  EXPECT_EQ(request.alignment.dice_threshold, 0.4);
  EXPECT_EQ(request.mc_dropout.samples, 7);
  EXPECT_EQ(request.mc_dropout.seed, 11u);
  EXPECT_EQ(request.mc_dropout.round, 2u);
  EXPECT_EQ(request.patches.views, 5);
  EXPECT_EQ(request.patches.seed, 11u);
  EXPECT_EQ(request.patches.round, 2u);

  // λ = 1 is plain misalignment: entropy is then only read as an extra criterion.
  config.strategy.parameters["lambda"] = "1";
  config.scoring.criteria = {"bald"};
  EXPECT_EQ(criteria_request_of(config, 0).names, (std::vector<std::string>{"alignment_HardDice", "bald"}));
}

TEST(StudyConfig, AcftScoresItsPatchCriterionWithTheScoringAlpha) {
  StudyConfig config;
  config.strategy.name = "acft";
  config.scoring.parameters.acft.alpha = 0.5;
  config.scoring.parameters.acft.lambda2 = 0.0;
  config.strategy.parameters = {{"budget", "4"}, {"criterion", "entropy"}};
  const auto request = criteria_request_of(config, 1);
  EXPECT_EQ(request.names, std::vector<std::string>{"acft_entropy"});
  EXPECT_EQ(request.acft.alpha, 0.5);
  EXPECT_EQ(request.acft.lambda2, 0.0);
  const auto spec = strategy_spec_of(config, 1);
  EXPECT_EQ(spec.alpha, 0.5);
  EXPECT_EQ(spec.acft_criterion, selection::AcftCriterion::entropy);

  config.strategy.name = "random";
  expect_error_naming([&] { criteria_request_of(config, 0); }, {"strategy 'random'"});
  config.strategy.parameters.clear();
  // random reads no criterion: the round records the prediction criteria.
  EXPECT_EQ(criteria_request_of(config, 0).names,
            (std::vector<std::string>{"entropy", "margin", "least_confidence"}));
}

TEST(StudyConfig, SaliencyOptionsAndStrategySpecCarrySeedAndRound) {
  StudyConfig config;
  config.saliency.method = saliency::Method::smoothgrad;
  config.saliency.layer = "layer3";
  config.saliency.ig_steps = 8;
  config.saliency.ig_baseline = saliency::Baseline::blurred;
  config.saliency.blur_sigma = 2.5;
  config.saliency.smoothgrad_samples = 4;
  config.saliency.smoothgrad_noise = 0.3;
  config.scoring.seed = 9;
  const auto options = saliency_options_of(config, 4);
  EXPECT_EQ(options.method, saliency::Method::smoothgrad);
  EXPECT_EQ(options.layer, "layer3");
  EXPECT_EQ(options.ig_steps, 8);
  EXPECT_EQ(options.ig_baseline, saliency::Baseline::blurred);
  EXPECT_EQ(options.blur_sigma, 2.5);
  EXPECT_EQ(options.smoothgrad_samples, 4);
  EXPECT_EQ(options.smoothgrad_noise, 0.3);
  EXPECT_EQ(options.seed, 9u);
  EXPECT_EQ(options.round, 4u);

  expect_error_naming([&] { strategy_spec_of(config, 4); }, {"strategy 'entropy'", "budget"});
  config.strategy.parameters["budget"] = "5";
  const auto spec = strategy_spec_of(config, 4);
  EXPECT_EQ(spec.budget, 5);
  EXPECT_EQ(spec.seed, 9u);
  EXPECT_EQ(spec.round, 4u);
}

TEST(StudyConfig, TheFingerprintFollowsWhatDeterminesScores) {
  StudyConfig config;
  config.pool.directory = "/pools/a";
  config.pool.fingerprint = "0f1e2d3c:0123456789abcdef";
  config.scoring.criteria = {"firstorder_Entropy", "acft_score"};
  const auto base = scoring_fingerprint(config, 0);
  EXPECT_EQ(base.find('\n'), std::string::npos);
  EXPECT_NE(base.find("\"names\":[\"entropy\",\"firstorder_Entropy\",\"acft_score\"]"), std::string::npos) << base;
  // The pool by its fingerprint, not its path: a moved pool resumes its tables.
  EXPECT_NE(base.find("\"pool\":\"0f1e2d3c:0123456789abcdef\""), std::string::npos) << base;
  EXPECT_EQ(scoring_fingerprint(config, 0), base);

  const auto changed = [&](const std::string& key, const std::string& value) {
    StudyConfig other = config;
    set_config_value(other, key, value);
    return scoring_fingerprint(other, 0) != base;
  };
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"scoring.seed", "1"},
           {"pool.fingerprint", "0f1e2d3c:fedcba9876543210"},
           {"scoring.criteria", "bald"},
           {"scoring.firstorder.bin_count", "16"},
           {"scoring.firstorder.voxel_array_shift", "2"},
           {"scoring.patches.alpha", "0.5"},
           {"scoring.patches.views", "3"},
           {"saliency.method", "grad"},
           {"model.weights", "w.pt"},
           {"scoring.precision", "bf16"},
           {"strategy.strategy", "margin"},  // reads another criterion
       }) {
    EXPECT_TRUE(changed(key, value)) << key;
  }
  EXPECT_NE(scoring_fingerprint(config, 1), base);
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"scoring.threads", "4"},
           {"pool.pool", "/moved/a"},
           {"scoring.on_bad_image", "skip"},
           {"strategy.budget", "32"},
           {"strategy.reverse", "true"},
           {"strategy.strategy", "hitl-entropy"},  // reads entropy too
           // Families no criterion reads: their parameters change no score.
           {"scoring.glcm.bin_count", "16"},
           {"scoring.mc_dropout.samples", "5"},
           {"scoring.alignment.dice_threshold", "0.25"},
       }) {
    EXPECT_FALSE(changed(key, value)) << key;
  }
}

TEST_F(StudyConfigFiles, KeysOfEarlierVersionsStillLoad) {
  const auto path = file("salient.toml");
  write_text(path,
             "[scoring]\nbin_count = 16\nglcm_distances = [1, 2]\nshape2d_quantile = 0.9\ndice_threshold = 0.25\n"
             "[scoring.acft]\nviews = 3\nalpha = 0.5\n");
  const StudyConfig config = load_study_config(path);
  const auto& parameters = config.scoring.parameters;
  for (const auto* bins : {&parameters.first_order.bins, &parameters.glcm.bins, &parameters.glrlm.bins,
                           &parameters.glszm.bins, &parameters.gldm.bins, &parameters.ngtdm.bins})
    EXPECT_EQ(bins->count, 16);
  EXPECT_EQ(parameters.glcm.distances, (std::vector<int>{1, 2}));
  EXPECT_EQ(parameters.shape2d.quantile, 0.9);
  EXPECT_EQ(parameters.alignment.dice_threshold, 0.25);
  EXPECT_EQ(parameters.patches.views, 3);
  EXPECT_EQ(parameters.acft.alpha, 0.5);
  // Written back under the new keys only.
  const auto text = study_config_toml(config);
  EXPECT_EQ(text.find("glcm_distances"), std::string::npos);
  EXPECT_NE(text.find("[scoring.patches]\nviews = 3  #"), std::string::npos) << text;
}

TEST(StudyConfig, EveryFamilyWithParametersHasASectionOfItsOwn) {
  // Each key of a [scoring.<family>] section reaches the request criteria_request_of builds.
  for (const auto& family : criteria::criterion_families()) {
    for (const auto& parameter : family.parameters) {
      const auto key = "scoring." + std::string(family.name) + "." + parameter.name;
      EXPECT_NE(std::find(study_config_keys().begin(), study_config_keys().end(), key), study_config_keys().end())
          << key;
    }
  }
  StudyConfig config;
  config.scoring.criteria = {"glrlm", "ngtdm"};
  set_config_value(config, "scoring.glrlm.bin_count", "7");
  set_config_value(config, "scoring.ngtdm.bin_count", "9");
  const auto request = criteria_request_of(config, 0);
  EXPECT_EQ(request.glrlm.bins.count, 7);
  EXPECT_EQ(request.ngtdm.bins.count, 9);
  EXPECT_EQ(request.glcm.bins.count, 32);
}

}  // namespace
}  // namespace salient::round
