#!/usr/bin/python3
"""What calling nncompress from Python costs, against the same work measured inside C++.

search: a 200-trial ask/tell loop in Python (6 parameters x 8 choices, a trivial objective)
per sampler: wall time per trial, of which the sampler itself (timed in C++), and the rest
(the binding: one ask and one tell crossing per trial, dict building, the Python loop).
A C++ study (optimize()) pays only the sampler's share, so `wall / sampler` is the ratio of
a Python-driven study to a C++ one when the objective is free; with any real objective
(a training run) the overhead per trial is what matters.

cgp: one evolve() call per problem: wall time of the call against the engine's own seconds
(the evolution runs in C++ with the GIL released, so the overhead is per call).

Run: PYTHONPATH=build/python /usr/bin/python3 bench/python/overhead.py [--trials 200]
"""
import argparse
import statistics
import time

import torch

from nncompress import cgp, search


def search_overhead(sampler, n_trials, repeats=3):
    space = {f"p{i}": list(range(8)) for i in range(6)}
    rows = []
    for r in range(repeats):
        study = search.Study(space, sampler=sampler, seed=r)
        t0 = time.perf_counter()
        for _ in range(n_trials):
            t = study.ask()
            if t is None:
                break
            p = t["params"]
            study.tell(t, sum((5 * p[f"p{i}"] + 3 * i) % 8 for i in range(6)))
        wall = time.perf_counter() - t0
        n = len(study.trials)
        rows.append((wall / n, study.sampler_seconds / n))
    wall = statistics.median(w for w, _ in rows)
    inside = statistics.median(s for _, s in rows)
    return wall, inside


def cgp_overhead(items, n_in, n_out, rows, cols, generations, threads):
    g = torch.Generator().manual_seed(0)
    x = torch.randint(-128, 128, (items, n_in), generator=g, dtype=torch.int8)
    y = torch.randint(-128, 128, (items, n_out), generator=g, dtype=torch.int8)
    t0 = time.perf_counter()
    r = cgp.evolve(x, y, rows=rows, cols=cols, generations=generations, seed=1, threads=threads)
    wall = time.perf_counter() - t0
    return wall, r


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--generations", type=int, default=20000)
    args = ap.parse_args()

    print(f"== search from Python: {args.trials} trials, 6 params x 8 choices, median of 3 seeds")
    print(f"{'sampler':<12}{'wall/trial ms':>14}{'in sampler ms':>15}{'binding ms':>12}{'wall/sampler':>14}")
    for sampler in ("random", "tpe", "nsga2"):
        wall, inside = search_overhead(sampler, args.trials)
        print(f"{sampler:<12}{wall * 1e3:>14.4f}{inside * 1e3:>15.4f}{(wall - inside) * 1e3:>12.4f}"
              f"{wall / inside if inside > 0 else float('inf'):>14.1f}")

    print(f"== cgp.evolve from Python: {args.generations} generations, one call each")
    print(f"{'problem':<34}{'threads':>8}{'wall s':>9}{'engine s':>10}{'overhead ms':>13}{'gen/s':>10}{'gate evals/s':>14}")
    for name, shape in (("layer-bypass size 1x150->2400", (1, 150, 2400, 256, 31)),
                        ("4 items 9->16, 32x16 grid", (4, 9, 16, 32, 16))):
        for threads in (1, 2):
            wall, r = cgp_overhead(*shape, generations=args.generations, threads=threads)
            print(f"{name:<34}{threads:>8}{wall:>9.3f}{r['seconds']:>10.3f}{(wall - r['seconds']) * 1e3:>13.2f}"
                  f"{r['generations'] / r['seconds']:>10.0f}{r['gate_evals'] / r['seconds']:>14.3g}")


if __name__ == "__main__":
    main()
