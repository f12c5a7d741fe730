#!/usr/bin/python3
"""GDumb in plain PyTorch with nncompress's replay memory: a class-incremental stream of
Fashion-MNIST (5 tasks x 2 classes) goes through a 100 KiB JPEG memory; after each task a
fresh model is trained on the memory alone and tested on the classes seen so far.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/gdumb_loop.py [--quick]
"""
import gzip
import sys

import numpy as np
import torch

from nncompress import replay

quick = "--quick" in sys.argv
DATA = "/usr/share/datasets/fashion-mnist"  # Debian's dataset-fashion-mnist


def idx(name):
    with gzip.open(f"{DATA}/{name}.gz") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return torch.from_numpy(np.frombuffer(raw, np.uint8, offset=4 + 4 * dims).reshape(shape).copy())


x, y = idx("train-images-idx3-ubyte").unsqueeze(1), idx("train-labels-idx1-ubyte").long()
xt, yt = idx("t10k-images-idx3-ubyte").unsqueeze(1), idx("t10k-labels-idx1-ubyte").long()
if quick:
    x, y, xt, yt = x[:3000], y[:3000], xt[:500], yt[:500]
memory = replay.Memory(budget="100KiB", compressor="jpeg", quality=50)
torch.manual_seed(0)
for task in range(5):
    seen = 2 * (task + 1)
    stream = ((y >= seen - 2) & (y < seen)).nonzero().flatten()
    for i in range(0, len(stream), 256):
        memory.offer(x[stream[i:i + 256]], y[stream[i:i + 256]])
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loader = torch.utils.data.DataLoader(memory.dataset(), batch_size=16, shuffle=True)
    for epoch in range(1 if quick else 10):
        for xb, yb in loader:
            loss = torch.nn.functional.cross_entropy(model(xb.float() / 255), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
    mask = yt < seen
    with torch.no_grad():
        acc = (model(xt[mask].float() / 255).argmax(1) == yt[mask]).float().mean().item()
    print(f"task {task + 1}: {len(memory)} items in {memory.bytes_used} B {memory.items_per_class}, accuracy {acc:.3f}")
