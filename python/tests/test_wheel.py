"""The installable form: scripts/build_wheel.py packs the build's module; pip installs it
(no download) and it imports from where pip put it."""
import os
import pathlib
import subprocess
import sys

import nncompress


def test_wheel_installs_and_imports(tmp_path, source_dir):
    build = pathlib.Path(nncompress.__file__).resolve().parents[2]  # <build>/python/nncompress
    wheel = subprocess.run([sys.executable, str(source_dir / "scripts/build_wheel.py"), str(build)],
                           check=True, capture_output=True, text=True).stdout.strip()
    assert wheel.endswith(".whl") and os.path.isfile(wheel)
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
                    "--target", str(target), wheel], check=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(target)
    out = subprocess.run([sys.executable, "-c", "import nncompress; print(nncompress.__file__, len(nncompress.kinds()))"],
                         check=True, capture_output=True, text=True, env=env, cwd=tmp_path).stdout
    assert out.startswith(str(target)) and int(out.split()[1]) >= 6
