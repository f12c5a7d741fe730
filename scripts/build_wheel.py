#!/usr/bin/python3
"""Packs the Python module a build made (<build>/python/nncompress: the .py files and the
_nncompress extension) as a wheel, with nothing downloaded:

    /usr/bin/python3 scripts/build_wheel.py build            # -> build/python/dist/nncompress-*.whl
    /usr/bin/python3 -m pip install --user build/python/dist/nncompress-*.whl

The wheel is for this machine's Python and its torch (Debian's python3-torch, the PyTorch of the
LibTorch the build linked); it declares no dependencies, since pip must not replace that torch.
"""
import base64
import hashlib
import pathlib
import re
import sys
import sysconfig
import zipfile

VERSION = "0.1.0"  # nncompress --version


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def main(build_dir):
    package = pathlib.Path(build_dir) / "python" / "nncompress"
    ext = sorted(package.glob("_nncompress*.so"))
    if not ext:
        sys.exit(f"error: no _nncompress extension in '{package}': build with the Python module first "
                 "(cmake --build <build>)")
    # The extension's own tag (e.g. cpython-311-x86_64-linux-gnu) gives the wheel's.
    py = f"cp{sys.version_info.major}{sys.version_info.minor}"
    plat = re.sub(r"[-.]", "_", sysconfig.get_platform())
    name = f"nncompress-{VERSION}-{py}-{py}-{plat}.whl"
    dist = package.parent / "dist"
    dist.mkdir(exist_ok=True)
    info = f"nncompress-{VERSION}.dist-info"
    files = {f"nncompress/{p.name}": p.read_bytes() for p in sorted(package.iterdir())
             if p.is_file() and (p.suffix == ".py" or p in ext)}
    files[f"{info}/METADATA"] = (f"Metadata-Version: 2.1\nName: nncompress\nVersion: {VERSION}\n"
                                 "Summary: How much accuracy a neural network keeps under a fixed memory budget\n"
                                 "Requires-Python: ==" f"{sys.version_info.major}.{sys.version_info.minor}.*\n").encode()
    files[f"{info}/WHEEL"] = (f"Wheel-Version: 1.0\nGenerator: nncompress build_wheel.py\nRoot-Is-Purelib: false\n"
                              f"Tag: {py}-{py}-{plat}\n").encode()
    record = [record_line(n, d) for n, d in files.items()] + [f"{info}/RECORD,,"]
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    with zipfile.ZipFile(dist / name, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in files.items():
            z.writestr(n, d)
    print(dist / name)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: build_wheel.py BUILD_DIR")
    main(sys.argv[1])
