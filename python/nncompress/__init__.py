"""nncompress from Python: how much accuracy a network keeps under a fixed memory budget.

    import nncompress
    rec = nncompress.run("train", out="results/py", dataset="blobs", model="mlp", epochs=2)
    recs = nncompress.sweep({"kind": "train", "fixed": {"dataset": "blobs"},
                             "grid": {"seed": [0, 1]}}, out="results/py")
    df = nncompress.results.load("results/py")      # one row per run (pandas)
    nncompress.report("results/py")                  # HTML + PNG + CSV

Submodules: ``results`` (runs as a DataFrame), ``replay`` (a byte-budgeted replay memory for
any PyTorch loop), ``search`` (the samplers, ask/tell with a Python objective), ``cgp`` (the
circuit-evolution engine on int8 arrays). Errors raise ``nncompress.Error`` (a ValueError) with the CLI's one line.
"""
import torch  # noqa: F401  (loads libtorch and its Python bindings before the extension)

from . import _nncompress
from ._nncompress import Error, kinds
from . import cgp, replay, results, search

__version__ = "0.1.0"  # nncompress --version
__all__ = ["Error", "kinds", "run", "sweep", "report", "replay", "results", "search", "cgp"]


def run(kind, out="results", rerun=False, **options):
    """Runs one experiment ``kind`` (see ``kinds()``) with the CLI's options as keyword
    arguments (``memory_bytes="1MiB"``, ``epochs=2``); records it in ``out/results.db`` and
    returns its record (dict: id, status, config, metrics, tags, series, artifacts). A
    configuration already completed in ``out`` is not run again (``skipped`` is True)."""
    return _nncompress.run(kind, str(out), options, rerun)


def sweep(plan, out=None, rerun=False):
    """Runs every run of a sweep ``plan`` (a TOML file's path, or a dict with ``kind``, ``fixed``,
    ``grid`` and ``zip`` as in the file) in this process, one after the other, recording each in
    ``out/results.db`` (default: the plan's ``out``, else results/<plan name>). Every run's values
    are checked before the first starts. Completed runs are skipped (call again to resume);
    a failing run is recorded (status "failed", its error in the record) and the sweep goes on.
    Returns the records in plan order. (``nncompress sweep`` runs them as separate processes,
    several at a time with --jobs.)"""
    return _nncompress.sweep(plan, "" if out is None else str(out), rerun)


def report(out="results", images=True):
    """Writes the report of ``out/results.db`` (HTML, PNG, CSV); returns the paths."""
    return _nncompress.report(str(out), images)
