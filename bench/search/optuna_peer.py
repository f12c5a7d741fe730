#!/usr/bin/python3
"""Optuna peer for bench-search: the objectives of objectives.json under Optuna's samplers.

Each objective is defined once in objectives.json (parameters, grids, formula name, check
points); this file and bench_search.cpp implement the formulas and both verify them against
the check points before running, so the two sides optimize the same functions.

Parameters use Optuna's natural distributions, its best settings for ordered numbers:
  float grid   -> suggest_float(low, high, step=step)
  int range    -> suggest_int(low, high)
  categorical  -> suggest_categorical(choices)
  "NA" or int  -> define-by-run: suggest_categorical(mode, ["NA", "set"]) then, when set,
                  suggest_int(low, high) (the conditional space Optuna is built for)
A trial's values are passed to the formula in the flat order of objectives.json, "NA" where
the conditional parameter is not set.

Prints one JSON object: per objective and sampler, per seed, the best value (single
objective) or the hypervolume (two objectives) after each checkpoint, and the sampler
overhead in CPU ms per trial (the study's CPU time minus time in the objective, per trial).

  /usr/bin/python3 optuna_peer.py --objectives objectives.json --seeds 20 --trials 100
  /usr/bin/python3 optuna_peer.py --objectives objectives.json --check   (formulas only)
"""
import argparse
import json
import math
import sys
import time

import optuna


# ---- the formulas (mirrored in bench_search.cpp; objectives.json holds check points) ----

def f_separable_perm(x, c):
    # Categorical choice k of parameter p costs (5k + 3p) mod 8: a permutation per parameter.
    return [sum((5 * k + 3 * p) % 8 for p, k in enumerate(x))]


def f_quant_layers(x, c):
    # Per layer: quantization noise falls 4x per bit, storage grows linearly with bits.
    s, size = c["sensitivity"], c["size"]
    return [sum(10 * s[l] * 4.0 ** -b + 0.1 * size[l] * b for l, b in enumerate(x))]


def f_rosenbrock(x, c):
    return [sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))]


def f_rastrigin(x, c):
    return [10 * len(x) + sum(v * v - 10 * math.cos(2 * math.pi * v) for v in x)]


def f_styblinski_tang(x, c):
    return [0.5 * sum(v ** 4 - 16 * v * v + 5 * v for v in x)]


def f_conditional(x, c):
    # Layers of (width w, fraction bits f or "NA" = half the width): integer bits w - f must
    # hold int_bits (else an overflow penalty), fraction bits cut noise, width costs.
    n = len(x) // 2
    total = 0.0
    for l in range(n):
        w, f = x[l], x[n + l]
        f = w // 2 if f == "NA" else f
        overflow = max(0, c["int_bits"][l] - (w - f))
        total += 5 * overflow + 8 * c["sensitivity"][l] * 2.0 ** -f + 0.2 * w
    return [total]


def f_front(x, c):
    # Two objectives: quantization error (falls 4x per bit) and mean bits.
    s = c["sensitivity"]
    return [sum(s[l] * 4.0 ** -b for l, b in enumerate(x)), sum(x) / len(x)]


FORMULAS = {
    "separable_perm": f_separable_perm,
    "quant_layers": f_quant_layers,
    "rosenbrock": f_rosenbrock,
    "rastrigin": f_rastrigin,
    "styblinski_tang": f_styblinski_tang,
    "conditional": f_conditional,
    "front": f_front,
}


def evaluate(obj, values):
    return FORMULAS[obj["formula"]](values, obj.get("constants", {}))


def check(objectives):
    for obj in objectives:
        for point in obj["checks"]:
            got = evaluate(obj, point["x"])
            for g, want in zip(got, point["values"]):
                assert abs(g - want) <= 1e-9 * max(1.0, abs(want)), (obj["name"], point, got)


# ---- the space, Optuna's way ----

def suggest(trial, obj):
    """Flat values of one trial, in objectives.json order ("NA" for unset conditionals)."""
    values = []
    for g in obj["params"]:
        for i in range(g["count"]):
            name = f"{g['prefix']}{i}"
            t = g["type"]
            if t == "float":
                v = trial.suggest_float(name, g["low"], g["high"], step=g["step"])
                # The grid value low + k*step exactly as the C++ side computes it.
                values.append(g["low"] + round((v - g["low"]) / g["step"]) * g["step"])
            elif t == "int":
                values.append(trial.suggest_int(name, g["low"], g["high"]))
            elif t == "categorical":
                values.append(trial.suggest_categorical(name, g["choices"]))
            elif t == "na_int":
                mode = trial.suggest_categorical(name + "_mode", ["NA", "set"])
                values.append("NA" if mode == "NA" else trial.suggest_int(name, g["low"], g["high"]))
            else:
                raise ValueError(f"unknown parameter type {t}")
    return values


def hypervolume_2d(points, ref):
    # Area dominated by the points (both minimized) inside the reference box (pareto.cpp).
    pts = sorted(p for p in points if p[0] < ref[0] and p[1] < ref[1])
    area, best_b = 0.0, ref[1]
    for a, b in pts:
        if b < best_b:
            area += (ref[0] - a) * (best_b - b)
            best_b = b
    return area


SAMPLERS = {
    "tpe": lambda s: optuna.samplers.TPESampler(seed=s),
    "random": lambda s: optuna.samplers.RandomSampler(seed=s),
    "nsga2": lambda s: optuna.samplers.NSGAIISampler(seed=s),
}


def run(obj, sampler, n_trials, checkpoints):
    two = obj["n_objectives"] == 2
    study = optuna.create_study(directions=["minimize"] * obj["n_objectives"], sampler=sampler)
    in_objective = [0.0]
    history = []

    def objective(trial):
        values = suggest(trial, obj)  # Optuna samples inside suggest_*: sampler time
        t0 = time.perf_counter()
        out = evaluate(obj, values)
        history.append(out)
        in_objective[0] += time.perf_counter() - t0
        return out if two else out[0]

    # CPU time (the machine may be shared), as bench_search.cpp measures its side.
    t0 = time.process_time()
    study.optimize(objective, n_trials=n_trials)
    overhead_ms = 1000 * (time.process_time() - t0 - in_objective[0]) / n_trials
    at = []
    for c in checkpoints:
        if two:
            at.append(hypervolume_2d(history[:c], obj["reference"]))
        else:
            at.append(min(v[0] for v in history[:c]))
    return at, overhead_ms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--objectives", required=True)
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--trials", type=int, default=100)
    ap.add_argument("--checkpoints", default="20,50,100")
    ap.add_argument("--samplers", default="tpe,random,nsga2")
    ap.add_argument("--only", default="", help="comma-separated objective names")
    ap.add_argument("--check", action="store_true", help="verify the formulas and exit")
    args = ap.parse_args()
    with open(args.objectives) as f:
        objectives = json.load(f)["objectives"]
    check(objectives)
    if args.check:
        print(json.dumps({"checked": len(objectives)}))
        return
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    checkpoints = [int(c) for c in args.checkpoints.split(",") if int(c) <= args.trials]
    only = set(filter(None, args.only.split(",")))
    out = {"optuna_version": optuna.__version__, "seeds": args.seeds, "trials": args.trials,
           "checkpoints": checkpoints, "objectives": {}}
    for obj in objectives:
        if only and obj["name"] not in only:
            continue
        per = {}
        for name in args.samplers.split(","):
            runs, ms = [], []
            for seed in range(args.seeds):
                at, overhead = run(obj, SAMPLERS[name](seed), args.trials, checkpoints)
                runs.append(at)
                ms.append(overhead)
            per[name] = {"at": runs, "ms_per_trial": sum(ms) / len(ms)}
            print(f"optuna {obj['name']} {name} done", file=sys.stderr)
        out["objectives"][obj["name"]] = per
    print(json.dumps(out))


if __name__ == "__main__":
    main()
