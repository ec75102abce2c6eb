"""GPU baseline for bench/bench_glcm.cpp (BM_GlcmCuda): the 24 GLCM features written with
PyTorch ops on a batch of 320x320 float32 saliency maps, binCount levels, distance 1, the four
angles, symmetric matrices, mean over the angles (levels by floor of the min-max scaled value,
PyRadiomics binCount up to values on an edge); MCC from torch.linalg.eigvalsh of
B = D^-1/2 p D^-1/2 (docs/formulas.md). Counts by scatter_add of (level a, level b) keys.
Prints maps per second at each batch size, timed with CUDA events after a warm-up.

usage: glcm_torch_baseline.py [BATCH ...]   (default 1024 8192; needs a CUDA device)
"""
import sys

import torch

from map_features_baselines import saliency_maps

EPS = 2.220446049250313e-16
OFFSETS = ((0, 1), (1, -1), (1, 0), (1, 1))


def levels_of(maps, bins):
    """binCount levels 1..bins per map: linspace(min, max, bins + 1), last edge + 1, digitize."""
    lo = maps.amin((1, 2), keepdim=True)
    hi = maps.amax((1, 2), keepdim=True)
    scaled = (maps - lo) / (hi - lo).clamp_min(1e-30) * bins
    return scaled.floor().clamp(0, bins - 1).long() + 1


def cooccurrence(levels, bins):
    n, h, w = levels.shape
    dim = bins + 1
    counts = torch.zeros(n, len(OFFSETS), dim * dim, device=levels.device, dtype=torch.float64)
    for a, (dy, dx) in enumerate(OFFSETS):
        x0, x1 = max(0, -dx), w - max(0, dx)
        first = levels[:, : h - dy, x0:x1]
        second = levels[:, dy:, x0 + dx: x1 + dx]
        keys = (first * dim + second).reshape(n, -1)
        counts[:, a].scatter_add_(1, keys, torch.ones_like(keys, dtype=torch.float64))
    p = counts.view(n, len(OFFSETS), dim, dim)[:, :, 1:, 1:]
    p = p + p.transpose(-1, -2)
    return p / p.sum((-1, -2), keepdim=True)


def features(p, ng):
    dev = p.device
    g = torch.arange(1, p.shape[-1] + 1, device=dev, dtype=torch.float64)
    i, j = g.view(-1, 1), g.view(1, -1)
    px = p.sum(-1)
    mu = (px * g).sum(-1)
    k_sum = (i + j).long() - 2
    k_diff = (i - j).abs().long()
    flat = p.flatten(-2)
    p_sum = torch.zeros(*p.shape[:2], 2 * p.shape[-1] - 1, device=dev, dtype=torch.float64)
    p_sum.scatter_add_(-1, k_sum.flatten().expand_as(flat), flat)
    p_diff = torch.zeros(*p.shape[:2], p.shape[-1], device=dev, dtype=torch.float64)
    p_diff.scatter_add_(-1, k_diff.flatten().expand_as(flat), flat)
    ks = torch.arange(2, 2 * p.shape[-1] + 1, device=dev, dtype=torch.float64)
    kd = torch.arange(0, p.shape[-1], device=dev, dtype=torch.float64)
    ent = lambda q, dims: -(q * torch.log2(q + EPS)).sum(dims)
    hxy, hx = ent(p, (-1, -2)), ent(px, -1)
    outer = px.unsqueeze(-1) * px.unsqueeze(-2)
    hxy1 = -(p * torch.log2(outer + EPS)).sum((-1, -2))
    hxy2 = ent(outer, (-1, -2))
    ss = (px * (g - mu.unsqueeze(-1)) ** 2).sum(-1)
    d = ks - 2 * mu.unsqueeze(-1)
    da = (kd * p_diff).sum(-1)
    contrast = (kd ** 2 * p_diff).sum(-1)
    inv = torch.rsqrt(px.clamp_min(1e-300)) * (px > 0)
    b = inv.unsqueeze(-1) * p * inv.unsqueeze(-2)
    mcc = torch.linalg.eigvalsh(b).abs().sort(-1).values[..., -2]
    out = [(p * i * j).sum((-1, -2)), mu, (d ** 4 * p_sum).sum(-1), (d ** 3 * p_sum).sum(-1), (d ** 2 * p_sum).sum(-1),
           contrast, torch.where(ss > 0, (ss - contrast / 2) / (ss + EPS), torch.ones_like(ss)), da,
           ent(p_diff, -1), ((kd - da.unsqueeze(-1)) ** 2 * p_diff).sum(-1), (p ** 2).sum((-1, -2)), hxy,
           (hxy - hxy1) / hx, torch.sqrt((1 - torch.exp(-2 * (hxy2 - hxy))).clamp_min(0)),
           (p_diff / (1 + kd ** 2)).sum(-1), mcc, (p_diff / (1 + kd ** 2 / ng ** 2)).sum(-1),
           (p_diff / (1 + kd)).sum(-1), (p_diff / (1 + kd / ng)).sum(-1), (p_diff[..., 1:] / kd[1:] ** 2).sum(-1),
           p.amax((-1, -2)), (ks * p_sum).sum(-1), ent(p_sum, -1), ss]
    return torch.stack(out, -1).mean(1)


def main():
    if not torch.cuda.is_available():
        sys.exit("glcm_torch_baseline.py needs a CUDA device")
    batches = [int(a) for a in sys.argv[1:]] or [1024, 8192]
    print("| bins | maps | implementation | maps/s |")
    print("| --- | --- | --- | --- |")
    for bins in (32, 64):
        for n in batches:
            maps = torch.from_numpy(saliency_maps(min(n, 64), 320)).cuda().repeat((n + 63) // 64, 1, 1)[:n]
            run = lambda: features(cooccurrence(levels_of(maps, bins), bins), bins)
            run()
            start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            run()
            stop.record()
            torch.cuda.synchronize()
            print(f"| {bins} | {n} | PyTorch ops | {n / (start.elapsed_time(stop) / 1e3):.0f} |")


if __name__ == "__main__":
    main()
