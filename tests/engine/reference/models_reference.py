"""Reference outputs of torchvision's DenseNet-121, ResNet-18, ResNet-50 and of the small
CNN, for salient's built-in architectures (tests/engine/test_models_torchvision.cpp).

Usage: models_reference.py OUTPUT_DIR
Writes OUTPUT_DIR/<model>_state_dict.pt (torch.save(model.state_dict())) and
OUTPUT_DIR/models_reference.h5 with, per model, the input, logits, trunk output and stage
outputs ("<model>/input", "<model>/logits", "<model>/trunk", "<model>/stage/<name>").

DenseNet-121 is torchvision's 3-channel model fed a grey image repeated over RGB: salient
loads it into a 1-channel model by summing conv0 over RGB, which computes the same
function. ResNet-50 gets a 1-channel conv1 in Python, ResNet-18 stays 3-channel.
"""
import os
import sys

import h5py
import torch

from reference_models import build

# name, salient in_channels, torchvision in_channels, classes, input size, stages to record
CASES = [
    ("densenet121", 1, 3, 3, 64, ["features.denseblock1", "features.transition2", "features.norm5"]),
    ("resnet18", 3, 3, 2, 64, ["layer1", "layer2", "layer3"]),
    ("resnet50", 1, 1, 2, 64, ["layer1", "layer3"]),
    ("small_cnn", 1, 1, 2, 32, ["block1", "block3"]),
]


def trunk_of(name, model, x):
    if name.startswith("densenet"):
        return torch.relu(model.features(x))
    if name == "small_cnn":
        return model.trunk(x)
    x = model.maxpool(model.relu(model.bn1(model.conv1(x))))
    return model.layer4(model.layer3(model.layer2(model.layer1(x))))


def main(output_dir):
    os.makedirs(output_dir, exist_ok=True)
    # Written under a temporary name and renamed last: the build sees it whole or not at all.
    path = os.path.join(output_dir, "models_reference.h5")
    with h5py.File(path + ".tmp", "w") as out:
        for seed, (name, in_channels, torchvision_channels, classes, size, stages) in enumerate(CASES):
            model = build(name, torchvision_channels, classes, seed=100 + seed)
            torch.save(model.state_dict(), os.path.join(output_dir, f"{name}_state_dict.pt"))
            image = torch.randn(2, in_channels, size, size, generator=torch.Generator().manual_seed(seed))
            x = image.repeat(1, torchvision_channels // in_channels, 1, 1)
            recorded = {}
            modules = dict(model.named_modules())
            # Hooks clone: a following in-place ReLU would otherwise change what was recorded.
            handles = [modules[stage].register_forward_hook(
                lambda _m, _i, output, stage=stage: recorded.__setitem__(stage, output.detach().clone()))
                for stage in stages]
            with torch.no_grad():
                logits = model(x)
                trunk = trunk_of(name, model, x)
            for handle in handles:
                handle.remove()
            out[f"{name}/input"] = image.numpy()
            out[f"{name}/logits"] = logits.numpy()
            out[f"{name}/trunk"] = trunk.numpy()
            for stage in stages:
                out[f"{name}/stage/{stage.split('.')[-1]}"] = recorded[stage].numpy()
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main(sys.argv[1])
