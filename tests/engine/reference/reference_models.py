"""Models the C++ tests compare salient's built-in architectures against.

torchvision's DenseNet-121, ResNet-18 and ResNet-50 are used as they are; the small CNN
is salient's own test architecture (engine/models/small_cnn.h), written here with the same
module names so that its state_dict loads into salient by name. Batch-norm parameters and
statistics and the classifier's bias are randomised: with their initial values (1, 0, mean 0, var 1) a wrong
batch-norm would go unnoticed.
"""
from collections import OrderedDict

import torch
from torch import nn
import torchvision


class SmallCnn(nn.Module):
    """Four conv3×3-BN-ReLU blocks (16, 32, 64, 128 channels), 2×2 max pooling after the
    first three, global average pooling, a linear classifier."""

    WIDTHS = (16, 32, 64, 128)

    def __init__(self, in_channels, classes):
        super().__init__()
        channels = in_channels
        for index, width in enumerate(self.WIDTHS):
            layers = OrderedDict(
                conv=nn.Conv2d(channels, width, kernel_size=3, padding=1, bias=False),
                norm=nn.BatchNorm2d(width),
                relu=nn.ReLU(),
            )
            if index + 1 < len(self.WIDTHS):
                layers["pool"] = nn.MaxPool2d(kernel_size=2, stride=2)
            self.add_module(f"block{index + 1}", nn.Sequential(layers))
            channels = width
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(channels, classes)

    def trunk(self, x):
        for index in range(len(self.WIDTHS)):
            x = getattr(self, f"block{index + 1}")(x)
        return x

    def forward(self, x):
        return self.classifier(torch.flatten(self.pool(self.trunk(x)), 1))


class DenseNetWithModules(nn.Module):
    """torchvision's DenseNet with its functional ReLU and pooling after `features` as
    modules, so that zennit can attach rules to them. Same parameters, same function."""

    def __init__(self, densenet):
        super().__init__()
        self.features = densenet.features
        self.relu = nn.ReLU()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = densenet.classifier

    def forward(self, x):
        return self.classifier(torch.flatten(self.pool(self.relu(self.features(x))), 1))


def randomise_batch_norms_and_biases(model, generator):
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.Linear):
                module.bias.copy_(0.1 * torch.randn(module.bias.shape, generator=generator))
            if isinstance(module, nn.BatchNorm2d):
                count = module.num_features
                module.weight.copy_(0.5 + torch.rand(count, generator=generator))
                module.bias.copy_(0.2 * torch.randn(count, generator=generator))
                module.running_mean.copy_(0.2 * torch.randn(count, generator=generator))
                module.running_var.copy_(0.5 + torch.rand(count, generator=generator))
                module.num_batches_tracked.fill_(7)


def build(name, in_channels, classes, seed):
    """A model in eval mode with seeded weights and randomised batch norms and biases."""
    torch.manual_seed(seed)
    if name == "small_cnn":
        model = SmallCnn(in_channels, classes)
    else:
        model = getattr(torchvision.models, name)(weights=None, num_classes=classes)
        if in_channels != 3:
            first = model.features.conv0 if name.startswith("densenet") else model.conv1
            replacement = nn.Conv2d(in_channels, first.out_channels, kernel_size=first.kernel_size,
                                    stride=first.stride, padding=first.padding, bias=False)
            nn.init.kaiming_normal_(replacement.weight)
            if name.startswith("densenet"):
                model.features.conv0 = replacement
            else:
                model.conv1 = replacement
    generator = torch.Generator().manual_seed(seed + 1)
    randomise_batch_norms_and_biases(model, generator)
    return model.eval()
