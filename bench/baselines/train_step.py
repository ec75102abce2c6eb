"""Python baseline for the fine-tuning benchmark: one fine-tuning run of a classifier on the
labelled images of a salient pool, written as a radiology AI team would without salient
(h5py, PyTorch, torch.distributed), to be timed beside salient's data-parallel trainer in
the same run. The work per step is salient's (engine/training/augmentation.h,
engine/models/model_input.h):

  input     the batch's pixels on the device, uint8 / 255 (uint16 / 65535, float32 as stored),
            bilinear to --input-size (antialiased when shrinking), normalised (x - 0.449) / 0.226
  augment   one random similarity transform per image (rotation uniform in +-25 deg, shift in
            +-10 px of the input per axis, scale in [0.95, 1.05]; drawn per epoch and global
            image index, so the same on any rank): F.affine_grid + F.grid_sample, bilinear,
            padding_mode='border', align_corners=False
  train     forward (torch.autocast bf16 with --precision bf16), multi-label BCEWithLogits over
            the known labels only (-1 = unknown is masked out), backward, Adam(lr 1e-4, betas
            (0.93, 0.999)) step; with --ranks R > 1, R processes (torch.multiprocessing.spawn,
            gloo on 127.0.0.1) under DistributedDataParallel, each taking global batch / R of
            every batch and threads // R torch threads

Each epoch is a seeded permutation of the first --images images cut into global batches of
--batch-size (an incomplete last batch is dropped). Reading the images and labels into memory
(h5py), imports, model construction and process start-up are not timed; every step of every
epoch after the first is (the first is warm-up; with --epochs 1 it is timed), between
barriers of all ranks, with torch.cuda.synchronize() on a GPU. With --ranks R > 1, a few
untimed extra steps afterwards, forward + backward with and without DDP's no_sync(), give
allreduce_share = 1 - t(no_sync) / t(sync). Rank 0 prints one JSON object.

usage: train_step.py POOL [--model small-cnn|densenet121] [--input-size 320] [--batch-size 32]
         [--images 256] [--epochs 2] [--threads N] [--device cpu|cuda] [--precision fp32|bf16]
         [--seed 0] [--ranks 1]
"""
import argparse
import json
import math
import os
import socket
import sys
import time
from contextlib import nullcontext

import h5py
import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn.functional as F
import torchvision
from torch.nn.parallel import DistributedDataParallel

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "engine", "reference"))
from reference_models import SmallCnn  # noqa: E402

MEAN, STD = 0.449, 0.226
ROTATION_DEGREES, SHIFT_PIXELS, SCALE = 25.0, 10.0, (0.95, 1.05)
SCALE_OF = {"uint8": 1 / 255, "uint16": 1 / 65535, "float32": 1.0}
SYNC_PROBE_STEPS = 3


def build_model(name, classes):
    if name == "densenet121":
        net = torchvision.models.densenet121(weights=None, num_classes=classes)
        net.features.conv0 = torch.nn.Conv2d(1, 64, 7, 2, 3, bias=False)
        return net
    return SmallCnn(1, classes)


def read_pool(pool, count):
    """(images N x H x W as stored, labels N x C int8, dtype name) of the pool's first images."""
    with open(os.path.join(pool, "pool.json")) as f:
        manifest = json.load(f)
    images, labels, left = [], [], min(count, manifest["total"])
    for shard in manifest["shards"]:
        if left == 0:
            break
        with h5py.File(os.path.join(pool, shard["path"]), "r") as h5:
            n = min(left, shard["count"])
            images.append(h5["images"][:n])
            labels.append(h5["labels"][:n])
            left -= n
    return np.concatenate(images), np.concatenate(labels), manifest["image"]["dtype"]


def model_input(pixels, scale, size):
    """N x H x W stored pixels -> N x 1 x size x size, as salient's model_input."""
    x = pixels.unsqueeze(1).float().mul_(scale)
    height, width = x.shape[2:]
    if (height, width) != (size, size):
        x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False,
                          antialias=height > size or width > size)
    return x.sub_(MEAN).div_(STD)


def epoch_transforms(count, seed, epoch):
    """count x 2 x 3 affine_grid thetas of an epoch, row i for global image i (float64)."""
    u = torch.rand(count, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(seed * 1000003 + epoch))
    radians = (2 * u[:, 0] - 1) * math.radians(ROTATION_DEGREES)
    scale = SCALE[0] + u[:, 1] * (SCALE[1] - SCALE[0])
    cos, sin = torch.cos(radians) / scale, torch.sin(radians) / scale
    shift = (2 * u[:, 2:] - 1) * SHIFT_PIXELS  # pixels of the model input; normalised span is 2
    return cos, sin, shift


def augment(x, thetas, indices):
    cos, sin, shift = (t[indices] for t in thetas)
    t = 2 * shift / x.shape[-1]
    theta = torch.stack([torch.stack([cos, -sin, t[:, 0]], 1), torch.stack([sin, cos, t[:, 1]], 1)], 1)
    grid = F.affine_grid(theta.to(x.device, x.dtype), list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


def masked_bce(logits, labels):
    known = labels >= 0
    loss = F.binary_cross_entropy_with_logits(logits.float(), labels.clamp(min=0).float(), reduction="none")
    return (loss * known).sum() / known.sum().clamp(min=1)


def run(rank, args, images, labels, dtype, port, queue):
    ranks = args.ranks
    torch.set_num_threads(max((args.threads or os.cpu_count()) // ranks, 1))
    if ranks > 1:
        dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=ranks)
    device = torch.device(args.device)
    cuda = device.type == "cuda"
    memory_format = torch.channels_last if cuda else torch.contiguous_format
    torch.manual_seed(args.seed)
    net = build_model(args.model, labels.shape[1]).to(device, memory_format=memory_format).train()
    model = DistributedDataParallel(net) if ranks > 1 else net
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.93, 0.999))
    autocast = torch.autocast(device.type, dtype=torch.bfloat16, enabled=args.precision == "bf16")
    pixels, targets = torch.from_numpy(images), torch.from_numpy(labels)
    count, share = len(images), args.batch_size // ranks
    steps_per_epoch = count // args.batch_size

    def batch(order, thetas, step):
        indices = order[step * args.batch_size + rank * share:step * args.batch_size + (rank + 1) * share]
        x = model_input(pixels[indices].to(device), SCALE_OF[dtype], args.input_size)
        x = augment(x, thetas, indices).contiguous(memory_format=memory_format)
        return x, targets[indices].to(device)

    def forward_backward(x, y):
        with autocast:
            loss = masked_bce(model(x), y)
        loss.backward()

    def barrier():
        if cuda:
            torch.cuda.synchronize()
        if ranks > 1:
            dist.barrier()

    for epoch in range(args.epochs):
        if epoch == min(1, args.epochs - 1):
            barrier()
            start = time.perf_counter()
        order = torch.randperm(count, generator=torch.Generator().manual_seed(args.seed * 7919 + epoch))
        thetas = epoch_transforms(count, args.seed, epoch)
        for step in range(steps_per_epoch):
            x, y = batch(order, thetas, step)
            optimizer.zero_grad(set_to_none=True)
            forward_backward(x, y)
            optimizer.step()
    barrier()
    seconds = time.perf_counter() - start
    steps = steps_per_epoch * (args.epochs - 1 if args.epochs > 1 else 1)

    allreduce_share = None
    if ranks > 1:  # untimed probe: forward + backward with and without the gradient all-reduce
        x, y = batch(order, thetas, 0)
        probe = {}
        for name in ("sync", "no_sync", "sync", "no_sync"):
            barrier()
            begin = time.perf_counter()
            for _ in range(SYNC_PROBE_STEPS):
                model.zero_grad(set_to_none=True)
                with model.no_sync() if name == "no_sync" else nullcontext():
                    forward_backward(x, y)
            barrier()
            probe[name] = time.perf_counter() - begin  # the second pass of each, caches warm
        allreduce_share = max(0.0, 1 - probe["no_sync"] / probe["sync"])
        dist.destroy_process_group()
    if rank == 0:
        samples = steps * args.batch_size
        result = {"pipeline": "h5py + PyTorch" + (" DDP (gloo)" if ranks > 1 else ""), "model": args.model,
                  "device": device.type, "precision": args.precision, "ranks": ranks,
                  "threads_per_rank": torch.get_num_threads(), "images": count, "epochs": args.epochs,
                  "batch_size": args.batch_size, "input_size": args.input_size, "samples": samples,
                  "seconds": seconds, "samples_per_second": samples / seconds, "seconds_per_step": seconds / steps}
        if allreduce_share is not None:
            result["allreduce_share"] = allreduce_share
        print(json.dumps(result)) if queue is None else queue.put(result)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pool")
    parser.add_argument("--model", choices=("small-cnn", "densenet121"), default="small-cnn")
    parser.add_argument("--input-size", type=int, default=320)
    parser.add_argument("--batch-size", type=int, default=32, help="global, over all ranks")
    parser.add_argument("--images", type=int, default=256, help="the pool's first N images")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads, shared by the ranks")
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--precision", choices=("fp32", "bf16"), default="fp32")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ranks", type=int, default=1)
    args = parser.parse_args()
    if args.ranks > 1 and args.device != "cpu" or args.ranks < 1 or args.epochs < 1 or args.batch_size % args.ranks:
        parser.error("--ranks > 1 runs on the CPU (gloo) only; --ranks and --epochs must be >= 1 and "
                     "--batch-size a multiple of --ranks")
    images, labels, dtype = read_pool(args.pool, args.images)
    if len(images) < args.batch_size:
        parser.error(f"{len(images)} images make no batch of {args.batch_size}")
    if args.ranks == 1:
        run(0, args, images, labels, dtype, None, None)
        return
    queue = mp.get_context("spawn").SimpleQueue()
    mp.spawn(run, args=(args, images, labels, dtype, free_port(), queue), nprocs=args.ranks)
    print(json.dumps(queue.get()))


if __name__ == "__main__":
    main()
