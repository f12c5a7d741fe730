"""nncompress.search: the CLI's samplers driven by a Python objective (ask/tell and optimize),
single and multi objective, failures and bad input as Python errors."""
import math

import pytest

import nncompress
from nncompress import search


def bowl(p):
    return (p["a"] - 3) ** 2 + (p["b"] - 5) ** 2 + (p["c"] == "y")


SPACE = {"a": list(range(8)), "b": list(range(8)), "c": ["x", "y"]}


def test_every_sampler_of_the_cli_is_there():
    assert {"brute-force", "random", "tpe", "nsga2"} <= set(search.samplers())


def test_brute_force_visits_the_whole_space_once_and_finds_the_optimum():
    study = search.Study(SPACE, sampler="brute-force")
    best = study.optimize(bowl, n_trials=1000)
    assert len(study.trials) == 8 * 8 * 2
    assert len({tuple(t["params"].items()) for t in study.trials}) == 128
    assert best["params"] == {"a": 3, "b": 5, "c": "x"} and best["values"] == [0.0]


def test_tpe_beats_random_on_a_bowl_over_seeds():
    # Median best after 40 trials over 9 seeds: the model-based sampler must do better.
    def median_best(sampler):
        bests = sorted(search.Study(SPACE, sampler=sampler, seed=s).optimize(bowl, n_trials=40)["values"][0]
                       for s in range(9))
        return bests[4]
    assert median_best("tpe") < median_best("random")


def test_same_seed_same_trials_and_ask_tell_equals_optimize():
    a = search.Study(SPACE, sampler="tpe", seed=4)
    a.optimize(bowl, n_trials=25)
    b = search.Study(SPACE, sampler="tpe", seed=4)
    for _ in range(25):
        t = b.ask()
        b.tell(t, bowl(t["params"]))
    assert [t["params"] for t in a.trials] == [t["params"] for t in b.trials]


def test_sampler_options_with_or_without_prefix():
    s = search.Study(SPACE, sampler="tpe", n_startup_trials=3)
    assert "n_startup_trials: 3" in s.describe()
    s = search.Study(SPACE, sampler="tpe", tpe_n_startup_trials=4)
    assert "n_startup_trials: 4" in s.describe()


def test_two_metrics_give_a_pareto_front():
    study = search.Study({"w": [2, 4, 8, 16], "x": [0, 1]}, metrics={"acc": "maximize", "bits": "minimize"},
                         sampler="brute-force")
    front = study.optimize(lambda p: {"acc": 1 - 1 / p["w"] - 0.1 * p["x"], "bits": p["w"]}, n_trials=100)
    assert sorted(f["params"]["w"] for f in front) == [2, 4, 8, 16]
    assert all(f["params"]["x"] == 0 for f in front)
    with pytest.raises(nncompress.Error, match="best needs one objective"):
        study.best


def test_signed_scaled_sum_as_the_cli():
    study = search.Study({"w": [2, 4, 8]}, metrics={"acc": "maximize", "bits": "minimize"},
                         sum_scaled_metrics=True, direction="maximize", scales={"bits": 0.1},
                         sampler="brute-force")
    best = study.optimize(lambda p: [0.9 if p["w"] > 2 else 0.5, p["w"]])
    assert best["params"] == {"w": 4}
    assert best["objectives"] == [pytest.approx(0.9 - 0.4)]


def test_a_raising_objective_is_recorded_then_raised_unless_caught():
    study = search.Study({"a": [1, 2, 3]}, sampler="random", seed=1)
    with pytest.raises(ZeroDivisionError):
        study.optimize(lambda p: 1 / 0, n_trials=3)
    assert study.trials[0]["state"] == "failed"
    assert study.trials[0]["error"] == "ZeroDivisionError: division by zero"
    study.optimize(lambda p: 1 / (p["a"] - 1), n_trials=6, catch=(ZeroDivisionError,))
    states = {t["params"]["a"]: t["state"] for t in study.trials[1:]}
    assert states.get(1, "failed") == "failed" and set(states.values()) <= {"failed", "complete"}
    assert study.best["params"]["a"] != 1


def test_nan_fails_the_trial_not_the_study():
    study = search.Study({"a": [1, 2]}, sampler="brute-force")
    study.optimize(lambda p: math.nan if p["a"] == 1 else 2.0)
    assert [t["state"] for t in study.trials] == ["failed", "complete"]
    assert "metric 'value' is nan" in study.trials[0]["error"]


def test_one_pending_trial_and_bad_tells():
    study = search.Study({"a": [1, 2]}, metrics={"m1": "minimize", "m2": "minimize"}, sampler="random")
    t = study.ask()
    with pytest.raises(nncompress.Error, match="trial 0 is still pending"):
        study.ask()
    with pytest.raises(nncompress.Error, match="1 values told for trial 0, expected 2"):
        study.tell(t, 1.0)
    with pytest.raises(nncompress.Error, match="no value for metric 'm2'"):
        study.tell(t, {"m1": 1.0})
    with pytest.raises(nncompress.Error, match="must be a number"):
        study.tell(t, "high")
    study.tell(t, [1.0, 2.0])
    with pytest.raises(nncompress.Error, match="trial 0 is not pending"):
        study.tell(t, [1.0, 2.0])


@pytest.mark.parametrize("kwargs, message", [
    (dict(sampler="tpx"), "unknown sampler 'tpx': expected one of"),
    (dict(sampler="tpe", n_startup=3), "unknown option 'n_startup'"),
    (dict(sampler="random", nsga2_population_size=8), "applies to sampler nsga2 or nsgaii only, but the sampler is random"),
    (dict(sampler="tpe", n_startup_trials="many"), "n_startup_trials"),
    (dict(dedup="never"), "unknown dedup policy 'never'"),
    (dict(metrics={"acc": "upward"}), "upward"),
])
def test_bad_study_options_are_one_line_errors(kwargs, message):
    with pytest.raises(nncompress.Error, match=message):
        search.Study({"a": [1, 2]}, **kwargs)


def test_bad_spaces_name_the_parameter():
    with pytest.raises(nncompress.Error, match="parameter 'a' choice 1: expected an int, float or str"):
        search.Study({"a": [1, None]})
    with pytest.raises(nncompress.Error, match="parameter 'a': expected a list of choices"):
        search.Study({"a": "abc"})
    with pytest.raises(nncompress.Error):
        search.Study({"a": []})
