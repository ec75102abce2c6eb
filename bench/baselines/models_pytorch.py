"""PyTorch eager baseline for bench/bench_models.cpp: the same models and work in Python, as
a user without salient would write them. torchvision's DenseNet-121 (one input channel) and
the small CNN of tests/engine/reference/reference_models.py, 14 classes, 320x320 input:

  forward         logits under torch.no_grad()
  gradcam         forward, torch.autograd.grad of the summed target logits with respect to
                  the trunk's output, weights = their spatial mean, ReLU(sum), bilinear
                  upsampling to 320x320 (what Captum's LayerGradCam computes)
  input_gradient  forward, torch.autograd.grad with respect to the input, |grad| over channels
                  (Captum's Saliency)

On a GPU: fp32 and bf16 autocast, channels-last; on the CPU: fp32 with every core. Prints one
line per case with images per second, timed after a warm-up (CUDA synchronised).

usage: models_pytorch.py [--min-time SECONDS]
"""
import argparse
import os
import sys
import time

import torch
import torch.nn.functional as F
import torchvision

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "engine", "reference"))
from reference_models import SmallCnn  # noqa: E402

SIZE, CLASSES = 320, 14


def densenet121():
    net = torchvision.models.densenet121(weights=None, num_classes=CLASSES)
    conv = net.features.conv0
    net.features.conv0 = torch.nn.Conv2d(1, conv.out_channels, 7, 2, 3, bias=False)

    def trunk(x):
        return F.relu(net.features(x))

    def head(f):
        return net.classifier(torch.flatten(F.adaptive_avg_pool2d(f, 1), 1))

    return net, trunk, head


def small_cnn():
    net = SmallCnn(1, CLASSES)

    def head(f):
        return net.classifier(torch.flatten(net.pool(f), 1))

    return net, net.trunk, head


def work_step(work, trunk, head, x, targets):
    if work == "forward":
        with torch.no_grad():
            return head(trunk(x))
    if work == "gradcam":
        features = trunk(x)
        logits = head(features)
        (grad,) = torch.autograd.grad(logits.gather(1, targets[:, None]).sum(), features)
        cam = F.relu((grad.mean((2, 3), keepdim=True) * features).sum(1, keepdim=True))
        return F.interpolate(cam, size=(SIZE, SIZE), mode="bilinear", align_corners=False)
    x = x.detach().requires_grad_(True)
    logits = head(trunk(x))
    (grad,) = torch.autograd.grad(logits.gather(1, targets[:, None]).sum(), x)
    return grad.abs().sum(1)


def time_case(work, trunk, head, batch, device, precision, min_time):
    x = torch.randn(batch, 1, SIZE, SIZE, device=device)
    if device.type == "cuda":
        x = x.contiguous(memory_format=torch.channels_last)
    targets = torch.zeros(batch, dtype=torch.long, device=device)
    autocast = torch.autocast(device.type, dtype=torch.bfloat16, enabled=precision == "bf16")

    def step():
        with autocast:
            work_step(work, trunk, head, x, targets)
        if device.type == "cuda":
            torch.cuda.synchronize()

    step()
    iterations, start = 0, time.perf_counter()
    while True:
        step()
        iterations += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_time:
            return iterations * batch / elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--min-time", type=float, default=None)
    args = parser.parse_args()
    cuda = torch.cuda.is_available()
    device = torch.device("cuda" if cuda else "cpu")
    if not cuda:
        torch.set_num_threads(os.cpu_count())
    min_time = args.min_time if args.min_time is not None else (2.0 if cuda else 0.1)
    batches = (32, 128, 256) if cuda else (32,)
    precisions = ("fp32", "bf16") if cuda else ("fp32",)
    print(f"PyTorch {torch.__version__} eager, {device}, {torch.get_num_threads()} CPU threads")
    for name, build in (("densenet121", densenet121), ("small-cnn", small_cnn)):
        torch.manual_seed(0)
        net, trunk, head = build()
        net = net.to(device).eval()
        if cuda:
            net = net.to(memory_format=torch.channels_last)
        for work in ("forward", "gradcam", "input_gradient"):
            for batch in batches:
                for precision in precisions:
                    rate = time_case(work, trunk, head, batch, device, precision, min_time)
                    print(f"pytorch {name}/{work}/{device.type}/{precision}/batch:{batch}  {rate:10.1f} images/s",
                          flush=True)


if __name__ == "__main__":
    main()
