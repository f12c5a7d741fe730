#!/usr/bin/python3
"""PyTorch Python peer for bench-train: the identical training loop, same kernels.

LeNet-5-Caffe on Fashion-MNIST (real images, batch 128) or the GDumb ResNet-18 on 32x32x3
batches of 16 (random images, 10 classes); SGD lr 0.05, momentum 0.9, weight decay 1e-6;
forward, cross-entropy, zero_grad, backward, step, loss.item() every step (as the C++ loop).
Run with Debian's /usr/bin/python3 (python3-torch 1.13). Prints samples_per_s=<value>.
"""
import argparse
import gzip
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 50, 5)
        self.fc1 = nn.Linear(800, 500)
        self.fc2 = nn.Linear(500, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


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
        y = self.conv2(self.conv1(x))
        return y + (self.shortcut(x) if self.shortcut is not None else x)


class GDumbResNet18(nn.Module):
    def __init__(self, in_channels=3, classes=10, width=1.0):
        super().__init__()
        widths = [max(4, round((64 << g) * width)) for g in range(4)]
        layers = [ConvBlock(in_channels, widths[0], 3, 1)]
        c = widths[0]
        for g, w in enumerate(widths):
            for b in range(2):
                layers.append(BasicBlock(c, w, (1 if g == 0 else 2) if b == 0 else 1))
                c = w
        self.body = nn.Sequential(*layers)
        self.final_linear = nn.Linear(widths[3], classes, bias=False)
        self.final_bn = nn.BatchNorm1d(classes)

    def forward(self, x):
        x = F.adaptive_avg_pool2d(self.body(x), 1).flatten(1)
        return self.final_bn(self.final_linear(x))


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["lenet5", "resnet18-gdumb"], required=True)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--channels-last", action="store_true")
    ap.add_argument("--width", type=float, default=1.0)
    ap.add_argument("--channels", type=int, default=3)
    ap.add_argument("--side", type=int, default=32)
    ap.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    if a.model == "lenet5":
        batch = 128
        n = batch * 32
        imgs = read_idx(f"{a.data_dir}/train-images-idx3-ubyte.gz")[:n]
        labels = read_idx(f"{a.data_dir}/train-labels-idx1-ubyte.gz")[:n]
        x_all = (torch.from_numpy(imgs.copy()).float().div(255).sub(0.2860).div(0.3530)).unsqueeze(1)
        y_all = torch.from_numpy(labels.astype(np.int64))
        net = LeNet5()
    else:
        batch = 16
        n = batch * 8
        x_all = torch.randn(n, a.channels, a.side, a.side)
        y_all = torch.randint(0, 10, (n,))
        net = GDumbResNet18(a.channels, 10, a.width)
    fmt = torch.channels_last if a.channels_last else torch.contiguous_format
    net = net.to(memory_format=fmt)
    x_all = x_all.contiguous(memory_format=fmt)
    batches = [(x_all[i:i + batch], y_all[i:i + batch]) for i in range(0, n, batch)]
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-6)
    net.train()

    def step(i):
        x, y = batches[i % len(batches)]
        loss = F.cross_entropy(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    for i in range(a.warmup):
        step(i)
    t0 = time.perf_counter()
    for i in range(a.steps):
        step(i)
    dt = time.perf_counter() - t0
    print(f"samples_per_s={a.steps * batch / dt:.3f}")


if __name__ == "__main__":
    main()
