#!/usr/bin/python3
"""The researchers' status quo for bench_seed_line.sh: one seed line run the way the original
FETCH code runs it, in PyTorch Python.

The seed line "raw images, 1000 slots, GDumb ResNet-18, CIFAR-10 layout": the training set
streamed once (shuffled, batches of 16 from a DataLoader), every sample offered to the greedy
class-balanced sampler (one Python call per sample; memory items kept as CIFAR-normalised
float32 tensors, as FETCH keeps them), then a fresh backbone trained on the memory with FETCH's
settings (SGD 0.05, momentum 0.9, wd 1e-6, CosineAnnealingWarmRestarts(1, 2, 0.0005), epoch 0 at
0.1 x lr, batch 16, cutmix alpha 1 p 0.5, grad clip 10). As FETCH does, the WHOLE test set is
tested before every pass (DataLoader, batch 16, 2 workers) and the reported accuracy is the
best of those tests: the model after the last pass is never tested. Training batches come from
a DataLoader with 2 workers too. Threads and OpenMP wait policy: PyTorch's defaults.
Run with Debian's /usr/bin/python3 (python3-torch). Prints
`stream_s=.. train_s=.. test_s=.. total_s=.. memory=.. best_accuracy=.. last_tested_accuracy=..`.
"""
import argparse
import os
import random
import sys
import time

import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_models import GDumbResNet  # noqa: E402
from replay_peer import GreedySampler, fetch_optimizer, start_pass, train_step  # noqa: E402

CIFAR10_MEAN = torch.tensor([0.4914, 0.4822, 0.4465]).view(1, 3, 1, 1)
CIFAR10_STD = torch.tensor([0.2023, 0.1994, 0.2010]).view(1, 3, 1, 1)


def read_cifar10_bin(folder, names):
    """CIFAR-10 binary records: 1 label byte + 3072 pixel bytes (3 planes of 32x32)."""
    raw = np.concatenate([np.fromfile(os.path.join(folder, n), dtype=np.uint8).reshape(-1, 3073)
                          for n in names])
    x = torch.from_numpy(raw[:, 1:].reshape(-1, 3, 32, 32).copy())
    y = torch.from_numpy(raw[:, 0].astype(np.int64))
    return x, y


def normalize(u8):
    return (u8.float() / 255 - CIFAR10_MEAN) / CIFAR10_STD


def test_pass(net, loader):
    net.eval()
    correct = total = 0
    with torch.no_grad():
        for x, y in loader:
            correct += int((net(x).argmax(1) == y).sum())
            total += y.numel()
    return correct / total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", required=True, help="folder holding cifar-10-batches-bin/")
    ap.add_argument("--memory-size", type=int, default=1000)
    ap.add_argument("--num-passes", type=int, default=4)
    ap.add_argument("--limit-test", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=2, help="DataLoader workers (FETCH: 2)")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    random.seed(a.seed)
    np.random.seed(a.seed)
    t_start = time.perf_counter()
    folder = os.path.join(a.data_dir, "cifar-10-batches-bin")
    train_x, train_y = read_cifar10_bin(folder, [f"data_batch_{i}.bin" for i in range(1, 6)])
    test_x, test_y = read_cifar10_bin(folder, ["test_batch.bin"])
    if a.limit_test:
        test_x, test_y = test_x[:a.limit_test], test_y[:a.limit_test]

    # Stream: one shuffled pass in batches of 16, each sample offered to the sampler.
    t0 = time.perf_counter()
    sampler = GreedySampler(a.memory_size)
    stream = DataLoader(TensorDataset(train_x, train_y), batch_size=16, shuffle=True)
    for x, y in stream:
        z = normalize(x)
        for k in range(y.numel()):
            sampler.add(z[k], int(y[k]))
    stream_s = time.perf_counter() - t0

    xs, ys = [], []
    for c, items in sampler.mem.items():
        xs += items
        ys += [c] * len(items)
    memory = TensorDataset(torch.stack(xs), torch.tensor(ys))
    train_loader = DataLoader(memory, batch_size=16, shuffle=True, num_workers=a.workers,
                              drop_last=False, persistent_workers=a.workers > 0)
    test_loader = DataLoader(TensorDataset(normalize(test_x), test_y), batch_size=16,
                             num_workers=a.workers, persistent_workers=a.workers > 0)
    net = GDumbResNet(3, 0, 1.0, 10)
    opt, sched = fetch_optimizer(net)
    train_s = test_s = 0.0
    accuracies = []
    for epoch in range(a.num_passes):
        start_pass(opt, sched, epoch)
        t0 = time.perf_counter()
        accuracies.append(test_pass(net, test_loader))  # FETCH tests BEFORE training the pass
        test_s += time.perf_counter() - t0
        t0 = time.perf_counter()
        net.train()
        for x, y in train_loader:
            if y.numel() == 1:
                continue  # BatchNorm1d on the logits fails on a batch of one
            train_step(net, opt, x, y, use_cutmix=True)
        train_s += time.perf_counter() - t0
    print(f"stream_s={stream_s:.2f} train_s={train_s:.2f} test_s={test_s:.2f} "
          f"total_s={time.perf_counter() - t_start:.2f} memory={len(memory)} "
          f"best_accuracy={max(accuracies):.4f} last_tested_accuracy={accuracies[-1]:.4f}")


if __name__ == "__main__":
    main()
