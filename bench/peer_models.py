"""Models and readers shared by the PyTorch Python peers of bench/train and bench/replay.

Each mirrors its nncompress counterpart layer for layer (src/models/resnet_gdumb.cpp), so
both sides of a benchmark run the same kernels.
"""
import gzip

import numpy as np
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


# --- GDumb ResNet-18 backbone (SplitR)
class ConvBlock(nn.Module):
    def __init__(self, cin, cout, k, stride):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=1e-6)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = ConvBlock(cin, cout, 3, stride)
        self.conv2 = ConvBlock(cout, cout, 3, 1)
        self.shortcut = ConvBlock(cin, cout, 1, stride) if stride != 1 or cin != cout else None

    def forward(self, x):
        return self.conv2(self.conv1(x)) + (self.shortcut(x) if self.shortcut is not None else x)


class GDumbResNet(nn.Module):
    """GDumb's ResNet-18: SplitR cut at `block` (0 = whole network), channel multiplier `width`."""

    def __init__(self, in_channels, block, width, classes):
        super().__init__()
        widths = [max(4, round((64 << g) * width)) for g in range(4)]
        layers = []
        if block == 0:
            layers.append(ConvBlock(in_channels, widths[0], 3, 1))
            c = widths[0]
        else:
            c = in_channels
        for g in range(block, 4):
            for b in range(2):
                layers.append(BasicBlock(c, widths[g], ([1, 2, 2, 2][g]) if b == 0 else 1))
                c = widths[g]
        self.body = nn.Sequential(*layers)
        self.final_linear = nn.Linear(widths[3], classes, bias=False)
        self.final_bn = nn.BatchNorm1d(classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x):
        x = F.adaptive_avg_pool2d(self.body(x), 1).flatten(1)
        return self.final_bn(self.final_linear(x))
