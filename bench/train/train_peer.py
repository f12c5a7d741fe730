#!/usr/bin/python3
"""PyTorch Python peer for bench-train: the identical training loop, same kernels.

LeNet-5-Caffe on Fashion-MNIST (real images, batch 128) or the GDumb ResNet-18 on 32x32x3
batches of 16 (random images, 10 classes); SGD lr 0.05, momentum 0.9, weight decay 1e-6;
forward, cross-entropy, zero_grad, backward, step, loss.item() every step (as the C++ loop).
Run with Debian's /usr/bin/python3 (python3-torch 1.13). Prints samples_per_s=<value>.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from peer_models import GDumbResNet, read_idx  # noqa: E402


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
    ap.add_argument("--precision", choices=["fp32", "bf16", "fp16"], default="fp32")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--eval", action="store_true", help="time inference (batch 256) instead of training")
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
        net = GDumbResNet(a.channels, 0, a.width, 10)
    if a.eval:
        batch = 256
        x_all = torch.randn(batch * 2, *x_all.shape[1:])
        y_all = torch.randint(0, 10, (batch * 2,))
        n = batch * 2
    fmt = torch.channels_last if a.channels_last else torch.contiguous_format
    dev = torch.device(a.device)
    net = net.to(dev, memory_format=fmt)
    x_all = x_all.to(dev).contiguous(memory_format=fmt)
    y_all = y_all.to(dev)
    batches = [(x_all[i:i + batch], y_all[i:i + batch]) for i in range(0, n, batch)]
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-6)
    low = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(a.precision)
    net.eval() if a.eval else net.train()

    def step(i):
        x, y = batches[i % len(batches)]
        if a.eval:  # inference: no graph, outputs read once per batch as a loop over a test set would
            with torch.inference_mode(), torch.autocast(dev.type, dtype=low, enabled=low is not None):
                return net(x).float().argmax(1).sum().item()
        with torch.autocast(dev.type, dtype=low, enabled=low is not None):
            out = net(x)
        loss = F.cross_entropy(out.float(), y)
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
