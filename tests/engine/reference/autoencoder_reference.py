#!/usr/bin/env python3
"""The saliency autoencoder in PyTorch, for test_saliency_autoencoder.cpp: its initial
state_dict, codes and reconstructions of random maps, and the losses and parameters after
full-batch Adam steps (one batch, so the order of the maps does not matter).

usage: autoencoder_reference.py OUTPUT_DIR
Writes OUTPUT_DIR/autoencoder_state_dict.pt and OUTPUT_DIR/autoencoder_reference.h5.
"""
import os
import sys

import h5py
import torch
from torch import nn

MAP_SIZE = 32
LATENT = 8
MAPS = 12
STEPS = 3
LEARNING_RATE = 1e-3


class SaliencyAutoencoder(nn.Module):
    """The architecture of engine/models/saliency_autoencoder.h, written from its comment."""

    def __init__(self, size, latent):
        super().__init__()
        self.side = size // 8
        cells = 64 * self.side * self.side
        self.conv1 = nn.Conv2d(1, 16, 3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.conv3 = nn.Conv2d(32, 64, 3, stride=2, padding=1)
        self.to_latent = nn.Linear(cells, latent)
        self.from_latent = nn.Linear(latent, cells)
        self.deconv1 = nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1)
        self.deconv2 = nn.ConvTranspose2d(32, 16, 4, stride=2, padding=1)
        self.deconv3 = nn.ConvTranspose2d(16, 1, 4, stride=2, padding=1)

    def encode(self, x):
        x = torch.relu(self.conv3(torch.relu(self.conv2(torch.relu(self.conv1(x))))))
        return self.to_latent(x.flatten(1))

    def decode(self, z):
        x = torch.relu(self.from_latent(z)).view(z.shape[0], 64, self.side, self.side)
        return torch.sigmoid(self.deconv3(torch.relu(self.deconv2(torch.relu(self.deconv1(x))))))


def main(output_dir):
    os.makedirs(output_dir, exist_ok=True)
    torch.manual_seed(2026)
    model = SaliencyAutoencoder(MAP_SIZE, LATENT)
    torch.save(model.state_dict(), os.path.join(output_dir, "autoencoder_state_dict.pt"))
    maps = torch.rand(MAPS, 1, MAP_SIZE, MAP_SIZE, generator=torch.Generator().manual_seed(7))
    with torch.no_grad():
        codes = model.encode(maps)
        reconstructions = model.decode(codes)
    adam = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    losses = []
    for _ in range(STEPS):
        adam.zero_grad()
        loss = ((model.decode(model.encode(maps)) - maps) ** 2).mean()
        loss.backward()
        adam.step()
        losses.append(loss.item())
    path = os.path.join(output_dir, "autoencoder_reference.h5")
    with h5py.File(path + ".tmp", "w") as out:
        out["maps"] = maps.numpy()
        out["codes"] = codes.numpy()
        out["reconstructions"] = reconstructions.numpy()
        out["losses"] = torch.tensor(losses, dtype=torch.float64).numpy()
        for name, value in model.state_dict().items():
            out[f"trained/{name}"] = value.numpy()
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main(sys.argv[1])
