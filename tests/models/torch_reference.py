#!/usr/bin/env python3
"""models-torch-reference, the PyTorch side: nncompress's models against Python definitions.

models-reference-writer (write_reference.cpp) saved, for each case, nncompress's weights as
CASE.safetensors and CASE_io.safetensors (an input batch, nncompress's outputs, the model's
settings as metadata). This script reads both with its own safetensors reader (Debian
bookworm has no safetensors package), builds the model from the Python definitions below,
loads the weights strictly (every tensor used, none missing) and checks
  - the parameter count nncompress reports equals the Python model's, and
  - the Python model's eval-mode outputs equal nncompress's.

The definitions are written from the originals, not from nncompress's C++:
  - GDumb's CIFAR ResNet-18 (Prabhu et al. 2020, github.com/drimpossible/GDumb,
    src/models/cifar/resnet.py and layers.py with the default options): ConvBlock = conv
    without bias, BatchNorm(eps = bn_eps = 1e-6), ReLU; BasicBlock = two ConvBlocks plus a
    shortcut (a 1x1 ConvBlock, ReLU included, where shape changes), no ReLU after the add;
    a 3x3 stride-1 stem; groups of 2 blocks with 64/128/256/512 channels, strides 1/2/2/2;
    global average pooling; FinalBlock = Linear without bias + BatchNorm1d(eps 1e-6).
  - The SplitR cuts of FETCH (Weissflog et al. 2024): the backbone behind an encoder cut
    after group b drops the stem and the first b groups; a cut b.5 also drops the first
    block of the next group; its first block takes the encoder's channels.
  - nncompress's width multiplier (not in GDumb): group g has max(4, round(64 * 2^g * w))
    channels.
  - LeNet-5-Caffe as the PyTorch pruning literature defines it (e.g. Louizos et al.'s L0
    code): conv5(20) ReLU maxpool2, conv5(50) ReLU maxpool2, fc 500 ReLU, fc classes. (Caffe's
    own prototxt has no ReLU after the convolutions; the PyTorch variant does.)

Tolerance: max |python - nncompress| / max(1, max |nncompress|) <= 1e-5. Both sides run
LibTorch's float32 kernels but may pick different convolution algorithms and summation
orders; over 17 layers that rounding reaches ~1e-6 relative, while a structural slip (a
missing ReLU, a wrong eps, a swapped tensor) changes outputs by 1e-2 or more.

Usage: torch_reference.py DIR   (exit 0: all match; 1: a mismatch, named on stdout)
"""
import json
import os
import re
import struct
import sys

import torch
from torch import nn

TOLERANCE = 1e-5
DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64, "I32": torch.int32,
          "U8": torch.uint8, "BOOL": torch.bool}


def read_safetensors(path):
    """(tensors, metadata) from the documented layout: u64 little-endian header size N, N
    bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]}}, then the data; offsets
    count from the end of the header."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    data = blob[8 + n:]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, e in header.items():
        begin, end = e["data_offsets"]
        dtype = DTYPES[e["dtype"]]
        count = 1
        for s in e["shape"]:
            count *= s
        assert 0 <= begin <= end <= len(data), f"{path}: {name} lies outside the file"
        assert end - begin == count * torch.tensor([], dtype=dtype).element_size(), f"{path}: {name} size"
        t = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype) if end > begin else torch.empty(0, dtype=dtype)
        tensors[name] = t.reshape(e["shape"])
    return tensors, metadata


# ------------------------------------------------------------------ GDumb's ResNet-18

class ConvBlock(nn.Module):
    def __init__(self, cin, cout, k, stride):
        super().__init__()
        self.block = nn.Sequential(nn.Conv2d(cin, cout, k, stride, padding=k // 2, bias=False),
                                   nn.BatchNorm2d(cout, eps=1e-6), nn.ReLU())

    def forward(self, x):
        return self.block(x)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = ConvBlock(cin, cout, 3, stride)
        self.conv2 = ConvBlock(cout, cout, 3, 1)
        self.downsample = ConvBlock(cin, cout, 1, stride) if stride != 1 or cin != cout else None

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        return self.conv2(self.conv1(x)) + shortcut


class GDumbResNet18(nn.Module):
    """block 0: the whole network; block b > 0: the part behind a cut after group b."""

    def __init__(self, in_channels, classes, block=0.0, width=1.0):
        super().__init__()
        widths = [max(4, round(64 * 2 ** g * width)) for g in range(4)]
        strides = [1, 2, 2, 2]
        self.stages = []  # (attribute path, module), in forward order
        if block == 0:
            self.initial = ConvBlock(in_channels, widths[0], 3, 1)
            self.stages.append(("initial", self.initial))
            c = widths[0]
        else:
            c = in_channels
        skip_groups = int(block)  # groups 1..skip_groups are in the encoder
        half = block != int(block)
        for g in range(4):
            group = nn.Module()
            group.blocks = nn.Sequential()
            for i in range(2):
                if g < skip_groups or (half and g == skip_groups and i == 0):
                    continue
                b = BasicBlock(c, widths[g], strides[g] if i == 0 else 1)
                group.blocks.add_module(f"block{i}", b)
                self.stages.append((f"group{g + 1}.blocks.block{i}", b))
                c = widths[g]
            if len(group.blocks):
                setattr(self, f"group{g + 1}", group)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.final = nn.Module()
        self.final.block = nn.Sequential(nn.Linear(c, classes, bias=False),  # c: last kept layer's
                                         nn.BatchNorm1d(classes, eps=1e-6))

    def forward(self, x):
        for _, m in self.stages:
            x = m(x)
        return self.final.block(self.pool(x).flatten(1))

    def from_nncompress(self, name):
        """The Python name of an nncompress tensor: body.i is the i-th kept stage."""
        m = re.fullmatch(r"body\.(\d+)\.(.*)", name)
        if m:
            prefix, rest = self.stages[int(m.group(1))][0], m.group(2)
            rest = re.sub(r"^shortcut\.", "downsample.", rest)
            rest = re.sub(r"(^|\.)conv\.", r"\1block.0.", rest)
            rest = re.sub(r"(^|\.)bn\.", r"\1block.1.", rest)
            return f"{prefix}.{rest}"
        return {"final_linear.weight": "final.block.0.weight"}.get(
            name, re.sub(r"^final_bn\.", "final.block.1.", name))


# ------------------------------------------------------------------ LeNet-5-Caffe

class LeNet5(nn.Module):
    def __init__(self, in_channels, classes, side):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 20, 5)
        self.conv2 = nn.Conv2d(20, 50, 5)
        after = ((side - 4) // 2 - 4) // 2
        self.fc1 = nn.Linear(50 * after * after, 500)
        self.fc2 = nn.Linear(500, classes)

    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.max_pool2d(torch.relu(self.conv2(x)), 2)
        return self.fc2(torch.relu(self.fc1(x.flatten(1))))

    def from_nncompress(self, name):
        return name


def build(meta, x):
    classes, cin = int(meta["classes"]), int(meta["in_channels"])
    if meta["model"] == "lenet5":
        return LeNet5(cin, classes, x.shape[-1])
    if meta["model"] == "resnet18-gdumb":
        block = float(meta["backbone_block"])
        return GDumbResNet18(x.shape[1] if block > 0 else cin, classes, block, float(meta["width"]))
    raise SystemExit(f"unknown model {meta['model']}")


def check(directory, case):
    weights, _ = read_safetensors(os.path.join(directory, case + ".safetensors"))
    io, meta = read_safetensors(os.path.join(directory, case + "_io.safetensors"))
    x, want = io["input"], io["output"]
    model = build(meta, x)
    state = {model.from_nncompress(k): v for k, v in weights.items()}
    model.load_state_dict(state, strict=True)  # raises on a missing or unexpected tensor
    model.eval()
    problems = []
    params = sum(p.numel() for p in model.parameters())
    if params != int(meta["parameters"]):
        problems.append(f"parameters: Python {params}, nncompress {meta['parameters']}")
    with torch.no_grad():
        got = model(x)
    if got.shape != want.shape:
        problems.append(f"output shape: Python {tuple(got.shape)}, nncompress {tuple(want.shape)}")
        diff = float("inf")
    else:
        diff = ((got - want).abs().max() / max(1.0, want.abs().max().item())).item()
        if not diff <= TOLERANCE:
            problems.append(f"outputs differ by {diff:.3g} (tolerance {TOLERANCE})")
    status = "ok  " if not problems else "FAIL"
    print(f"{status} {case}: {params} parameters, max |diff| / max(1, max |out|) = {diff:.3g}"
          + "".join(f"\n     {p}" for p in problems))
    return not problems


def main():
    directory = sys.argv[1]
    torch.set_num_threads(1)
    cases = sorted(f[:-len("_io.safetensors")] for f in os.listdir(directory) if f.endswith("_io.safetensors"))
    if not cases:
        print(f"FAIL no cases in {directory}")
        return 1
    results = [check(directory, c) for c in cases]
    print(f"models-torch-reference: {sum(results)} of {len(results)} cases match")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
