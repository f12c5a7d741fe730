"""Recorded runs as pandas DataFrames, read straight from ``<out>/results.db`` (SQLite)."""
import json
import os
import sqlite3

import pandas as pd

__all__ = ["load", "attempts"]


def _frame(out, table, kind):
    path = os.path.join(str(out), "results.db")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no results database at '{path}' (give the out folder the runs wrote to)")
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)  # read-only: never creates or locks for writing
    try:
        order = "ORDER BY seq" if table == "runs" else "ORDER BY id, attempt"
        where, args = ("WHERE kind = ?", (kind,)) if kind else ("", ())
        rows = con.execute(
            f"SELECT id, kind, status, config, metrics, tags, run_time_s, started_at, finished_at, error "
            f"FROM {table} {where} {order}", args).fetchall()
    finally:
        con.close()
    parsed = [(id_, kind_, status, json.loads(config or "{}"), json.loads(metrics or "{}"), json.loads(tags or "{}"),
               run_time, started, finished, error)
              for id_, kind_, status, config, metrics, tags, run_time, started, finished, error in rows]
    # One name per column, as `results export` writes them: a name two groups share (cgp's
    # option and metric `threshold`, a metric called `error`) becomes group.name in each.
    fixed = ["run_id", "kind", "status", "run_time_s", "started_at", "finished_at", "error"]
    groups = {}
    for group, keys in [("run", fixed)] + [(g, {k for p in parsed for k in p[i]})
                                          for g, i in (("config", 3), ("metric", 4), ("tag", 5))]:
        for k in keys:
            groups.setdefault(k, set()).add(group)

    def name(group, key):
        return f"{group}.{key}" if len(groups[key]) > 1 else key

    records = []
    for id_, kind_, status, config, metrics, tags, run_time, started, finished, error in parsed:
        rec = {name("run", "run_id"): id_, name("run", "kind"): kind_, name("run", "status"): status}
        rec.update({name("config", k): v for k, v in config.items()})
        rec.update({name("metric", k): (float("nan") if v is None else v) for k, v in metrics.items()})
        rec.update({name("tag", k): v for k, v in tags.items()})
        rec.update({name("run", "run_time_s"): run_time, name("run", "started_at"): started,
                    name("run", "finished_at"): finished, name("run", "error"): error})
        records.append(rec)
    return pd.DataFrame.from_records(records)


def load(out="results", kind=None):
    """One row per run of ``out/results.db`` (optionally of one kind): run_id, kind, status,
    every config option, every metric and tag as columns, then run time and error."""
    return _frame(out, "runs", kind)


def attempts(out="results", kind=None):
    """One row per attempt (every execution of each run: re-runs, failures, kills)."""
    return _frame(out, "attempts", kind)
