#!/usr/bin/env python3
"""Writes the seed corpora under tests/fuzz/corpus/<target>/ (small valid inputs and a few
invalid ones per parser). Re-run after changing it; the files are checked in so that the
fuzzers and ctest need no Python."""
import gzip
import json
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")


def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def copy(target, name, src):
    with open(os.path.join(ROOT, src), "rb") as f:
        put(target, name, f.read())


def idx():
    images = struct.pack(">IIII", 0x803, 2, 4, 3) + bytes(range(24))
    labels = struct.pack(">II", 0x801, 3) + bytes([0, 9, 4])
    put("idx", "images_2x4x3", images)
    put("idx", "labels_3", labels)
    put("idx", "images_gz", gzip.compress(images, mtime=0))
    put("idx", "labels_gz", gzip.compress(labels, mtime=0))
    put("idx", "empty_images", struct.pack(">IIII", 0x803, 0, 28, 28))
    put("idx", "bad_truncated", images[:-5])
    put("idx", "bad_magic", struct.pack(">II", 0x804, 1) + b"\0")
    put("idx", "bad_huge_dims", struct.pack(">IIII", 0x803, 0xFFFFFFFF, 4096, 4096) + b"\1\2\3")


def cifar():
    rec10 = bytes([7]) + bytes(i % 256 for i in range(3072))
    rec100 = bytes([3, 42]) + bytes((i * 7) % 256 for i in range(3072))
    put("cifar", "cifar10_2_records", rec10 + bytes([1]) + rec10[1:])
    put("cifar", "cifar100_1_record", rec100)
    put("cifar", "bad_size", rec10[:1000])
    put("cifar", "bad_label", bytes([200]) + rec10[1:])


def mnist_json():
    px = [0] * 784
    for i in range(200, 600, 7):
        px[i] = round((i % 255) / 255, 3)
    put("mnist_json", "one_digit.json", json.dumps({"data": px}, separators=(",", ":")))
    put("mnist_json", "bad_length.json", '{"data": [0, 0.5, 1]}')
    put("mnist_json", "bad_nan.json", '{"data": [NaN]}')
    put("mnist_json", "bad_nested.json", '{"data": [[0.1], "x", null, 2.5, -1]}')


def jsc():
    feats = ["zlogz", "c1_b0_mmdt", "c1_b1_mmdt", "c1_b2_mmdt", "c2_b1_mmdt", "c2_b2_mmdt",
             "d2_b1_mmdt", "d2_b2_mmdt", "d2_a1_b1_mmdt", "d2_a1_b2_mmdt", "m2_b1_mmdt",
             "m2_b2_mmdt", "n2_b1_mmdt", "n2_b2_mmdt", "mass_mmdt", "multiplicity"]
    rows = [[round(0.1 * (r + 1) * (c + 1) - 0.7, 3) for c in range(16)] for r in range(5)]
    named = ",".join(["", *("j_" + f for f in feats), "j_g", "j_q", "j_w", "j_z", "j_t"]) + "\n"
    for r, row in enumerate(rows):
        onehot = [1 if k == r % 5 else 0 for k in range(5)]
        named += ",".join([str(r), *map(str, row), *map(str, onehot)]) + "\n"
    put("jsc", "named_onehot.csv", named)
    plain = ",".join([f"f{c}" for c in range(16)] + ["class"]) + "\n"
    for r, row in enumerate(rows):
        plain += ",".join([*map(str, row), "gqWZt"[r % 5]]) + "\r\n"
    put("jsc", "plain_letters.csv", plain)
    put("jsc", "bad_nan.csv", plain.replace("0.4", "nan", 1))
    put("jsc", "bad_columns.csv", plain + "1,2,3\n")


def safetensors_file(tensors, metadata=None, pad=True):
    header, blobs, off = {}, b"", 0
    if metadata:
        header["__metadata__"] = metadata
    for name, (dtype, shape, data) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [off, off + len(data)]}
        blobs += data
        off += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    while pad and (len(h) + 8) % 8:
        h += b" "
    return struct.pack("<Q", len(h)) + h + blobs


def safetensors():
    f32 = lambda n: struct.pack(f"<{n}f", *[0.25 * i for i in range(n)])
    tiny = {"fc.weight": ("F32", [3, 4], f32(12)), "fc.bias": ("F32", [3], f32(3)),
            "bn.weight": ("F32", [3], f32(3)), "bn.bias": ("F32", [3], f32(3)),
            "bn.running_mean": ("F32", [3], f32(3)), "bn.running_var": ("F32", [3], f32(3)),
            "bn.num_batches_tracked": ("I64", [], struct.pack("<q", 5))}
    put("safetensors", "tiny_module.safetensors", safetensors_file(tiny, {"format": "pt"}))
    mixed = {"a": ("F16", [2, 2], b"\0" * 8), "b": ("U8", [0], b""), "c": ("BOOL", [3], b"\1\0\1"),
             "d": ("BF16", [1], b"\0\0"), "e": ("I8", [2], b"\xff\x01")}
    put("safetensors", "dtypes.safetensors", safetensors_file(mixed))
    put("safetensors", "shape_mismatch.safetensors",
        safetensors_file({"fc.weight": ("F32", [4, 3], f32(12))}))
    put("safetensors", "bad_header_len", struct.pack("<Q", 1 << 40) + b"{}")
    put("safetensors", "bad_dtype", safetensors_file({"x": ("F8", [1], b"\0")}))
    put("safetensors", "bad_offsets", safetensors_file({"x": ("F32", [2], f32(1))}, pad=False))


def run_config():
    put("run_config", "train.toml",
        '# a run config\nseed = 3\ndataset = "mnist"\nlr = 0.01\nepochs = 4\n'
        'memory_bytes = "100KiB"\nsave_weights = false\n[train]\nnum_passes = 2\ndir = "/tmp/x"\n')
    put("run_config", "coerce.toml", 'epochs = 3.0\nlr = 1\nseed = "7"\nsave_weights = "yes"\n')
    put("run_config", "bad_unknown_key.toml", "epoks = 3\n")
    put("run_config", "bad_type.toml", 'epochs = "many"\nlr = nan\n')
    put("run_config", "bad_syntax.toml", "epochs = \n[train\n")
    put("run_config", "bad_table.toml", "[optimizer]\nlr = 1\n")
    put("run_config", "bad_int_from_float.toml", "seed = 1e300\nepochs = inf\n")


def sweep_plan():
    put("sweep_plan", "grid_zip.toml",
        'kind = "train"\nout = "results/s"\n[fixed]\ndataset = "blobs"\nsave_weights = false\n'
        '[grid]\nlr = [0.01, 0.05]\nseed = [0, 1, 2]\n'
        '[[zip]]\nepochs = [1, 2]\nmemory_bytes = ["1KiB", "2KiB"]\n'
        '[[zip]]\nthreads = [1, 2, 3]\n')
    put("sweep_plan", "kebab_alias.toml",
        'kind = "train"\n[fixed]\ndata-dir = "/d"\n[grid]\nnum_passes = [1, 1, 2]\n')
    put("sweep_plan", "bad_empty_list.toml", 'kind = "train"\n[grid]\nlr = []\n')
    put("sweep_plan", "bad_zip_lengths.toml", 'kind = "train"\n[[zip]]\nlr = [1.0]\nseed = [1, 2]\n')
    put("sweep_plan", "bad_no_kind.toml", '[fixed]\nlr = 0.1\n')
    put("sweep_plan", "bad_repeat.toml", 'kind = "train"\n[fixed]\nlr = 0.1\n[grid]\nlr = [0.2]\n')


def quant_config():
    for f in ["jsc_toy_by_type.toml", "lenet5_int8_by_type.toml", "lenet5_mixed_by_regex.toml"]:
        copy("quant_config", f, "examples/quant/" + f)
    put("quant_config", "by_name.toml",
        '[passes.quantize]\nby = "name"\nreport = true\n[passes.quantize.fc1.config]\n'
        'name = "integer_floor"\nweight_width = 6\nweight_frac_width = "NA"\n'
        'data_out_width = 16\ndata_out_frac_width = -2\n'
        '[passes.quantize.default.config]\nname = "NA"\n')
    put("quant_config", "bad_width.toml",
        '[passes.quantize]\nby = "type"\n[passes.quantize.linear.config]\nname = "integer"\n'
        'weight_width = 99\n')
    put("quant_config", "bad_regex.toml",
        '[passes.quantize]\nby = "regex_name"\n[passes.quantize."fc(".config]\nname = "NA"\n')


def search_toml():
    for f in ["lenet5_fmnist_search.toml", "mlp_fmnist_width_search.toml"]:
        copy("search_toml", f, "examples/quant/" + f)
    put("search_toml", "pareto.toml",
        '[search.search_space.seed.linear.config]\nname = ["integer"]\nweight_width = [4, 8]\n'
        'scale = [0.5, 1.5]\n[search.strategy.setup]\nn_trials = 4\nsampler = "nsga2"\n'
        'sum_scaled_metrics = false\ntimeout = 2.5\nn_jobs = 2\n'
        '[search.strategy.metrics]\naccuracy.direction = "maximize"\n'
        'bitops.direction = "minimize"\nbitops.scale = 1e-6\n')
    put("search_toml", "bad_sampler.toml",
        '[search.search_space.seed.a.config]\nx = [1]\n[search.strategy.setup]\nn_trials = 1\n'
        'sampler = "grid"\n[search.strategy.metrics]\nacc.direction = "maximize"\n')


def cgp_genome():
    # {I,O,cols,rows,arity,l,D}, gates ([id]a,b,f), outputs.
    put("cgp_genome", "small.txt", "{2,1,3,1,2,3,1}([2]0,1,1)([3]2,0,3)([4]3,2,100)(4)\n")
    put("cgp_genome", "two_rows_two_layers.txt",
        "{1,2,2,2,2,1,2}([1]0,0,11)([2]0,0,22)([3]1,2,8)([4]2,0,13)(3,4,1,0)")
    put("cgp_genome", "bad_truncated.txt", "{2,1,3,1,2,3,1}([2]0,1,1)([3]2,0")
    put("cgp_genome", "bad_function.txt", "{1,1,1,1,2,1,1}([1]0,0,27)(1)")
    put("cgp_genome", "bad_huge_header.txt", "{1000000,1000000,100000,100,2,1,10}(")


def cgp_costs():
    copy("cgp_costs", "default_costs.txt", "data/cgp/default_costs.txt")
    lines = "".join(f"{i} {i * 0.5} 1.25e3 {i % 3} 0.0\n" for i in range(27))
    put("cgp_costs", "27_lines.txt", lines)
    put("cgp_costs", "bad_fields.txt", lines.replace("1.25e3 ", "", 1))
    put("cgp_costs", "bad_negative.txt", "-1 0 0 0 0\n" + lines)


def cgp_dataset():
    put("cgp_dataset", "two_items.txt", "# in / out\n1 2 3\n4 5 x 6\n\n-128 0 127\n7 8 9\n")
    put("cgp_dataset", "scored_prefix.txt", "0\n1 2 x\n5\n-1 -2 -3\n")
    put("cgp_dataset", "bad_range.txt", "1 2\n3 128\n")
    put("cgp_dataset", "bad_sizes.txt", "1 2\n3\n1 2 3\n4\n")


def main():
    if os.path.isdir(CORPUS):
        shutil.rmtree(CORPUS)
    for gen in [idx, cifar, mnist_json, jsc, safetensors, run_config, sweep_plan, quant_config,
                search_toml, cgp_genome, cgp_costs, cgp_dataset]:
        gen()


if __name__ == "__main__":
    main()
