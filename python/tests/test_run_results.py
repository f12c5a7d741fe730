"""nncompress.run / results / report: the CLI's kinds in-process, runs as DataFrames."""
import math

import pytest

import nncompress


def test_kinds_are_the_clis():
    assert {"train", "replay", "prune", "quantize", "search", "cgp"} <= set(nncompress.kinds())


def test_run_records_and_results_load(tmp_path):
    out = tmp_path / "r"
    rec = nncompress.run("train", out=out, dataset="blobs", model="mlp", epochs=2, lr=0.05, threads=1,
                         save_weights=False)
    assert rec["status"] == "completed" and not rec["skipped"]
    assert 0.0 <= rec["metrics"]["test_accuracy"] <= 1.0
    assert rec["config"]["epochs"] == 2 and rec["config"]["lr"] == 0.05
    again = nncompress.run("train", out=out, dataset="blobs", model="mlp", epochs=2, lr=0.05, threads=1,
                           save_weights=False)
    assert again["skipped"] and again["id"] == rec["id"]  # a completed run is not run again

    df = nncompress.results.load(out)
    assert list(df["run_id"]) == [rec["id"]]
    row = df.iloc[0]
    assert row["kind"] == "train" and row["status"] == "completed"
    assert row["epochs"] == 2 and math.isclose(row["test_accuracy"], rec["metrics"]["test_accuracy"])
    files = nncompress.report(out, images=False)
    assert files["html"].endswith("report.html")


def test_errors_carry_the_clis_line(tmp_path):
    with pytest.raises(nncompress.Error, match=r"unknown option 'epoch' for 'train' \(did you mean 'epochs'\?\)"):
        nncompress.run("train", out=tmp_path, dataset="blobs", epoch=2)
    with pytest.raises(nncompress.Error, match="option 'lr': expected a bool, int, float or str, got a Python list"):
        nncompress.run("train", out=tmp_path, dataset="blobs", lr=[0.1])
    with pytest.raises(nncompress.Error, match="unknown experiment kind 'trian'"):
        nncompress.run("trian", out=tmp_path)
    with pytest.raises(FileNotFoundError, match="no results database"):
        nncompress.results.load(tmp_path / "missing")
