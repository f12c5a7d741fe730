"""Samplers of ``nncompress search`` (TPE, NSGA-II, random, brute force) for any Python objective.

    study = nncompress.search.Study({"w1": [2, 4, 8], "w2": [2, 4, 8]}, sampler="tpe", seed=1)
    best = study.optimize(lambda p: (p["w1"] - 4) ** 2 + p["w2"], n_trials=30)
    best["params"], best["values"]

or ask and tell by hand (a trial is a dict: number, params, values, state, ...):

    t = study.ask()
    study.tell(t, my_objective(t["params"]))

Several metrics: ``metrics={"accuracy": "maximize", "bits": "minimize"}`` gives a Pareto
``front``; with ``sum_scaled_metrics=True`` (and ``scales=``) one signed scaled sum, as the CLI's
search. A sampler's options are keywords (``n_startup_trials=5`` or ``tpe_n_startup_trials=5``).
"""
import time

from . import _nncompress
from ._nncompress import samplers

__all__ = ["Study", "samplers"]


def _metric_list(metrics, scales):
    if isinstance(metrics, str):
        metrics = {metrics: "minimize"}
    scales = scales or {}
    unknown = set(scales) - set(metrics)
    if unknown:
        raise _nncompress.Error(f"search.Study: scales names unknown metrics {sorted(unknown)}")
    return [(name, direction, float(scales.get(name, 1.0))) for name, direction in metrics.items()]


class Study:
    def __init__(self, params, *, metrics="value", sampler="tpe", seed=0, sum_scaled_metrics=False,
                 direction="minimize", scales=None, dedup="allow", **sampler_options):
        """``params``: {name: [choices]} (ints, floats or strings). ``metrics``: one name (minimized)
        or {name: "minimize" | "maximize"}. ``dedup``: "allow" | "cache" | "resample" for repeated
        configurations."""
        self.metric_names = list({metrics: 0} if isinstance(metrics, str) else metrics)
        self.one_objective = bool(sum_scaled_metrics) or len(self.metric_names) == 1
        self._s = _nncompress.Study(dict(params), _metric_list(metrics, scales), bool(sum_scaled_metrics),
                                    direction, sampler, int(seed), dedup, sampler_options)

    def ask(self):
        """The next trial (a dict with ``number`` and ``params``), or None when the sampler has
        nothing left. A trial with ``duplicate_of`` >= 0 repeats an earlier one (dedup="cache"):
        tell its ``values`` back."""
        return self._s.ask()

    def tell(self, trial, values=None, *, error=None, seconds=0.0):
        """Records the pending ``trial`` (the dict or its number): ``values`` is a number (one
        metric), a sequence in metric order or {metric: value}; ``error`` marks it failed."""
        number = trial["number"] if isinstance(trial, dict) else int(trial)
        if error is not None:
            return self._s.tell_failed(number, str(error), seconds)
        return self._s.tell(number, self._values(values), seconds)

    def optimize(self, objective, n_trials=100, *, timeout=None, catch=()):
        """Calls ``objective(params)`` for up to ``n_trials`` trials (or ``timeout`` seconds).
        An exception of a type in ``catch`` fails that trial and the study goes on; any other
        is recorded as a failed trial and raised. Returns ``best`` (one objective) or ``front``."""
        start = time.monotonic()
        for _ in range(int(n_trials)):
            if timeout is not None and time.monotonic() - start >= timeout:
                break
            trial = self.ask()
            if trial is None:
                break
            if trial["duplicate_of"] >= 0:
                self.tell(trial, trial["values"])
                continue
            t0 = time.monotonic()
            try:
                values = self._values(objective(trial["params"]))
            except Exception as e:  # noqa: BLE001  (recorded, then re-raised unless caught)
                self.tell(trial, error=f"{type(e).__name__}: {e}", seconds=time.monotonic() - t0)
                if isinstance(e, tuple(catch)):
                    continue
                raise
            self._s.tell(trial["number"], values, time.monotonic() - t0)  # values converted above
        return self.best if self.one_objective else self.front

    @property
    def trials(self):
        return self._s.trials

    @property
    def best(self):
        """The best complete trial (one objective), None before one completed."""
        return self._s.best

    @property
    def front(self):
        """The complete non-dominated trials."""
        return self._s.front

    @property
    def sampler_seconds(self):
        """Time spent inside the sampler (C++), all trials together."""
        return self._s.sampler_seconds

    def describe(self):
        return self._s.describe()

    def _values(self, values):
        if isinstance(values, dict):
            missing = [m for m in self.metric_names if m not in values]
            if missing:
                raise _nncompress.Error(f"search.Study.tell: no value for metric {missing[0]!r}")
            return [float(values[m]) for m in self.metric_names]
        try:
            if isinstance(values, (list, tuple)):
                return [float(v) for v in values]
            return [float(values)]
        except (TypeError, ValueError):
            raise _nncompress.Error(f"search.Study: an objective value must be a number, a sequence "
                                    f"in metric order or {{metric: value}}, got {values!r}") from None
