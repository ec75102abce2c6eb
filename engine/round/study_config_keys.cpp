// The keys of salient.toml: each section's fields, lifted into StudyConfig, and the sections'
// comments. Families' sections come from the family table (CriterionFamily::parameters), so
// a family's parameters become keys by being listed there.
#include <fmt/format.h>

#include "engine/criteria/criterion_families.h"
#include "engine/models/model_spec.h"
#include "engine/round/study_config.h"
#include "engine/runtime/field_text.h"
#include "salient/check.h"

namespace salient::round {
namespace {

using runtime::field;
using runtime::FieldTable;

template <typename Section>
void add_section(FieldTable<StudyConfig>& keys, Section StudyConfig::*section, const std::string& name,
                 const FieldTable<Section>& fields) {
  const auto lifted = runtime::lift<StudyConfig, Section>(
      fields, [section](StudyConfig& config) -> Section& { return config.*section; }, name + ".");
  keys.insert(keys.end(), lifted.begin(), lifted.end());
}

std::function<void(const std::string&)> precision_name() {
  return [](const std::string& name) { runtime::parse_precision(name); };
}

std::function<void(const std::string&)> strategy_name() {
  return [](const std::string& name) { selection::parse_strategy(name); };
}

FieldTable<PoolSection> pool_fields() {
  return {field("pool", &PoolSection::directory, ""), field("fingerprint", &PoolSection::fingerprint, "")};
}

FieldTable<ModelSection> model_fields() {
  return {field("model", &ModelSection::model, ""), field("weights", &ModelSection::weights, ""),
          field("input_size", &ModelSection::input_size, "", runtime::at_least(std::int64_t{1})),
          field("wildcat", &ModelSection::wildcat, "")};
}

FieldTable<ScoringSection> scoring_fields() {
  using S = ScoringSection;
  const std::function<void(const std::vector<std::string>&)> known_criteria = [](const auto& names) {
    if (!names.empty()) criteria::parse_criteria_list(fmt::format("{}", fmt::join(names, ",")));
  };
  return {field("criteria", &S::criteria, "", known_criteria),
          field("batch_size", &S::batch_size, "", runtime::at_least(std::int64_t{1})),
          field("precision", &S::precision, "", precision_name()),
          field("channels_last", &S::channels_last, ""),
          field("deterministic", &S::deterministic, ""),
          field("threads", &S::threads, "", runtime::at_least(0)),
          field("on_bad_image", &S::on_bad_image, "", runtime::one_of({"fail", "skip"})),
          field("seed", &S::seed, ""),
          field("embeddings", &S::embeddings, "", runtime::one_of({"auto", "off", "fp16", "fp32"}))};
}

FieldTable<saliency::SaliencyOptions> saliency_fields() {
  using O = saliency::SaliencyOptions;
  std::vector<std::pair<std::string, saliency::Method>> methods;
  for (const auto method : saliency::every_method())
    methods.emplace_back(saliency::method_name(method), method);
  return {runtime::choice_field("method", &O::method, methods, ""),
          field("layer", &O::layer, ""),
          field("ig_steps", &O::ig_steps, "", runtime::at_least(1)),
          runtime::choice_field("ig_baseline", &O::ig_baseline,
                                {{"black", saliency::Baseline::black}, {"blurred", saliency::Baseline::blurred}}, ""),
          field("blur_sigma", &O::blur_sigma, "", runtime::positive()),
          field("smoothgrad_samples", &O::smoothgrad_samples, "", runtime::at_least(1)),
          field("smoothgrad_noise", &O::smoothgrad_noise, "", runtime::not_negative())};
}

FieldTable<StrategySection> strategy_fields() {
  return {field("strategy", &StrategySection::name, "", strategy_name())};
}

FieldTable<TrainingSection> training_fields() {
  using T = TrainingSection;
  using O = training::TrainingOptions;
  const auto options = [](const FieldTable<O>& fields) {
    return runtime::lift<T, O>(fields, [](T& section) -> O& { return section.options; }, "");
  };
  std::vector<std::pair<std::string, runtime::Precision>> precisions;
  for (const auto precision : {runtime::Precision::fp32, runtime::Precision::bf16, runtime::Precision::fp16})
    precisions.emplace_back(runtime::precision_name(precision), precision);
  FieldTable<T> fields{field("fine_tuning", &T::fine_tuning, "",
                             runtime::one_of({"rft", "aft", "acft-q", "acft-lq", "acft-hq"})),
                       field("epochs", &T::epochs, "", runtime::at_least(std::int64_t{1}))};
  for (auto& entry : options({field("batch_size", &O::batch_size, "", runtime::at_least(std::int64_t{1})),
                              field("learning_rate", &O::learning_rate, "", runtime::positive()),
                              field("beta1", &O::beta1, "", runtime::within(0, 1, false, true)),
                              field("beta2", &O::beta2, "", runtime::within(0, 1, false, true)),
                              field("augment", &O::augment, ""),
                              runtime::choice_field("precision", &O::precision, precisions, ""),
                              field("rrr_lambda", &O::rrr_lambda, "", runtime::not_negative()),
                              field("rrr_grid", &O::rrr_grid, "", runtime::at_least(std::int64_t{1})),
                              field("guidance_weight", &O::guidance_weight, "", runtime::not_negative())}))
    fields.push_back(std::move(entry));
  using V = training::ValidationSplitOptions;
  for (auto& entry : runtime::lift<T, V>(
           {field("validation_fraction", &V::fraction, "", runtime::within(0, 1, true, true)),
            field("validation_limit", &V::limit, "", runtime::at_least(std::int64_t{0}))},
           [](T& section) -> V& { return section.validation; }, ""))
    fields.push_back(std::move(entry));
  return fields;
}

FieldTable<RunSection> run_fields() {
  using R = RunSection;
  return {field("rounds", &R::rounds, "", runtime::at_least(std::int64_t{1})),
          field("labels", &R::labels, "", runtime::one_of({"oracle", "human"})),
          field("target_auc", &R::target_auc, "", runtime::within(0, 1)),
          field("max_labels", &R::max_labels, "", runtime::at_least(std::int64_t{0})),
          field("first_strategy", &R::first_strategy, "", strategy_name())};
}

FieldTable<StudyConfig> make_fields() {
  FieldTable<StudyConfig> keys;
  add_section(keys, &StudyConfig::pool, "pool", pool_fields());
  add_section(keys, &StudyConfig::model, "model", model_fields());
  add_section(keys, &StudyConfig::scoring, "scoring", scoring_fields());
  for (const auto& family : criteria::criterion_families()) {
    const auto lifted = runtime::lift<StudyConfig, criteria::CriteriaRequest>(
        family.parameters, [](StudyConfig& config) -> criteria::CriteriaRequest& { return config.scoring.parameters; },
        fmt::format("scoring.{}.", family.name));
    keys.insert(keys.end(), lifted.begin(), lifted.end());
  }
  add_section(keys, &StudyConfig::saliency, "saliency", saliency_fields());
  add_section(keys, &StudyConfig::strategy, "strategy", strategy_fields());
  add_section(keys, &StudyConfig::training, "training", training_fields());
  add_section(keys, &StudyConfig::run, "run", run_fields());
  return keys;
}

std::vector<ConfigSection> make_sections() {
  std::vector<ConfigSection> sections{
      {"pool",
       "The pool directory (`salient pack`, `salient synth`), and the fingerprint of the pool the\n"
       "study was made with (its manifest, CRCs and pool id; written by the first job)."},
      {"model",
       "A built-in architecture (small-cnn, resnet18, resnet50, densenet121) with a torch.save\n"
       "state_dict as weights, or random weights from scoring.seed (weights = \"\"); or a salient\n"
       "checkpoint or TorchScript file as model. wildcat adds a WILDCAT head to a built-in one."},
      {"scoring",
       "`salient score`: the criteria the strategy reads, plus `criteria` (names, or family names;\n"
       "`salient score --help` lists both). precision fp32 | bf16 | fp16; threads 0 = the node's\n"
       "cores shared among its ranks; on_bad_image fail | skip.\n"
       "seed keys new built-in weights, MC dropout, ACFT views, SmoothGrad, random and acft draws,\n"
       "and the validation split. embeddings: each image's pooled trunk features in the tables,\n"
       "auto (fp16 when the strategy measures distances: coreset, badge, cluster-margin, diverse:S) |\n"
       "off | fp16 | fp32; the class probabilities are stored with them.\n"
       "Each family's parameters follow in [scoring.<family>]."}};
  for (const auto& family : criteria::criterion_families()) {
    if (family.parameters.empty()) continue;
    sections.push_back({fmt::format("scoring.{}", family.name),
                        fmt::format("The {} family ({} criteria; reads the {}).", family.name,
                                    family.criteria.size(), family.needs)});
  }
  sections.insert(
      sections.end(),
      {{"saliency",
        "Maps: method " + saliency::method_names(" | ") + "; layer = Grad-CAM's\n"
        "stage (\"\" = the trunk's output); Integrated Gradients' steps and baseline black | blurred\n"
        "(Gaussian of blur_sigma pixels; DeepLIFT's reference too); SmoothGrad's samples and noise\n"
        "(σ / (max − min))."},
       {"strategy",
        "`salient select`: the strategy and its parameters: budget, reverse (false); eg-al lambda\n"
        "(0.5); acft omega (5), criterion (entropy+diversity); borda criteria; hitl-entropy x.\n"
        "ACFT's alpha is scoring.patches.alpha."},
       {"training",
        "`salient tune`: fine_tuning rft | aft (from round 0's model, all labels) | acft-q (from the\n"
        "last model, new labels) | acft-lq (last model, all labels) | acft-hq (last model, new labels\n"
        "and those it misclassifies); epochs; batch_size over all ranks; Adam's learning_rate, beta1,\n"
        "beta2; augment (IDEAL's rotation, shift, scale); precision: autocast on a GPU (the CPU trains\n"
        "in fp32); HITL's rrr_lambda on a grid of rrr_grid² cells and EG-AL's guidance_weight (0 = off);\n"
        "the patient-level validation split: validation_fraction of the patients, at most\n"
        "validation_limit images."},
       {"run",
        "`salient run`: at most `rounds` rounds of score, select strategy.budget images, label,\n"
        "fine-tune, evaluate; labels oracle (the pool's) | human (`salient labels import`); stop at\n"
        "target_auc (0 = never) or before passing max_labels (0 = no limit); round 0 selects with\n"
        "first_strategy, before the model has learnt anything."}});
  return sections;
}

}  // namespace

const runtime::FieldTable<StudyConfig>& study_config_fields() {
  static const auto fields = make_fields();
  return fields;
}

const std::vector<ConfigSection>& study_config_sections() {
  static const auto sections = make_sections();
  return sections;
}

void check_study_config(const StudyConfig& config) {
  // A built-in model's smallest input (models::smallest_input_size); files are checked when opened.
  if (const auto architecture = models::find_builtin_architecture(config.model.model)) {
    models::ModelSpec spec;
    spec.architecture = *architecture;
    spec.input_size = config.model.input_size;
    try {
      models::check_input_size(spec);
    } catch (const Error& error) {
      throw Error(fmt::format("key 'model.input_size': {}", error.what()));
    }
  }
  for (const auto& family : criteria::criterion_families()) {
    criteria::check_parameters(config.scoring.parameters, family);
  }
}

}  // namespace salient::round
