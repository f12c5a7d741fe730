#!/usr/bin/python3
"""Optuna peer for bench-search: TPE (and random) on the same synthetic objective.

6 categorical parameters with 8 choices each; choice k of parameter p costs (5k + 3p) % 8,
unique optimum 0 (same as bench_search.cpp and tests/search/toy_problems.h).
Prints one JSON object: median best value after each checkpoint over the seeds, and the
sampler overhead per trial (ms) on 10 parameters x 5 choices, 100 trials.

Run with Debian's python3-optuna: /usr/bin/python3 optuna_peer.py --seeds 20
"""
import argparse
import json
import statistics
import time

import optuna


def cost(params, n_params):
    return sum((5 * params[f"p{p}"] + 3 * p) % 8 for p in range(n_params))


def run(sampler, n_params, n_choices, n_trials):
    study = optuna.create_study(direction="minimize", sampler=sampler)

    def objective(trial):
        params = {f"p{p}": trial.suggest_categorical(f"p{p}", list(range(n_choices)))
                  for p in range(n_params)}
        return cost(params, n_params)

    study.optimize(objective, n_trials=n_trials)
    return [t.value for t in study.trials]


def best_after(values, n):
    return min(values[:n])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--trials", type=int, default=50)
    ap.add_argument("--checkpoints", default="20,50")
    ap.add_argument("--overhead-trials", type=int, default=100)
    args = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    checkpoints = [int(c) for c in args.checkpoints.split(",")]

    out = {"optuna_version": optuna.__version__, "seeds": args.seeds, "trials": args.trials}
    for name, make in (("tpe", lambda s: optuna.samplers.TPESampler(seed=s)),
                       ("random", lambda s: optuna.samplers.RandomSampler(seed=s))):
        per_ck = {c: [] for c in checkpoints}
        for seed in range(args.seeds):
            values = run(make(seed), 6, 8, args.trials)
            for c in checkpoints:
                per_ck[c].append(best_after(values, c))
        out[name] = {f"median_best_{c}": statistics.median(v) for c, v in per_ck.items()}
        out[name].update({f"mean_best_{c}": statistics.fmean(v) for c, v in per_ck.items()})
        out[name].update({f"se_best_{c}": (statistics.stdev(v) / len(v) ** 0.5 if len(v) > 1
                                           else 0.0) for c, v in per_ck.items()})

    # Overhead: whole-study wall time per trial with a trivial objective (sampler + study
    # bookkeeping; the objective itself costs microseconds).
    t0 = time.perf_counter()
    run(optuna.samplers.TPESampler(seed=0), 10, 5, args.overhead_trials)
    out["tpe_ms_per_trial_10x5"] = 1000 * (time.perf_counter() - t0) / args.overhead_trials
    print(json.dumps(out))


if __name__ == "__main__":
    main()
