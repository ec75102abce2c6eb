#!/usr/bin/env python3
"""Reference values for the TorchScript loader and the saliency methods, from PyTorch and Captum.

Usage: saliency_reference.py OUTPUT_DIR

Writes into OUTPUT_DIR:
  small_cnn.pt        a small CNN (conv-BN-ReLU-conv-ReLU trunk; 1x1 conv-tanh-pool-linear head)
                      scripted with salient's trunk/head convention (scripts/export_torchscript.py)
  resnet18_grey.pt    scripts/export_torchscript.py's resnet18, 1 input channel, 3 classes, 64x64
  forward_only.pt     a scripted module with forward() only
  saliency_reference.h5
    small_cnn/input, targets, logits          4x3x16x16 inputs, their classes, PyTorch logits
    small_cnn/gradcam                          Captum LayerGradCam(relu_attributions=True) at the
                                               trunk, LayerAttribution.interpolate(..., "bilinear")
    small_cnn/grad                             Captum Saliency(abs=True), summed over channels
    small_cnn/gradxinput                       Captum InputXGradient, summed over channels
    small_cnn/ig_black_32, ig_black_7          Captum IntegratedGradients, method="gausslegendre",
                                               constant baseline BLACK_VALUE, 32 and 7 steps
    small_cnn/ig_blurred_32, blurred           the same against torchvision's gaussian_blur of the
                                               input (sigma BLUR_SIGMA, kernel 2*ceil(3 sigma)+1)
    gauss_legendre_{5,32}/nodes, weights       numpy leggauss mapped to [0, 1] as Captum does
    resnet18_grey/input, logits, trunk_shape   the exported model's PyTorch outputs
    forward_only/input, logits
"""

import math
import os
import sys

import h5py
import numpy as np
import torch
import torchvision.transforms.functional as TF
from captum.attr import InputXGradient, IntegratedGradients, LayerAttribution, LayerGradCam, Saliency
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "scripts"))
import export_torchscript  # noqa: E402

BLACK_VALUE = -0.5
BLUR_SIGMA = 1.5
TARGETS = [0, 2, 1, 2]


def small_cnn() -> export_torchscript.SalientModule:
    batch_norm = nn.BatchNorm2d(4)
    with torch.no_grad():  # running statistics that are not the identity, so eval mode matters
        batch_norm.running_mean.uniform_(-0.5, 0.5)
        batch_norm.running_var.uniform_(0.5, 2.0)
        batch_norm.weight.uniform_(0.5, 1.5)
        batch_norm.bias.uniform_(-0.2, 0.2)
    features = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), batch_norm, nn.ReLU(),
                             nn.Conv2d(4, 6, 3, stride=2, padding=1), nn.ReLU())
    head = nn.Sequential(nn.Conv2d(6, 8, 1), nn.Tanh(), nn.AdaptiveAvgPool2d(2), nn.Flatten(1), nn.Linear(32, 3))
    return export_torchscript.SalientModule(features, head, "multi-class", 3, 3, 16, 6).eval()


def summed(attribution: torch.Tensor) -> np.ndarray:
    return attribution.sum(1).detach().numpy()


def write_small_cnn(out_dir: str, h5: h5py.File) -> None:
    model = small_cnn()
    export_torchscript.save_scripted(model, os.path.join(out_dir, "small_cnn.pt"))
    x = torch.randn(4, 3, 16, 16)
    targets = torch.tensor(TARGETS)
    group = h5.create_group("small_cnn")
    group["input"] = x.numpy()
    group["targets"] = targets.numpy().astype(np.int64)
    group["logits"] = model(x).detach().numpy()

    cam = LayerGradCam(model, model.features).attribute(x, target=targets, relu_attributions=True)
    group["gradcam"] = LayerAttribution.interpolate(cam, (16, 16), interpolate_mode="bilinear").squeeze(1).detach().numpy()
    group["grad"] = summed(Saliency(model).attribute(x, target=targets, abs=True))
    group["gradxinput"] = summed(InputXGradient(model).attribute(x, target=targets))
    ig = IntegratedGradients(model)
    for steps in (32, 7):
        group[f"ig_black_{steps}"] = summed(
            ig.attribute(x, baselines=BLACK_VALUE, target=targets, n_steps=steps, method="gausslegendre"))
    blurred = TF.gaussian_blur(x, kernel_size=2 * math.ceil(3 * BLUR_SIGMA) + 1, sigma=BLUR_SIGMA)
    group["blurred"] = blurred.numpy()
    group["ig_blurred_32"] = summed(
        ig.attribute(x, baselines=blurred, target=targets, n_steps=32, method="gausslegendre"))
    group.attrs["black_value"] = BLACK_VALUE
    group.attrs["blur_sigma"] = BLUR_SIGMA


def write_gauss_legendre(h5: h5py.File) -> None:
    for n in (5, 32):
        xi, w = np.polynomial.legendre.leggauss(n)
        h5[f"gauss_legendre_{n}/nodes"] = 0.5 * (1.0 + xi)  # Captum's alphas
        h5[f"gauss_legendre_{n}/weights"] = 0.5 * w  # Captum's step sizes


def write_resnet18_grey(out_dir: str, h5: h5py.File) -> None:
    net = export_torchscript.adapted_torchvision("resnet18", classes=3, in_channels=1, imagenet=False)
    model = export_torchscript.salient_module(net, "resnet18", "multi-class", in_channels=1, input_size=64).eval()
    export_torchscript.save_scripted(model, os.path.join(out_dir, "resnet18_grey.pt"))
    x = torch.randn(2, 1, 64, 64)
    with torch.no_grad():
        h5["resnet18_grey/input"] = x.numpy()
        h5["resnet18_grey/logits"] = model(x).numpy()
        h5["resnet18_grey/trunk_shape"] = np.array(model.trunk(x).shape, dtype=np.int64)


class ForwardOnly(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(1),
                                 nn.Linear(2, 2))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


def write_forward_only(out_dir: str, h5: h5py.File) -> None:
    model = ForwardOnly().eval()
    export_torchscript.save_scripted(model, os.path.join(out_dir, "forward_only.pt"))
    x = torch.randn(3, 1, 8, 8)
    h5["forward_only/input"] = x.numpy()
    h5["forward_only/logits"] = model(x).detach().numpy()


def main() -> None:
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(20170517)
    with h5py.File(os.path.join(out_dir, "saliency_reference.h5"), "w") as h5:
        write_small_cnn(out_dir, h5)
        write_gauss_legendre(h5)
        write_resnet18_grey(out_dir, h5)
        write_forward_only(out_dir, h5)


if __name__ == "__main__":
    main()
