"""nncompress.cgp: the circuit-evolution engine from int8 tensors or numpy arrays."""
import numpy as np
import pytest
import torch

import nncompress
from nncompress import cgp


def doubling_problem(seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randint(-20, 20, (1, 9), generator=g, dtype=torch.int8)
    return x, x[:, :4] * 2  # |2x| < 128: no wrap


def test_evolves_an_exact_circuit_and_its_outputs_match():
    x, y = doubling_problem()
    r = cgp.evolve(x, y, rows=8, cols=8, generations=20000, seed=3)
    assert r["error"] == 0 and r["reached_threshold"]
    assert torch.equal(r["outputs"], y)
    assert torch.equal(cgp.outputs(r["genome"], x), y)
    assert r["generations"] > 0 and r["gate_evals"] > 0 and r["seconds"] > 0


def test_numpy_and_one_item_vectors_work():
    x, y = doubling_problem(1)
    r = cgp.evolve(x[0].numpy(), y[0].numpy().astype(np.int64), rows=8, cols=8, generations=20000, seed=5)
    assert r["outputs"].shape == (1, 4)
    assert r["error"] == 0


def test_same_seed_same_genome_for_any_thread_count():
    x, y = doubling_problem(2)
    a = cgp.evolve(x, y, rows=8, cols=8, generations=3000, seed=9, threads=1)
    b = cgp.evolve(x, y, rows=8, cols=8, generations=3000, seed=9, threads=2)
    assert a["genome"] == b["genome"] and a["error"] == b["error"]


def test_start_genome_continues_an_evolution():
    x, y = doubling_problem(3)
    first = cgp.evolve(x, y, rows=8, cols=8, generations=500, seed=1)
    more = cgp.evolve(x, y, rows=8, cols=8, generations=20000, seed=2, start=first["genome"])
    assert more["error"] <= first["error"]


@pytest.mark.parametrize("inputs, targets, kwargs, message", [
    (torch.zeros(1, 3), torch.zeros(1, 2, dtype=torch.int8), {}, "inputs must be an integer tensor"),
    (torch.tensor([[300]]), torch.zeros(1, 2, dtype=torch.int8), {}, r"inputs holds values in 300\.\.300"),
    (torch.zeros(2, 3, dtype=torch.int8), torch.zeros(1, 2, dtype=torch.int8), {}, "2 input items but 1 target"),
    (torch.zeros(1, 3, dtype=torch.int8), torch.zeros(1, 2, 2, dtype=torch.int8), {}, "targets must be"),
    (torch.zeros(1, 3, dtype=torch.int8), torch.zeros(1, 2, dtype=torch.int8), {"metric": "XE"}, "XE"),
    (torch.zeros(1, 3, dtype=torch.int8), torch.zeros(1, 2, dtype=torch.int8), {"rows": 0}, "rows"),
    (torch.zeros(1, 3, dtype=torch.int8), torch.zeros(1, 2, dtype=torch.int8), {"costs": "/no/such/costs.txt"},
     "/no/such/costs.txt"),
    (torch.zeros(1, 3, dtype=torch.int8), torch.zeros(1, 2, dtype=torch.int8), {"start": "{1,2,3}"}, "start"),
])
def test_bad_input_is_one_error_line(inputs, targets, kwargs, message):
    with pytest.raises(nncompress.Error, match=message):
        cgp.evolve(inputs, targets, generations=10, **kwargs)


def test_outputs_refuses_a_genome_of_another_width():
    x, y = doubling_problem()
    r = cgp.evolve(x, y, rows=4, cols=4, generations=100)
    with pytest.raises(nncompress.Error, match="reads 9 inputs per item, the tensor has 3"):
        cgp.outputs(r["genome"], torch.zeros(1, 3, dtype=torch.int8))
