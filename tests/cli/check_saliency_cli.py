#!/usr/bin/env python3
"""`salient saliency` end to end against Captum: a phantom pool from `salient synth`, a small
CNN scripted with scripts/export_torchscript.py's SalientModule, then for gradxinput (class
1) and Grad-CAM (each image's most probable class) the maps salient writes are compared
with Captum's on the same images, prepared as docs/models.md says: intensity / 255, resized
to the model's input (bilinear, antialiased), normalised with mean 0.449 and sd 0.226; maps
resized back to the pool's size (bilinear). Also checks ids, indices, targets and
probabilities, and the montage."""
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import torch
import torch.nn.functional as F
from captum.attr import InputXGradient, LayerAttribution, LayerGradCam
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts"))
from export_torchscript import SalientModule  # noqa: E402

POOL_SIZE, INPUT_SIZE, CLASSES = 64, 40, 4


def small_cnn() -> SalientModule:
    torch.manual_seed(5)
    trunk = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(8, 16, 3, padding=1), nn.ReLU())
    head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(1), nn.Linear(16, CLASSES))
    return SalientModule(trunk, head, "multi-label", CLASSES, 1, INPUT_SIZE, 16).eval()


def pool_images(pool):
    shards = sorted(name for name in os.listdir(pool) if name.endswith(".h5"))
    images, ids = [], []
    for name in shards:
        with h5py.File(os.path.join(pool, name)) as f:
            images.append(f["images"][:])
            ids += [i.decode() for i in f["ids"][:]]
    return np.concatenate(images), ids


def model_input(images):
    unit = torch.from_numpy(images).float().div(255.0).unsqueeze(1)
    resized = F.interpolate(unit, size=(INPUT_SIZE, INPUT_SIZE), mode="bilinear", align_corners=False, antialias=True)
    return (resized - 0.449) / 0.226


def to_pool_size(maps):
    return F.interpolate(maps.unsqueeze(1), size=(POOL_SIZE, POOL_SIZE), mode="bilinear",
                         align_corners=False).squeeze(1)


def run(salient, pool, model, method, target, out):
    subprocess.run([salient, "--device", "cpu", "saliency", "--pool", pool, "--model", model, "--method", method,
                    "--class", target, "--batch-size", "8", "--out", out, "--montage", out + ".png"], check=True)
    with h5py.File(out) as f:
        return {name: f[name][:] for name in f}, dict(f.attrs)


def check_close(name, actual, expected, relative=1e-4):
    error = np.abs(actual - expected).max()
    scale = np.abs(expected).max()
    print(f"{name}: max |salient - Captum| = {error:.3g} (max |Captum| = {scale:.3g})")
    assert error <= relative * scale, f"{name}: {error} > {relative} * {scale}"


def pool_and_model(salient, tmp):
    """A 20-image phantom pool and the scripted small CNN saved beside it: (pool, net, model file)."""
    pool = os.path.join(tmp, "pool")
    subprocess.run([salient, "synth", "--count", "20", "--size", str(POOL_SIZE), "--shard-size", "8", "--seed", "4",
                    "--out", pool], check=True)
    net = small_cnn()
    model = os.path.join(tmp, "small_cnn.pt")
    torch.jit.script(net).save(model)
    return pool, net, model


def main():
    salient = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        pool, net, model = pool_and_model(salient, tmp)
        images, ids = pool_images(pool)
        x = model_input(images)
        with torch.no_grad():
            logits = net(x)

        got, attributes = run(salient, pool, model, "gradxinput", "1", os.path.join(tmp, "gxi.h5"))
        assert attributes["method"] == b"gradxinput" or attributes["method"] == "gradxinput"
        assert [i.decode() for i in got["ids"]] == ids
        assert (got["indices"] == np.arange(len(ids))).all() and (got["targets"] == 1).all()
        check_close("probabilities", got["probabilities"], torch.sigmoid(logits).numpy(), 1e-5)
        expected = InputXGradient(net).attribute(x.clone().requires_grad_(True), target=1).sum(1).detach()
        check_close("gradxinput maps", got["maps"], to_pool_size(expected).numpy())

        got, _ = run(salient, pool, model, "gradcam", "auto", os.path.join(tmp, "gradcam.h5"))
        targets = logits.argmax(1)
        assert (got["targets"] == targets.numpy()).all()
        cams = LayerGradCam(net, net.features).attribute(x, target=targets, relu_attributions=True)
        cams = LayerAttribution.interpolate(cams, (INPUT_SIZE, INPUT_SIZE), interpolate_mode="bilinear").squeeze(1)
        check_close("Grad-CAM maps", got["maps"], to_pool_size(cams.detach()).numpy())
        assert os.path.getsize(os.path.join(tmp, "gradcam.h5.png")) > 0
    print("salient saliency matches Captum")


if __name__ == "__main__":
    main()
