"""The CGP engine of ``nncompress cgp``: evolve a circuit of 2-input int8 gates whose outputs
reproduce target int8 values from given inputs (first reaching the error threshold, then
minimising energy).

    r = nncompress.cgp.evolve(known_weights, weights_to_infer, rows=32, cols=16, generations=20000)
    r["error"], r["energy"], r["gates"], r["outputs"]      # outputs: int8 tensor [items, outputs]
    nncompress.cgp.outputs(r["genome"], other_inputs)       # the circuit on other inputs

Inputs and targets are integer tensors or numpy arrays, [items, values] or [values] (one item),
with values in -128..127. The whole evolution runs in C++ (threads= for parallel offspring
evaluation); the result is the same for any thread count.
"""
import torch  # noqa: F401

from . import _nncompress

__all__ = ["evolve", "outputs"]


def evolve(inputs, targets, *, rows=16, cols=16, generations=100000, threshold=0, metric="SE", lambda_=4,
           mutation_max=0.01, patience=100000, seed=1, threads=1, multiplex=False, lookback=0,
           dynamic_threshold=True, costs=None, start=None, scored=None):
    """Evolves a circuit mapping ``inputs`` to ``targets``. ``threshold`` is in ``metric`` units
    (SE, MSE or AE summed over scored outputs); ``costs``: a cost-table file (default: unit
    costs); ``start``: a genome (text form) to start from; ``scored``: per item, how many
    leading outputs count. Returns a dict: genome (text), error, energy, gates, delay, depth,
    generations, stop_reason, seconds (in the engine), gate_evals, outputs."""
    return _nncompress.cgp_evolve(torch.as_tensor(inputs), torch.as_tensor(targets), int(rows), int(cols),
                                  int(generations), int(threshold), str(metric), int(lambda_),
                                  float(mutation_max), int(patience), int(seed), int(threads), bool(multiplex),
                                  int(lookback), bool(dynamic_threshold), "" if costs is None else str(costs),
                                  "" if start is None else str(start), list(scored or []))


def outputs(genome, inputs):
    """The outputs of ``genome`` (text form) on ``inputs``: int8 tensor [items, outputs]."""
    return _nncompress.cgp_outputs(str(genome), torch.as_tensor(inputs))
