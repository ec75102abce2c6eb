"""Reference logits of the weights `salient import-weights` reads, on the same images:
torchxrayvision 1.5.7's DenseNet (`xrv.models.DenseNet(weights=None)`, seeded, 18 outputs,
fed xrv.utils.normalize(image, 255) as its README does) and torchvision's DenseNet-121 and
ResNet-50 (fed the grey image repeated over RGB, normalised with ImageNet's statistics
averaged over RGB, salient's torchvision convention). Batch norms and biases are randomised
so that every parameter and running statistic matters.

Usage: import_weights_reference.py OUTPUT_DIR
Writes OUTPUT_DIR/import_<case>.pt (torch.save(model.state_dict())) and
OUTPUT_DIR/import_weights_reference.h5: "images" (uint8, N×224×224) and "<case>/logits".
"""
import os
import sys

import h5py
import numpy as np
import torch
import torchxrayvision as xrv

from reference_models import build, randomise_batch_norms_and_biases

NIH_FINDINGS = ["Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Mass", "Nodule", "Pneumonia",
                "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis", "Pleural_Thickening", "Hernia"]
SIZE = 224


def images():
    """Two grey images with structure at every scale: smooth gradients, a disc, noise."""
    rows, cols = np.mgrid[0:SIZE, 0:SIZE] / SIZE
    noise = np.random.default_rng(5).random((2, SIZE, SIZE))
    disc = ((rows - 0.4) ** 2 + (cols - 0.6) ** 2 < 0.05).astype(float)
    stack = np.stack([0.5 * rows + 0.3 * disc + 0.2 * noise[0], 0.8 * cols * (1 - disc) + 0.2 * noise[1]])
    return np.round(255 * np.clip(stack, 0, 1)).astype(np.uint8)


def main(output_dir):
    os.makedirs(output_dir, exist_ok=True)
    pixels = images()
    unit = torch.from_numpy(pixels.astype(np.float32) / 255.0)[:, None]
    path = os.path.join(output_dir, "import_weights_reference.h5")
    with h5py.File(path + ".tmp", "w") as out:
        out["images"] = pixels
        torch.manual_seed(11)
        model = xrv.models.DenseNet(weights=None)
        randomise_batch_norms_and_biases(model, torch.Generator().manual_seed(12))
        model.eval()
        torch.save(model.state_dict(), os.path.join(output_dir, "import_xrv_densenet.pt"))
        x = torch.from_numpy(np.stack([xrv.utils.normalize(p, 255) for p in pixels]))[:, None]
        with torch.no_grad():
            logits = model(x).numpy()
        out["xrv_densenet/logits"] = logits
        columns = [xrv.datasets.default_pathologies.index(name) for name in NIH_FINDINGS]
        out["xrv_densenet/nih_logits"] = logits[:, columns]
        for seed, (name, classes) in enumerate((("densenet121", 5), ("resnet50", 4)), start=20):
            model = build(name, 3, classes, seed=seed)
            torch.save(model.state_dict(), os.path.join(output_dir, f"import_tv_{name}.pt"))
            with torch.no_grad():
                out[f"tv_{name}/logits"] = model(((unit - 0.449) / 0.226).repeat(1, 3, 1, 1)).numpy()
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main(sys.argv[1])
