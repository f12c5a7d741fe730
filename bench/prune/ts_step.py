#!/usr/bin/python3
"""PyTorch Python peer for bench-prune-ts-step: the same teacher-student training step.

Student [2,25,25,1] tanh, 300 samples (one batch), MSE at theta*m, DRR gradient added after
backward (alpha*beta*sign*exp(-beta|theta|)), Adam, theta *= m after the step: the loop the
LibTorch and fused paths run. Run with Debian's /usr/bin/python3 (python3-torch 1.13).
Prints one line: step_us=<mean microseconds per step>.
"""
import argparse
import time

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--alpha", type=float, default=1e-3)
    ap.add_argument("--beta", type=float, default=5.0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(2, 25), torch.nn.Tanh(), torch.nn.Linear(25, 25), torch.nn.Tanh(),
                              torch.nn.Linear(25, 1))
    params = list(net.parameters())
    masks = [torch.ones_like(p) for p in params]
    x = torch.rand(300, 2) * 2 - 1
    y = torch.randn(300, 1)
    opt = torch.optim.Adam(params, lr=1e-3)

    def step():
        out = net(x)
        loss = torch.nn.functional.mse_loss(out, y)
        opt.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p, m in zip(params, masks):
                p.grad.mul_(m)
                p.grad.add_(a.alpha * a.beta * torch.sign(p) * torch.exp(-a.beta * p.abs()))
        opt.step()
        with torch.no_grad():
            for p, m in zip(params, masks):
                p.mul_(m)
        return loss.item()

    for _ in range(200):
        step()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        step()
    dt = time.perf_counter() - t0
    print(f"step_us={dt / a.steps * 1e6:.2f}")


if __name__ == "__main__":
    main()
