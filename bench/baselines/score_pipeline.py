"""Python baseline for bench/run_score_benchmarks.sh: what `salient score` does, written as
a radiology AI team would without salient (h5py, PyTorch, PyRadiomics, numpy), to be timed
beside it in the same run. The work per batch is salient's default scoring configuration
(docs/formulas.md, "Criteria of `salient score`"):

  read      h5py slices of `images` (and `roi`) of a salient pool, uint8 / 255 on the device,
            bilinear to --input-size (antialiased when shrinking), normalised (x - 0.449) / 0.226
  saliency  Grad-CAM of the argmax class at the trunk's output (torch.autograd.grad, as
            models_pytorch.py), bilinear to the pool's image size; its logits give the
            probabilities (multi-label: one sigmoid per pool label)
  model     head-only MC dropout: T = 20 passes of the classifier over the pooled trunk
            features with whole channels dropped (p = 0.5)
  kernels   prediction criteria (entropy, margin, least confidence: the mean over classes of
            each binary [1 - p, p]; mc_entropy, mc_variance, BALD) in PyTorch; per map, in a
            multiprocessing Pool of --workers: PyRadiomics 3.0.1 first-order and GLCM
            (binCount 32, the whole map) and shape2D (the map at or above its 0.7 quantile),
            and the alignment with the ROI (hard and soft Dice at tau = 0.5 after min-max
            scaling, AUPRC, pointing hit) in numpy when the pool has ROI masks
  write     an HDF5 table (h5py) of every criterion, `index` and `criteria/NAME`, with --out

Imports, model construction and starting the worker processes are not timed; every batch,
the first included, is. On a GPU each stage ends with torch.cuda.synchronize(). Prints one
JSON object: images, seconds, images_per_second and stage_seconds.

usage: score_pipeline.py POOL [--model densenet121|small-cnn] [--input-size 320]
         [--batch-size 32] [--device cpu|cuda] [--precision fp32|bf16] [--limit N]
         [--workers N] [--threads N] [--out FILE] [--seed 0]
"""
import argparse
import json
import logging
import multiprocessing
import os
import sys
import time
from collections import defaultdict
from contextlib import contextmanager

import h5py
import numpy as np
import radiomics
import SimpleITK as sitk
import torch
import torch.nn.functional as F
import torchvision
from radiomics import firstorder, glcm, shape2D

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "engine", "reference"))
from reference_models import SmallCnn  # noqa: E402

MEAN, STD = 0.449, 0.226
MC_SAMPLES, MC_RATE = 20, 0.5
BIN_COUNT, SHAPE_QUANTILE, TAU = 32, 0.7, 0.5
ALIGNMENT = ("alignment_HardDice", "alignment_SoftDice", "alignment_AUPRC", "alignment_PointingHit",
             "alignment_Misalignment")


def build_model(name, classes):
    """(network, trunk, classifier): the classifier maps pooled trunk features to logits."""
    if name == "densenet121":
        net = torchvision.models.densenet121(weights=None, num_classes=classes)
        net.features.conv0 = torch.nn.Conv2d(1, 64, 7, 2, 3, bias=False)
        return net, lambda x: F.relu(net.features(x)), net.classifier
    net = SmallCnn(1, classes)
    return net, net.trunk, net.classifier


def read_batches(pool, manifest, batch_size, limit):
    """(first global index, images, ROI masks or None) per batch of the global batch grid."""
    files = [h5py.File(os.path.join(pool, shard["path"]), "r") for shard in manifest["shards"]]
    has_roi = all("roi" in f for f in files)
    shard_size = manifest["shard_size"]
    for first in range(0, limit, batch_size):
        last = min(first + batch_size, limit)
        images, rois = [], []
        for s in range(first // shard_size, (last - 1) // shard_size + 1):
            lo, hi = max(first - s * shard_size, 0), min(last - s * shard_size, shard_size)
            images.append(files[s]["images"][lo:hi])
            if has_roi:
                rois.append(files[s]["roi"][lo:hi])
        yield first, np.concatenate(images), np.concatenate(rois) if has_roi else None
    for f in files:
        f.close()


def model_input(images, size, device, memory_format):
    """uint8 N x H x W -> N x 1 x size x size, as salient's model_input (docs/models.md)."""
    x = torch.from_numpy(images).to(device).unsqueeze(1).float().div_(255)
    height, width = images.shape[1:]
    if (height, width) != (size, size):
        x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False,
                          antialias=height > size or width > size)
    return x.sub_(MEAN).div_(STD).contiguous(memory_format=memory_format)


def binary_entropy(p):
    q = 1 - p
    return -(torch.xlogy(p, p) + torch.xlogy(q, q))


def prediction_criteria(probabilities, samples):
    """Multi-label criteria, each the mean over classes of the binary [1 - p, p] value.
    probabilities: N x C of one pass; samples: T x N x C MC-dropout probabilities."""
    mean = samples.mean(0)
    criteria = {
        "entropy": binary_entropy(probabilities),
        "margin": (2 * probabilities - 1).abs(),
        "least_confidence": 1 - torch.maximum(probabilities, 1 - probabilities),
        "mc_entropy": binary_entropy(mean),
        "mc_variance": samples.var(0, correction=0).clamp(min=0),
        "bald": (binary_entropy(mean) - binary_entropy(samples).mean(0)).clamp(min=0),
    }
    return {name: value.mean(1).double().cpu().numpy() for name, value in criteria.items()}


def radiomics_features(feature_class, image, mask, prefix, extra=(), **settings):
    features = feature_class(sitk.GetImageFromArray(image), sitk.GetImageFromArray(mask), **settings)
    features.enableAllFeatures()
    for name in extra:
        features.enableFeatureByName(name)
    return {prefix + name: float(value) for name, value in features.execute().items()}


def alignment(saliency, roi):
    """EG-AL / WILDCAT alignment of a map with its ROI mask; NaN without a ROI, and for the
    scaled features of a constant map."""
    r = roi.ravel() > 0
    u = saliency.ravel().astype(np.float64)
    nan = float("nan")
    if not r.any():
        return dict.fromkeys(ALIGNMENT, nan)
    order = np.argsort(-u, kind="stable")
    s, hits = u[order], r[order]
    last = np.r_[np.diff(s) != 0, True]
    tp = np.cumsum(hits)[last]
    precision, recall = tp / np.arange(1, s.size + 1)[last], tp / r.sum()
    auprc = float(np.sum(np.diff(np.r_[0.0, recall]) * precision))
    if u.max() == u.min():
        return dict(zip(ALIGNMENT, (nan, nan, auprc, nan, nan)))
    g = (u - u.min()) / (u.max() - u.min())
    b = g >= TAU
    hard = float(2 * (b & r).sum() / (b.sum() + r.sum()))
    soft = float(2 * g[r].sum() / (g.sum() + r.sum()))
    return dict(zip(ALIGNMENT, (hard, soft, auprc, float(r[np.argmax(u)]), 1 - hard)))


def map_criteria(job):
    """Every map criterion of one H x W float32 saliency map (runs in a worker process)."""
    saliency, roi = job
    whole = np.ones((1,) + saliency.shape, np.uint8)
    shape = (saliency >= np.quantile(saliency.astype(np.float64), SHAPE_QUANTILE)).astype(np.uint8)
    values = radiomics_features(firstorder.RadiomicsFirstOrder, saliency[None], whole, "firstorder_",
                                ("StandardDeviation",), binCount=BIN_COUNT)
    values["ideal_Kurtosis"] = values["firstorder_Kurtosis"]  # the same Pearson kurtosis (formulas.md)
    values.update(radiomics_features(glcm.RadiomicsGLCM, saliency[None], whole, "glcm_", binCount=BIN_COUNT,
                                     force2D=True))
    values.update(radiomics_features(shape2D.RadiomicsShape2D, saliency, shape, "shape2D_",
                                     ("SphericalDisproportion",)))
    if roi is not None:
        values.update(alignment(saliency, roi))
    return values


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pool")
    parser.add_argument("--model", choices=("densenet121", "small-cnn"), default="densenet121")
    parser.add_argument("--input-size", type=int, default=320)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--precision", choices=("fp32", "bf16"), default="fp32")
    parser.add_argument("--limit", type=int, default=None, help="images to score (default: all)")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="PyRadiomics processes")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    parser.add_argument("--out", default=None, help="HDF5 table of the criteria")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    with open(os.path.join(args.pool, "pool.json")) as f:
        manifest = json.load(f)
    height, width = manifest["image"]["height"], manifest["image"]["width"]
    total = manifest["total"] if args.limit is None else min(args.limit, manifest["total"])
    radiomics.setVerbosity(logging.ERROR)
    workers = multiprocessing.Pool(args.workers)  # forked before torch starts threads or CUDA
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    cuda = device.type == "cuda"
    memory_format = torch.channels_last if cuda else torch.contiguous_format
    torch.manual_seed(args.seed)
    net, trunk, classifier = build_model(args.model, len(manifest["labels"]))
    net = net.to(device, memory_format=memory_format).eval()
    autocast = torch.autocast(device.type, dtype=torch.bfloat16, enabled=args.precision == "bf16")
    stage_seconds = dict.fromkeys(("read", "saliency", "model", "kernels", "write"), 0.0)

    @contextmanager
    def stage(name):
        start = time.perf_counter()
        yield
        if cuda:
            torch.cuda.synchronize()
        stage_seconds[name] += time.perf_counter() - start

    rows = defaultdict(list)
    start = time.perf_counter()
    batches = read_batches(args.pool, manifest, args.batch_size, total)
    while True:
        with stage("read"):
            batch = next(batches, None)
            x = None if batch is None else model_input(batch[1], args.input_size, device, memory_format)
        if batch is None:
            break
        first, images, rois = batch
        with stage("saliency"), autocast:
            features = trunk(x)
            logits = classifier(features.mean((2, 3)))
            targets = logits.argmax(1)
            (grad,) = torch.autograd.grad(logits.gather(1, targets[:, None]).sum(), features)
            features, logits = features.detach(), logits.detach()
            cam = F.relu((grad.mean((2, 3), keepdim=True) * features).sum(1, keepdim=True)).float()
            maps = F.interpolate(cam, size=(height, width), mode="bilinear", align_corners=False)[:, 0]
            probabilities = torch.sigmoid(logits.float())
        with stage("model"), torch.no_grad(), autocast:
            pooled = features.mean((2, 3))
            dropped = F.dropout(pooled.expand(MC_SAMPLES, *pooled.shape), MC_RATE, training=True)
            samples = torch.sigmoid(classifier(dropped).float())
        with stage("kernels"):
            for name, values in prediction_criteria(probabilities, samples).items():
                rows[name].extend(values)
            jobs = zip(maps.cpu().numpy(), rois if rois is not None else [None] * len(images))
            for values in workers.map(map_criteria, jobs):
                for name, value in values.items():
                    rows[name].append(value)
            rows["index"].extend(range(first, first + len(images)))
    if args.out:
        with stage("write"), h5py.File(args.out, "w") as h5:
            h5.create_dataset("index", data=np.asarray(rows.pop("index"), np.int64))
            for name in sorted(rows):
                h5.create_dataset(f"criteria/{name}", data=np.asarray(rows[name], np.float64))
    seconds = time.perf_counter() - start
    workers.close()
    workers.join()
    print(json.dumps({"pipeline": "h5py + PyTorch + PyRadiomics", "model": args.model, "device": device.type,
                      "precision": args.precision, "batch_size": args.batch_size, "workers": args.workers,
                      "torch_threads": torch.get_num_threads(), "images": total, "seconds": seconds,
                      "images_per_second": total / seconds, "stage_seconds": dict(stage_seconds)}))


if __name__ == "__main__":
    main()
