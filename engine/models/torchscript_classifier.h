// A classifier loaded from a TorchScript file (torch.jit.save), for models salient does
// not build itself. The convention a scripted module follows (docs/models.md, "TorchScript
// models"; scripts/export_torchscript.py writes such modules from torchvision models):
//
//   forward(x)  x: N×in_channels×S×S model input  →  logits N×C            (required)
//   trunk(x)    →  trunk output N×K×h×w        (@torch.jit.export; Grad-CAM, head-only MC dropout)
//   head(f)     →  logits N×C, with forward(x) == head(trunk(x))           (@torch.jit.export)
//
// Optional attributes, read when present and otherwise taken from the caller's hint:
//   salient_output        str  "multi-label" or "multi-class"
//   salient_classes       int  C
//   salient_in_channels   int  input channels
//   salient_input_size    int  S
//
// A module without trunk and head still gives logits and every input-gradient saliency
// method (gradient, grad×input, IG, SmoothGrad); trunk(), head() and so Grad-CAM throw
// salient::Error naming the file and the missing method. The only tappable stage is the
// trunk's output ("trunk"); a scripted module has no WILDCAT class maps.
#pragma once

#include <memory>
#include <string>

#include "engine/models/classifier.h"

namespace salient::models {

/// Loads the TorchScript module at @p path onto the CPU, in eval mode. The returned
/// classifier's spec is @p hint with architecture = torchscript, overridden by the module's
/// salient_* attributes. Throws salient::Error naming @p path when the file is missing,
/// is not TorchScript, or has no forward method.
std::unique_ptr<Classifier> load_torchscript_classifier(const std::string& path, const ModelSpec& hint);

}  // namespace salient::models
