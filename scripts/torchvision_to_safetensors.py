#!/usr/bin/env python3
"""Write torchvision's ResNet-18/34 weights as a safetensors file that nncompress reads.

The CutR encoders (`--encoder cutr` / `cutr34`) and the `resnet18` / `resnet34` models use
torchvision's parameter names, so a torchvision state dict only needs its container changed:
float tensors are written as F32 (what nncompress computes in), BatchNorm's
num_batches_tracked as I64, each under its torchvision name.

  scripts/torchvision_to_safetensors.py --arch resnet18 --out resnet18-imagenet.safetensors
  scripts/torchvision_to_safetensors.py --arch resnet34 --state-dict resnet34-b627a593.pth --out r34.safetensors
  scripts/torchvision_to_safetensors.py --arch resnet18 --random-init --seed 0 --out r18-random.safetensors

Without --state-dict or --random-init, torchvision downloads the ImageNet weights
(IMAGENET1K_V1) into its cache (~/.cache/torch/hub/checkpoints/). Needs only torch and
torchvision (Debian: python3-torchvision); the safetensors format is written here directly
because Debian bookworm has no safetensors package.
"""
import argparse
import json
import os
import struct
import sys

PROG = "torchvision_to_safetensors"
ARCHS = ("resnet18", "resnet34")


def fail(message):
    """One line on stderr, exit status 1: errors end the script, never a traceback."""
    print(f"{PROG}: error: {message}", file=sys.stderr)
    sys.exit(1)


def import_torchvision():
    try:
        import torch
        import torchvision
    except ImportError as e:
        fail(f"{sys.executable} cannot import torch/torchvision ({e}); install python3-torchvision "
             f"(Debian) or `pip install torchvision`, or run the script with a Python that has them")
    major, minor = (int(part) for part in torchvision.__version__.split(".")[:2])
    if (major, minor) < (0, 13):  # the weights= API used here (older ones take pretrained=)
        fail(f"torchvision {torchvision.__version__} is older than 0.13; upgrade it")
    return torch, torchvision


def safetensors_entry(tensor, torch):
    """(dtype name, little-endian bytes): floats become F32, integers I64 (bytes stay U8), as
    nncompress keeps them."""
    t = tensor.detach().cpu().contiguous()
    if t.is_floating_point():
        return "F32", t.to(torch.float32).numpy().astype("<f4").tobytes()
    if t.dtype in (torch.bool, torch.uint8):
        return ("BOOL" if t.dtype == torch.bool else "U8"), t.numpy().astype("u1").tobytes()
    return "I64", t.to(torch.int64).numpy().astype("<i8").tobytes()


def write_safetensors(tensors, path, metadata, torch):
    """The safetensors layout: u64 header length, JSON header, then the tensors' bytes."""
    header = {"__metadata__": {k: str(v) for k, v in metadata.items()}}
    blobs, offset = [], 0
    for name in sorted(tensors):
        dtype, data = safetensors_entry(tensors[name], torch)
        header[name] = {"dtype": dtype, "shape": list(tensors[name].shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # tensor data starts 8-byte aligned, as the reference writer does
    tmp = path + ".tmp"
    try:
        with open(tmp, "wb") as f:
            f.write(struct.pack("<Q", len(text)))
            f.write(text)
            for blob in blobs:
                f.write(blob)
        os.replace(tmp, path)  # never leave a half-written weights file under the real name
    except OSError as e:
        if os.path.exists(tmp):
            os.remove(tmp)
        fail(f"cannot write '{path}': {e.strerror}")


def unwrap_state_dict(obj, path):
    """A .pth holds a state dict, possibly inside {'state_dict': ...} or {'model': ...}, possibly
    with DataParallel's 'module.' prefix."""
    if isinstance(obj, dict):
        for key in ("state_dict", "model"):
            if isinstance(obj.get(key), dict):
                obj = obj[key]
                break
    if not isinstance(obj, dict) or not obj:
        fail(f"{path}: not a state dict (expected a mapping from parameter names to tensors)")
    return {k[len("module."):] if k.startswith("module.") else k: v for k, v in obj.items()}


def check_matches(model, state, path, arch):
    """Name the first tensor that does not fit, instead of load_state_dict's many-line report."""
    expected = model.state_dict()
    for name, t in expected.items():
        if name not in state:
            fail(f"{path}: tensor '{name}' of {arch} is missing (weights of another model? check --arch)")
        if tuple(state[name].shape) != tuple(t.shape):
            fail(f"{path}: tensor '{name}' has shape {list(state[name].shape)}, {arch} expects "
                 f"{list(t.shape)} (check --arch)")
    for name in state:
        if name not in expected:
            fail(f"{path}: tensor '{name}' is not part of {arch} (weights of a deeper model? check --arch)")


def load_model(args, torch, torchvision):
    """The torchvision model with the requested weights, and a note on where they came from."""
    make = getattr(torchvision.models, args.arch)
    if args.random_init:
        torch.manual_seed(args.seed)
        return make(weights=None), f"random initialisation (torch.manual_seed({args.seed}))"
    if args.state_dict:
        model = make(weights=None)
        try:
            obj = torch.load(args.state_dict, map_location="cpu")
        except Exception as e:  # missing file, not a pickle, truncated zip, ...
            fail(f"cannot read state dict '{args.state_dict}': {str(e).splitlines()[0]}")
        state = unwrap_state_dict(obj, args.state_dict)
        check_matches(model, state, args.state_dict, args.arch)
        model.load_state_dict(state)
        return model, f"state dict {os.path.basename(args.state_dict)}"
    try:
        return make(weights="IMAGENET1K_V1"), "torchvision IMAGENET1K_V1"
    except Exception as e:  # a download error has many types (URLError, HTTPError, OSError, ...)
        fail(f"could not get torchvision's {args.arch} ImageNet weights ({str(e).splitlines()[0]}); "
             f"download them where there is internet and pass the .pth with --state-dict")


def parse_args(argv):
    p = argparse.ArgumentParser(prog=PROG, description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", required=True, choices=ARCHS, help="torchvision model")
    p.add_argument("--out", required=True, help="safetensors file to write")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--state-dict", help="convert this torchvision .pth instead of downloading")
    src.add_argument("--random-init", action="store_true",
                     help="torchvision's random initialisation, no download (for tests)")
    p.add_argument("--seed", type=int, default=0, help="seed of --random-init (default 0)")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    torch, torchvision = import_torchvision()
    model, source = load_model(args, torch, torchvision)
    state = model.state_dict()
    write_safetensors(state, args.out, {"format": "pt", "model": args.arch, "weights": source}, torch)
    print(f"{PROG}: wrote {args.out} ({args.arch}, {len(state)} tensors, {source})", file=sys.stderr)


if __name__ == "__main__":
    main()
