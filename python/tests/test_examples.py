"""Every script under examples/python runs (with --quick: small data, one pass)."""
import os
import subprocess
import sys

import pytest


def scripts(source_dir):
    return sorted((source_dir / "examples" / "python").glob("*.py"))


def test_there_are_examples(source_dir):
    assert len(scripts(source_dir)) >= 2


@pytest.mark.parametrize("name", ["gdumb_loop.py", "main_job_figure.py"])
def test_example_runs(name, source_dir, tmp_path):
    script = source_dir / "examples" / "python" / name
    args = [sys.executable, str(script)] + ([str(tmp_path / "out")] if name == "main_job_figure.py" else []) + ["--quick"]
    done = subprocess.run(args, capture_output=True, text=True, env=dict(os.environ), timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "accuracy" in done.stdout
