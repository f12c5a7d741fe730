#!/usr/bin/env python3
"""Compiles every translation unit of a build against LibTorch 2.x headers (syntax only).

nncompress builds and tests on Debian's LibTorch 1.13 (CPU) but must also build unchanged
against LibTorch 2.x with CUDA, which nobody can link here. This check keeps that promise from
rotting: it takes the build's compile_commands.json (unity batches when the build uses them)
and re-runs each command with -fsyntax-only against the headers of a LibTorch 2.x tree (the
`include/` folder of its wheel or archive), the way a 2.x build would see them:

- LibTorch 2.x's own {fmt} (header-only) replaces the system's, exactly as cmake/fmt.cmake
  chooses on such a build (NNC_FMT_VERSION is set to the bundled version, so core/error.h
  catches a TU that reaches the other copy);
- Debian's LibTorch 1.13 and {fmt} headers are hidden: the system include folder is replaced by
  a "shadow" folder of links to everything in it except what LibTorch 2.x ships itself
  (ATen, c10, torch, caffe2, fmt, ...), so a header that only 1.13 has fails here as it
  would on a GPU machine.

Usage: scripts/check_libtorch2.py BUILD_DIR TORCH2_INCLUDE_DIR [--jobs N] [--only REGEX]
Prints one line per unit and, for a failing unit, the compiler's first errors; exits 1 if any
unit fails.
"""
import argparse
import concurrent.futures
import json
import os
import re
import shlex
import subprocess
import sys
import time

# Top-level /usr/include entries that belong to Debian's LibTorch 1.13 or its {fmt}: never
# visible to the check, even where 2.x has no folder of that name.
DEBIAN_TORCH_ENTRIES = {"ATen", "c10", "caffe2", "torch", "fmt", "THC"}
SYSTEM_INCLUDE = "/usr/include"


def fmt_version(include_dir):
    text = open(os.path.join(include_dir, "fmt", "base.h"), encoding="utf-8").read()
    return re.search(r"#define FMT_VERSION (\d+)", text).group(1)


def default_search_path(compiler):
    """The compiler's built-in include folders, in order (libstdc++, gcc's own, system)."""
    out = subprocess.run([compiler, "-E", "-x", "c++", "-", "-v"], input="", text=True,
                         capture_output=True).stderr
    block = out.split("#include <...> search starts here:")[1].split("End of search list.")[0]
    return [line.strip() for line in block.splitlines() if line.strip()]


def make_shadow(shadow, torch2_include):
    """A copy of /usr/include made of links, minus everything LibTorch (1.13 or 2.x) ships."""
    hidden = DEBIAN_TORCH_ENTRIES | set(os.listdir(torch2_include))
    os.makedirs(shadow, exist_ok=True)
    for name in os.listdir(SYSTEM_INCLUDE):
        link = os.path.join(shadow, name)
        if name in hidden or os.path.lexists(link):
            continue
        os.symlink(os.path.join(SYSTEM_INCLUDE, name), link)


def rewrite(command, source, pch, torch2_include, search_path, fmt_ver):
    """The unit's compile command, retargeted at the LibTorch 2.x headers, syntax only."""
    args = shlex.split(command)
    out = [args[0], "-fsyntax-only", "-nostdinc"]
    skip = False
    for i, a in enumerate(args[1:], start=1):
        if skip:
            skip = False
            continue
        if a in ("-o", "-c"):
            skip = True
            continue
        if a == "-include" and args[i + 1].endswith("cmake_pch.hxx"):
            # The build's precompiled header holds 1.13: use the one made from 2.x instead.
            out += ["-include", pch]
            skip = True
            continue
        if a == "-isystem" and args[i + 1].startswith(SYSTEM_INCLUDE + "/torch"):
            skip = True
            continue
        if a.startswith("-DFMT_SHARED") or a.startswith("-DNNC_FMT_VERSION"):
            continue
        out.append(a)
    out += ["-Winvalid-pch", "-DFMT_HEADER_ONLY=1", f"-DNNC_FMT_VERSION={fmt_ver}",
            "-isystem", torch2_include,
            "-isystem", os.path.join(torch2_include, "torch", "csrc", "api", "include")]
    for d in search_path:
        out += ["-isystem", d]
    return out + [source]


def precompile(unit, pch, torch2_include, search_path, fmt_ver, source_dir):
    """LibTorch 2.x's torch_pch.h, parsed once (~30 s) instead of once per unit."""
    with open(pch, "w", encoding="utf-8") as f:
        f.write(f'#pragma once\n#include "{os.path.join(source_dir, "cmake", "torch_pch.h")}"\n')
    cmd = rewrite(unit["command"], pch, pch, torch2_include, search_path, fmt_ver)
    cmd = [c for c in cmd[:-1] if c != "-fsyntax-only"]
    cmd = [c for i, c in enumerate(cmd) if not (c == "-include" or (i and cmd[i - 1] == "-include"))]
    cmd += ["-x", "c++-header", pch, "-o", pch + ".gch"]
    r = subprocess.run(cmd, cwd=unit["directory"], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("check_libtorch2: the precompiled header does not compile against LibTorch 2.x:\n"
                 + "\n".join(r.stderr.splitlines()[:20]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build_dir")
    ap.add_argument("torch2_include")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--only", default="", help="check only units whose file matches this regex")
    a = ap.parse_args()
    a.torch2_include = os.path.abspath(a.torch2_include)
    db_path = os.path.join(a.build_dir, "compile_commands.json")
    if not os.path.isfile(os.path.join(a.torch2_include, "torch", "csrc", "api", "include", "torch", "torch.h")):
        sys.exit(f"check_libtorch2: {a.torch2_include}: not a LibTorch include folder (no torch/csrc/api/include/torch/torch.h)")
    if not os.path.isfile(db_path):
        sys.exit(f"check_libtorch2: {db_path}: missing (configure the build with CMake first)")
    source_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    units = [u for u in json.load(open(db_path, encoding="utf-8"))
             if not u["file"].endswith("cmake_pch.hxx.cxx") and re.search(a.only, u["file"])]
    compiler = shlex.split(units[0]["command"])[0]
    shadow = os.path.join(os.path.abspath(a.build_dir), "libtorch2-shadow-include")
    make_shadow(shadow, a.torch2_include)
    search_path = [shadow if d == SYSTEM_INCLUDE else d for d in default_search_path(compiler)]
    fmt_ver = fmt_version(a.torch2_include)
    pch = os.path.join(os.path.abspath(a.build_dir), "libtorch2-pch", "torch2_pch.h")
    os.makedirs(os.path.dirname(pch), exist_ok=True)
    torch_units = [u for u in units if "cmake_pch.hxx" in u["command"]]
    stale = not os.path.exists(pch + ".gch") or os.path.getmtime(pch + ".gch") < max(
        os.path.getmtime(os.path.join(source_dir, "cmake", "torch_pch.h")), os.path.getmtime(db_path))
    if torch_units and stale:
        t0 = time.time()
        precompile(torch_units[0], pch, a.torch2_include, search_path, fmt_ver, source_dir)
        print(f"check_libtorch2: precompiled header in {time.time() - t0:.0f}s", file=sys.stderr)

    def check(unit):
        t0 = time.time()
        cmd = rewrite(unit["command"], unit["file"], pch, a.torch2_include, search_path, fmt_ver)
        r = subprocess.run(cmd, cwd=unit["directory"], capture_output=True, text=True)
        return unit["file"], r.returncode, time.time() - t0, r.stderr

    print(f"check_libtorch2: {len(units)} units against {a.torch2_include} ({{fmt}} {fmt_ver}), "
          f"{a.jobs} at a time", file=sys.stderr, flush=True)
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        for path, rc, secs, err in pool.map(check, units):
            rel = os.path.relpath(path, a.build_dir)
            print(f"  {'ok  ' if rc == 0 else 'FAIL'} {secs:5.1f}s {rel}", file=sys.stderr, flush=True)
            if ".gch" in err:  # the 2.x header was parsed as text: slower, still a full check
                print("      (precompiled header not used: " + err.splitlines()[0][:200] + ")", file=sys.stderr)
            if rc != 0:
                failed += 1
                errors = [l for l in err.splitlines() if "error" in l][:15]
                print("\n".join("      " + l for l in errors), file=sys.stderr)
    if failed:
        print(f"check_libtorch2: {failed} of {len(units)} units do not compile against LibTorch 2.x",
              file=sys.stderr)
        return 1
    print(f"check_libtorch2: all {len(units)} units compile against LibTorch 2.x", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
