#!/usr/bin/env python3
"""Export a torchvision classifier as a TorchScript module that salient can load.

The module follows salient's TorchScript convention (docs/models.md, "TorchScript models"):

    forward(x) -> logits N x C, equal to head(trunk(x))
    trunk(x)   -> trunk output N x K x h x w   (Grad-CAM's layer, head-only MC dropout)
    head(f)    -> logits N x C
    attributes salient_output ("multi-label" | "multi-class"), salient_classes,
               salient_in_channels, salient_input_size, salient_trunk_channels

The trunk is torchvision's convolutional part (DenseNet: `features` then its final ReLU;
ResNet: conv1 ... layer4); the head is global average pooling and a new linear layer to
--classes outputs. With --in-channels 1 the first convolution's weights are summed over
RGB, so ImageNet weights see a grey image as they saw its colour version.

Usage:
    .venv/bin/python scripts/export_torchscript.py --arch densenet121 --classes 14 \\
        --in-channels 1 --input-size 320 --output densenet121.pt [--imagenet | --state-dict W.pth]

--imagenet starts from torchvision's ImageNet weights (downloaded by torchvision);
--state-dict loads a state dict of the adapted torchvision model (after the changes above,
e.g. fine-tuned in PyTorch); neither: random initialisation (seeded by --seed).
"""

import argparse

import torch
import torchvision
from torch import nn

ARCHITECTURES = ("densenet121", "resnet18", "resnet50")


class SalientModule(nn.Module):
    """A trunk and a head under the names salient looks for."""

    def __init__(self, features: nn.Module, classifier: nn.Module, output: str, classes: int,
                 in_channels: int, input_size: int, trunk_channels: int):
        super().__init__()
        self.features = features
        self.classifier = classifier
        self.salient_output = output
        self.salient_classes = classes
        self.salient_in_channels = in_channels
        self.salient_input_size = input_size
        self.salient_trunk_channels = trunk_channels

    @torch.jit.export
    def trunk(self, x: torch.Tensor) -> torch.Tensor:
        return self.features(x)

    @torch.jit.export
    def head(self, f: torch.Tensor) -> torch.Tensor:
        return self.classifier(f)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.trunk(x))


def grey_first_conv(conv: nn.Conv2d) -> nn.Conv2d:
    """The same convolution on one input channel: weights summed over RGB."""
    grey = nn.Conv2d(1, conv.out_channels, conv.kernel_size, conv.stride, conv.padding, bias=conv.bias is not None)
    with torch.no_grad():
        grey.weight.copy_(conv.weight.sum(dim=1, keepdim=True))
        if conv.bias is not None:
            grey.bias.copy_(conv.bias)
    return grey


def adapted_torchvision(arch: str, classes: int, in_channels: int, imagenet: bool) -> nn.Module:
    """torchvision's model with a new classifier of `classes` outputs and `in_channels` inputs."""
    if arch not in ARCHITECTURES:
        raise ValueError(f"unknown architecture '{arch}': expected one of {', '.join(ARCHITECTURES)}")
    if in_channels not in (1, 3):
        raise ValueError(f"--in-channels must be 1 or 3, not {in_channels}")
    net = getattr(torchvision.models, arch)(weights="DEFAULT" if imagenet else None)
    if arch.startswith("densenet"):
        net.classifier = nn.Linear(net.classifier.in_features, classes)
        if in_channels == 1:
            net.features.conv0 = grey_first_conv(net.features.conv0)
    else:
        net.fc = nn.Linear(net.fc.in_features, classes)
        if in_channels == 1:
            net.conv1 = grey_first_conv(net.conv1)
    return net


def salient_module(net: nn.Module, arch: str, output: str, in_channels: int, input_size: int) -> SalientModule:
    """Wraps an adapted torchvision model (the parameters are shared, not copied)."""
    if arch.startswith("densenet"):
        features = nn.Sequential(net.features, nn.ReLU())
        linear = net.classifier
    else:
        features = nn.Sequential(net.conv1, net.bn1, net.relu, net.maxpool, net.layer1, net.layer2, net.layer3,
                                 net.layer4)
        linear = net.fc
    head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(1), linear)
    return SalientModule(features, head, output, linear.out_features, in_channels, input_size, linear.in_features)


def save_scripted(module: nn.Module, path: str) -> torch.jit.ScriptModule:
    scripted = torch.jit.script(module.eval())
    scripted.save(path)
    return scripted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", required=True, choices=ARCHITECTURES)
    parser.add_argument("--classes", type=int, required=True)
    parser.add_argument("--in-channels", type=int, default=1)
    parser.add_argument("--input-size", type=int, default=320)
    parser.add_argument("--output-kind", choices=("multi-label", "multi-class"), default="multi-label")
    weights = parser.add_mutually_exclusive_group()
    weights.add_argument("--imagenet", action="store_true", help="start from torchvision's ImageNet weights")
    weights.add_argument("--state-dict", help="a state dict of the adapted torchvision model")
    parser.add_argument("--seed", type=int, default=0, help="random initialisation when no weights are given")
    parser.add_argument("--output", required=True, help="the TorchScript file to write")
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    net = adapted_torchvision(args.arch, args.classes, args.in_channels, args.imagenet)
    if args.state_dict:
        net.load_state_dict(torch.load(args.state_dict, map_location="cpu"))
    module = salient_module(net, args.arch, args.output_kind, args.in_channels, args.input_size)
    save_scripted(module, args.output)
    print(f"wrote {args.output}: {args.arch}, {args.classes} classes ({args.output_kind}), "
          f"{args.in_channels} input channel(s), input {args.input_size}x{args.input_size}")


if __name__ == "__main__":
    main()
