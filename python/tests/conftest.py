import os
import pathlib

import pytest


@pytest.fixture
def source_dir():
    """The source tree (examples and data are read relative to it)."""
    return pathlib.Path(os.environ.get("NNC_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))


@pytest.fixture(autouse=True)
def in_source_dir(source_dir, monkeypatch):
    # Relative data paths (data/, third_party/npm) resolve as they do for the CLI.
    monkeypatch.chdir(source_dir)
