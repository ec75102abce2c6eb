"""zennit 0.5.1 reference relevance for salient's LRP z+ (tests/engine/test_lrp.cpp).

Usage: lrp_reference.py OUTPUT_DIR
Writes OUTPUT_DIR/lrp_<model>_state_dict.pt and OUTPUT_DIR/lrp_reference.h5 with, per
model, "<model>/input", "<model>/targets", "<model>/logits" and "<model>/relevance"
(N×in_channels×S×S), and "bounds" = [low, high] of the z^B rule.

Rules (engine/saliency/lrp.h): ZBox(low, high) on the first convolution, ZPlus with the
bias left out on the other convolutions and linear layers, Pass on batch norms and ReLUs,
Norm on average pooling and on ResNet's residual sums (zennit's ResNet block canonizers,
without SequentialMergeBatchNorm: salient passes relevance through batch norms).
"""
import os
import sys

import h5py
import numpy as np
import torch
from torch import nn
from zennit.composites import SpecialFirstLayerMapComposite
from zennit.layer import Sum
from zennit.rules import Norm, Pass, ZBox, ZPlus
from zennit.torchvision import ResNetBasicBlockCanonizer, ResNetBottleneckCanonizer
from zennit.types import Activation, AvgPool, BatchNorm, Convolution

from reference_models import DenseNetWithModules, build

LOW, HIGH = -1.0, 2.0

# name, in_channels, classes, input size, targets
CASES = [
    ("small_cnn", 1, 3, 32, [2, 0]),
    ("densenet121", 1, 2, 32, [1, 0]),
    ("resnet18", 1, 2, 32, [0, 1]),
    ("resnet50", 1, 2, 32, [1, 1]),
]


def relevance(model, x, targets):
    composite = SpecialFirstLayerMapComposite(
        layer_map=[
            (Activation, Pass()),
            (BatchNorm, Pass()),
            (AvgPool, Norm()),
            (Sum, Norm()),
            (Convolution, ZPlus(zero_params="bias")),
            (nn.Linear, ZPlus(zero_params="bias")),
        ],
        first_map=[(Convolution, ZBox(LOW, HIGH))],
        canonizers=[ResNetBasicBlockCanonizer(), ResNetBottleneckCanonizer()],
    )
    x = x.clone().requires_grad_(True)
    with composite.context(model) as modified:
        logits = modified(x)
        rows = torch.arange(len(targets))
        output_relevance = torch.zeros_like(logits)
        output_relevance[rows, targets] = logits[rows, targets].detach()
        (result,) = torch.autograd.grad(logits, x, output_relevance)
    return logits.detach(), result


def main(output_dir):
    os.makedirs(output_dir, exist_ok=True)
    # Written under a temporary name and renamed last: the build sees it whole or not at all.
    path = os.path.join(output_dir, "lrp_reference.h5")
    with h5py.File(path + ".tmp", "w") as out:
        out["bounds"] = np.array([LOW, HIGH], dtype=np.float64)
        for seed, (name, in_channels, classes, size, targets) in enumerate(CASES):
            model = build(name, in_channels, classes, seed=200 + seed)
            torch.save(model.state_dict(), os.path.join(output_dir, f"lrp_{name}_state_dict.pt"))
            x = LOW + (HIGH - LOW) * torch.rand(2, in_channels, size, size, generator=torch.Generator().manual_seed(seed))
            targets = torch.tensor(targets)
            with torch.no_grad():
                plain_logits = model(x)
            if name.startswith("densenet"):
                model = DenseNetWithModules(model).eval()
            logits, result = relevance(model, x, targets)
            assert torch.allclose(logits, plain_logits, rtol=1e-5, atol=1e-5), name
            out[f"{name}/input"] = x.numpy()
            out[f"{name}/targets"] = targets.numpy()
            out[f"{name}/logits"] = plain_logits.numpy()
            out[f"{name}/relevance"] = result.numpy()
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main(sys.argv[1])
