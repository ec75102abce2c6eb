"""DeepLIFT (Rescale rule) reference for salient's deeplift (tests/engine/test_deeplift.cpp).

Usage: deeplift_reference.py OUTPUT_DIR
Writes OUTPUT_DIR/deeplift_<model>_state_dict.pt and OUTPUT_DIR/deeplift_reference.h5 with,
per model, "<model>/input", "<model>/baseline", "<model>/targets", "<model>/logits",
"<model>/baseline_logits" and "<model>/attributions" (N×in_channels×S×S).

Why not Captum's DeepLift alone: Captum 0.9.0 loses summation to delta as soon as a ReLU
module and a max-pooling module follow each other (its backward hooks do not chain; captum
issue #1104, which also reports that 0.5.0 was right), and its max-pooling rule falls back to
the first image's gradient (captum #1276) and assigns instead of adding where pooling windows
overlap. So the reference applies the Rescale rules below, written from Shrikumar et al. (ICML
2017, Sec. 3.5.1) and Captum's definitions of them (nonlinear and maxpool, eps = 1e-10), to the
PyTorch models of reference_models.py through autograd functions instead of hooks, and checks
itself against Captum's DeepLift where Captum is right: on the same models with the pooling
left out, to 1e-10 in double precision.

Models: the small CNN and torchvision's DenseNet-121 (its functional ReLU after `features` as
a module, DenseNetWithModules).
"""
import os
import sys

import h5py
import torch
import torch.nn.functional as F
from captum.attr import DeepLift
from torch import nn

from reference_models import DenseNetWithModules, build

EPS = 1e-10


def both_halves(delta):
    return torch.cat([delta, delta])


class RescaleRelu(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = torch.relu(x)
        x_in, x_ref = x.chunk(2)
        y_in, y_ref = y.chunk(2)
        delta_in = both_halves(x_in - x_ref)
        ctx.save_for_backward(torch.where(delta_in.abs() < EPS, (x > 0).to(x.dtype),
                                          both_halves(y_in - y_ref) / delta_in))
        return y

    @staticmethod
    def backward(ctx, grad):
        (multiplier,) = ctx.saved_tensors
        return grad * multiplier


class RescaleMaxPool(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, module):
        y = F.max_pool2d(x, module.kernel_size, module.stride, module.padding, module.dilation, module.ceil_mode)
        ctx.save_for_backward(x)
        ctx.module = module
        return y

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        m = ctx.module
        both = x.detach().requires_grad_(True)
        with torch.enable_grad():
            y = F.max_pool2d(both, m.kernel_size, m.stride, m.padding, m.dilation, m.ceil_mode)
            y_in, y_ref = y.detach().chunk(2)
            top = torch.max(y_in, y_ref)
            delta_out = torch.cat([top - y_ref, y_in - top])
            # The chain rule routes each window to its arg-max, adding where windows share one.
            (plain,) = torch.autograd.grad(y, both, grad, retain_graph=True)
            (routed,) = torch.autograd.grad(y, both, grad * delta_out)
        moved = routed.chunk(2)
        x_in, x_ref = x.chunk(2)
        delta_in = both_halves(x_in - x_ref)
        return torch.where(delta_in.abs() < EPS, plain, both_halves(moved[0] + moved[1]) / delta_in), None


def with_rescale_rules(model):
    for module in model.modules():
        if isinstance(module, nn.ReLU):
            module.forward = RescaleRelu.apply
        elif isinstance(module, nn.MaxPool2d):
            module.forward = lambda x, module=module: RescaleMaxPool.apply(x, module)
    return model


def deeplift(model, x, baseline, targets):
    both = torch.cat([x, baseline]).requires_grad_(True)
    logits = with_rescale_rules(model)(both)
    rows = torch.arange(len(targets))
    (gradient,) = torch.autograd.grad(logits[rows, targets].sum() + logits[rows + len(targets), targets].sum(), both)
    return (x - baseline) * gradient[: len(targets)]


def check_against_captum():
    """Where Captum's DeepLift is right (no max pooling), the rules above give its attributions."""
    model = build("small_cnn", 1, 3, seed=400).double()
    for index in range(1, 4):
        del getattr(model, f"block{index}").pool
    x = torch.randn(2, 1, 16, 16, generator=torch.Generator().manual_seed(9)).double()
    baseline = torch.full_like(x, -0.5)
    targets = torch.tensor([2, 1])
    captum = DeepLift(model).attribute(x, baselines=baseline, target=targets)
    ours = deeplift(model, x, baseline, targets)
    assert torch.allclose(captum, ours, rtol=0, atol=1e-10), (captum - ours).abs().max()


BLACK = (0.0 - 0.449) / 0.226  # salient's normalisation of a black pixel

# name, in_channels, classes, input size, targets
CASES = [
    ("small_cnn", 1, 3, 32, [2, 0, 1]),
    ("densenet121", 1, 2, 32, [1, 0, 1]),
]


def main(output_dir):
    check_against_captum()
    os.makedirs(output_dir, exist_ok=True)
    path = os.path.join(output_dir, "deeplift_reference.h5")
    with h5py.File(path + ".tmp", "w") as out:
        for seed, (name, in_channels, classes, size, targets) in enumerate(CASES):
            model = build(name, in_channels, classes, seed=300 + seed)
            torch.save(model.state_dict(), os.path.join(output_dir, f"deeplift_{name}_state_dict.pt"))
            generator = torch.Generator().manual_seed(seed)
            x = torch.randn(len(targets), in_channels, size, size, generator=generator)
            # Black, and a random reference for the second image: DeepLIFT's need not be constant.
            baseline = torch.full_like(x, BLACK)
            baseline[1] = 0.5 * torch.randn(in_channels, size, size, generator=generator)
            targets = torch.tensor(targets)
            if name.startswith("densenet"):
                model = DenseNetWithModules(model).eval()
            with torch.no_grad():
                logits = model(x)
                baseline_logits = model(baseline)
            attributions = deeplift(model, x, baseline, targets)
            out[f"{name}/input"] = x.numpy()
            out[f"{name}/baseline"] = baseline.numpy()
            out[f"{name}/targets"] = targets.numpy()
            out[f"{name}/logits"] = logits.numpy()
            out[f"{name}/baseline_logits"] = baseline_logits.numpy()
            out[f"{name}/attributions"] = attributions.detach().numpy()
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main(sys.argv[1])
