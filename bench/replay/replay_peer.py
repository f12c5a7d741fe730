#!/usr/bin/python3
"""PyTorch Python peer for bench-replay: the FETCH/GDumb replay loop as researchers run it.

Same protocol and settings as `nncompress replay --protocol stream --compressor none`:
Fashion-MNIST classes 0-9 (5 tasks x 2), one shuffled pass in batches of 16, every streamed
batch encoded (CutR: torchvision-style ResNet-18 cut after layer k, weights from the same
safetensors file) and offered sample by sample to the greedy class-balanced sampler (slots);
then a fresh GDumb ResNet-18 (SplitR at backbone_block, width multiplier) is trained on the
memory: SGD 0.05, momentum 0.9, wd 1e-6, CosineAnnealingWarmRestarts(1, 2, 0.0005) with
epoch 0 at 0.1 x lr, batch 16, cutmix (alpha 1, p 0.5) when the maps are at least 4x4, grad
clip 10; the FINAL model is tested once (FETCH's test-every-epoch quirk is left out so both
sides do the same work). Run with Debian's /usr/bin/python3 (python3-torch 1.13).
Prints `stream_s=.. train_s=.. test_s=.. total_s=.. accuracy=..`.
"""
import argparse
import os
import sys
import json
import math
import random
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from peer_models import GDumbResNet, read_idx  # noqa: E402

MEAN, STD = 0.2860, 0.3530


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = {"F32": torch.float32, "I64": torch.int64}[info["dtype"]]
        b, e = info["data_offsets"]
        out[name] = torch.frombuffer(bytearray(data[base + b:base + e]), dtype=dtype).reshape(info["shape"])
    return out


# --- torchvision-style ResNet-18 encoder (names as torchvision: conv1, bn1, layer1.0.conv1, ...)
class TVBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + (self.downsample(x) if self.downsample is not None else x))


class CutR(nn.Module):
    def __init__(self, in_channels, block):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        c = 64
        for g, w in enumerate([64, 128, 256, 512][:block]):
            s = 1 if g == 0 else 2
            setattr(self, f"layer{g + 1}", nn.Sequential(TVBlock(c, w, s), TVBlock(w, w, 1)))
            c = w
        self.block = block

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 3, 2, 1)
        for g in range(self.block):
            x = getattr(self, f"layer{g + 1}")(x)
        return x


class GreedySampler:
    """GDumb's greedy class-balanced sampler, as FETCH writes it."""

    def __init__(self, slots):
        self.slots = slots
        self.mem = {}
        self.count = 0

    def add(self, x, y):
        if y not in self.mem:
            self.mem[y] = [x]
            self.count += 1
        elif len(self.mem[y]) < self.slots // len(self.mem):
            self.mem[y].append(x)
            self.count += 1
        else:
            return
        while self.count > self.slots:
            largest = max(self.mem, key=lambda k: len(self.mem[k]))
            self.mem[largest].pop(random.randrange(len(self.mem[largest])))
            self.count -= 1


def cutmix(x, y, alpha=1.0):
    lam = np.random.beta(alpha, alpha)
    perm = torch.randperm(x.size(0))
    h, w = x.shape[2], x.shape[3]
    rh, rw = int(h * math.sqrt(1 - lam)), int(w * math.sqrt(1 - lam))
    cy, cx = np.random.randint(h), np.random.randint(w)
    y1, y2 = np.clip(cy - rh // 2, 0, h), np.clip(cy + rh // 2, 0, h)
    x1, x2 = np.clip(cx - rw // 2, 0, w), np.clip(cx + rw // 2, 0, w)
    x = x.clone()
    x[:, :, y1:y2, x1:x2] = x[perm, :, y1:y2, x1:x2]
    lam = 1 - (y2 - y1) * (x2 - x1) / (h * w)
    return x, y, y[perm], lam


def fetch_optimizer(net):
    """FETCH's SGD and warm-restart schedule."""
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-6)
    return opt, torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=1, T_mult=2, eta_min=0.0005)


def start_pass(opt, sched, epoch):
    """FETCH's learning rate per pass: 0.1 x lr in pass 0, lr in pass 1, then the schedule."""
    if epoch <= 1:
        for g in opt.param_groups:
            g["lr"] = 0.005 if epoch == 0 else 0.05
    else:
        sched.step()


def train_step(net, opt, x, y, use_cutmix):
    """One step as FETCH takes it: cutmix with p 0.5, grad-norm clip 10, the loss read back."""
    if use_cutmix and np.random.rand() < 0.5:
        x, ya, yb, lam = cutmix(x, y)
        out = net(x)
        loss = lam * F.cross_entropy(out, ya) + (1 - lam) * F.cross_entropy(out, yb)
    else:
        loss = F.cross_entropy(net(x), y)
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(net.parameters(), 10.0)
    opt.step()
    loss.item()  # FETCH logs every batch's loss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--encoder", choices=["none", "cutr"], default="none")
    ap.add_argument("--encoding-block", type=int, default=3)
    ap.add_argument("--encoder-weights", default="")
    ap.add_argument("--memory-size", type=int, required=True)
    ap.add_argument("--num-passes", type=int, default=6)
    ap.add_argument("--backbone-width", type=float, default=1.0)
    ap.add_argument("--limit-test", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--device", default="cpu", help="torch device for the encoder, backbone and test pass")
    a = ap.parse_args()
    dev = torch.device(a.device)
    # Test batch: 64 on a CPU keeps activations in cache (faster than 512, as for nncompress).
    test_batch = 64 if dev.type == "cpu" else 1024
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    random.seed(a.seed)
    np.random.seed(a.seed)
    t_start = time.perf_counter()
    train_x = torch.from_numpy(read_idx(f"{a.data_dir}/train-images-idx3-ubyte.gz").copy()).unsqueeze(1)
    train_y = torch.from_numpy(read_idx(f"{a.data_dir}/train-labels-idx1-ubyte.gz").astype(np.int64))
    test_x = torch.from_numpy(read_idx(f"{a.data_dir}/t10k-images-idx3-ubyte.gz").copy()).unsqueeze(1)
    test_y = torch.from_numpy(read_idx(f"{a.data_dir}/t10k-labels-idx1-ubyte.gz").astype(np.int64))
    if a.limit_test:
        test_x, test_y = test_x[:a.limit_test], test_y[:a.limit_test]

    def normalize(u8):
        return (u8.float() / 255 - MEAN) / STD

    encoder = None
    if a.encoder == "cutr":
        encoder = CutR(1, a.encoding_block)
        missing, _ = encoder.load_state_dict(read_safetensors(a.encoder_weights), strict=False)
        assert not [m for m in missing if "num_batches" not in m], f"missing encoder tensors: {missing}"
        encoder.eval().to(dev)

    @torch.no_grad()
    def encode(u8):
        return normalize(u8.to(dev)) if encoder is None else encoder(normalize(u8.to(dev)))

    # Stream: one shuffled pass, every batch encoded, every sample offered to the sampler.
    t0 = time.perf_counter()
    sampler = GreedySampler(a.memory_size)
    order = torch.randperm(train_x.size(0))
    for s in range(0, order.numel(), 16):
        idx = order[s:s + 16]
        z = encode(train_x[idx]) if encoder is not None else train_x[idx]  # raw: stored as uint8
        for k in range(idx.numel()):
            sampler.add(z[k], int(train_y[idx[k]]))
    stream_s = time.perf_counter() - t0

    # Train a fresh backbone on the memory.
    t0 = time.perf_counter()
    xs, ys = [], []
    for c, items in sampler.mem.items():
        xs += items
        ys += [c] * len(items)
    mem_x = torch.stack(xs)
    mem_x = normalize(mem_x) if encoder is None else mem_x
    mem_x = mem_x.to(dev)
    mem_y = torch.tensor(ys).to(dev)
    net = GDumbResNet(mem_x.size(1), a.encoding_block if encoder is not None else 0, a.backbone_width, 10).to(dev)
    opt, sched = fetch_optimizer(net)
    use_cutmix = mem_x.dim() == 4 and mem_x.size(2) >= 4 and mem_x.size(3) >= 4
    for epoch in range(a.num_passes):
        start_pass(opt, sched, epoch)
        net.train()
        perm = torch.randperm(mem_x.size(0))
        for s in range(0, perm.numel(), 16):
            idx = perm[s:s + 16]
            if idx.numel() == 1:
                continue
            train_step(net, opt, mem_x[idx], mem_y[idx], use_cutmix)
    train_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    net.eval()
    with torch.no_grad():
        correct = 0
        for s in range(0, test_x.size(0), test_batch):
            out = net(encode(test_x[s:s + test_batch]))
            correct += int((out.argmax(1).cpu() == test_y[s:s + test_batch]).sum())
    test_s = time.perf_counter() - t0
    acc = correct / test_x.size(0)
    print(f"stream_s={stream_s:.2f} train_s={train_s:.2f} test_s={test_s:.2f} "
          f"total_s={time.perf_counter() - t_start:.2f} memory={mem_x.size(0)} accuracy={acc:.4f}")


if __name__ == "__main__":
    main()
