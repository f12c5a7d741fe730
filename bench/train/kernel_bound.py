#!/usr/bin/python3
"""What bounds GDumb's ResNet-18 on this CPU, in PyTorch Python (the same oneDNN kernels
nncompress calls): the network's arithmetic rate against a large matrix product's.

Prints, for fp32 and bf16 (autocast, channels-last; bf16 only where the CPU has bf16 units):
- the GFLOP/s of a square matrix product (2048^3) at that precision: the machine's rate;
- ResNet-18 (CIFAR shape, 10 classes) eval at batch 64 and training at batch 16, best of 10
  batches: images/s and the GFLOP/s they reach (multiply-adds of every conv and linear layer
  counted by hooks, x2 for FLOPs, x3 for a training step), as a share of the matmul rate;
- the time per op of one eval batch (torch.profiler, self CPU time of the top ops).
Near 100% and the convolutions' share near all of it: the kernels, not the framework around
them, bound the network on this machine. Best-of-10 batches is a peak; a whole test pass on a
shared machine runs slower.
Usage: /usr/bin/python3 bench/train/kernel_bound.py [--threads 2]
"""
import argparse
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from peer_models import GDumbResNet  # noqa: E402


def has_bf16_units():
    flags = open("/proc/cpuinfo").read()
    return "avx512_bf16" in flags or "amx_bf16" in flags


def best_seconds(fn, repeats):
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def gemm_gflops(dtype):
    a = torch.randn(2048, 2048).to(dtype)
    b = torch.randn(2048, 2048).to(dtype)
    return 2 * 2048 ** 3 / best_seconds(lambda: torch.mm(a, b), 5) / 1e9


def macs_per_image(net, x):
    total = [0]

    def hook(m, inp, out):
        if isinstance(m, nn.Conv2d):
            total[0] += out.numel() // out.shape[0] * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]
        elif isinstance(m, nn.Linear):
            total[0] += m.in_features * m.out_features
    handles = [m.register_forward_hook(hook) for m in net.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    with torch.no_grad():
        net.eval()(x[:1])
    for h in handles:
        h.remove()
    return total[0]


def measure(precision):
    bf16 = precision == "bf16"
    net = GDumbResNet(3, 0, 1.0, 10).to(memory_format=torch.channels_last)
    x = torch.randn(64, 3, 32, 32).contiguous(memory_format=torch.channels_last)
    y = torch.randint(0, 10, (16,))
    flops = 2 * macs_per_image(net, x)

    def eval_batch():
        with torch.inference_mode(), (torch.autocast("cpu", dtype=torch.bfloat16) if bf16 else torch.no_grad()):
            net(x)
    net.eval()
    eval_ips = 64 / best_seconds(eval_batch, 10)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)

    def train_step():
        with (torch.autocast("cpu", dtype=torch.bfloat16) if bf16 else torch.enable_grad()):
            out = net(x[:16])
        loss = F.cross_entropy(out.float(), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    net.train()
    train_sps = 16 / best_seconds(train_step, 10)
    matmul = gemm_gflops(torch.bfloat16 if bf16 else torch.float32)
    e, t = eval_ips * flops / 1e9, train_sps * 3 * flops / 1e9
    print(f"{precision}: matmul {matmul:.0f} GFLOP/s; ResNet-18 {flops / 1e9:.3f} GFLOP/image; "
          f"eval {eval_ips:.0f} img/s = {e:.0f} GFLOP/s ({100 * e / matmul:.0f}% of the matmul rate); "
          f"train {train_sps:.1f} samples/s = {t:.0f} GFLOP/s ({100 * t / matmul:.0f}%)")
    net.eval()
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
        eval_batch()
    rows = sorted(prof.key_averages(), key=lambda r: -r.self_cpu_time_total)[:6]
    total = sum(r.self_cpu_time_total for r in prof.key_averages())
    print("  eval batch 64, self time by op: " + ", ".join(
        f"{r.key} {100 * r.self_cpu_time_total / total:.0f}%" for r in rows))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    measure("fp32")
    if has_bf16_units():
        measure("bf16")
    else:
        print("bf16: this CPU has no bf16 units (avx512_bf16 / amx_bf16): not measured")


if __name__ == "__main__":
    main()
