"""A replay memory under a byte budget for any PyTorch training loop.

    mem = nncompress.replay.Memory(budget="1.5MiB", compressor="jpeg", quality=50)
    for x, y in stream:                  # uint8 images [N, C, H, W], integer labels [N]
        mem.offer(x, y)                  # GDumb's greedy class-balanced rule, real packed bytes
        xb, yb = mem.sample(64)          # decompressed, on the memory's device
    mem.bytes_used, mem.items_per_class  # what the budget holds
    loader = DataLoader(mem.dataset(), batch_size=16, shuffle=True)

The compressors and encoders are nncompress's (``compressors()``, ``encoders()``), with the
options ``nncompress replay --help`` lists (``jpeg_quality=50``; a compressor's own options
may drop its prefix: ``quality=50``). Budgets count every byte stored, fixed costs included,
as ``nncompress replay`` does. Compressors that learn (convae, fcae, sparse, pq, quantization
with strategy transfer) are fitted on images of ANOTHER data set: ``fit_on=images``.
"""
import torch

from . import _nncompress
from ._nncompress import compressors, encoders

__all__ = ["Memory", "compressors", "encoders"]


class Memory:
    def __init__(self, budget=None, *, slots=0, compressor="none", encoder="none", device="cpu", seed=0,
                 accounting="real", mean=(), std=(), fit_on=None, **options):
        """``budget``: bytes ("1.5MiB", "392000B", or an int), fixed costs included; or
        ``slots``: a number of items. ``mean``/``std``: the data's per-channel normalisation
        (CutR encoders see normalised images). ``fit_on``: uint8 images [N, C, H, W] of another
        data set, for compressors that learn. Other keywords are encoder/compressor options."""
        budget = "" if budget is None else (f"{budget}B" if isinstance(budget, int) else str(budget))
        self.device = torch.device(device)
        self._m = _nncompress.ReplayMemory(budget, int(slots), compressor, encoder, str(self.device), int(seed),
                                           accounting, list(mean), list(std), options)
        if fit_on is not None:
            self._m.fit(fit_on)

    def offer(self, x, y):
        """Offers a batch: uint8 images [N, C, H, W] and integer labels [N] (any device)."""
        self._m.offer(x, torch.as_tensor(y))

    def sample(self, batch_size):
        """``batch_size`` stored items drawn uniformly (with replacement), decompressed:
        (x, y) on the memory's device; raw images as uint8, encoded ones as float32."""
        return self._m.sample(int(batch_size))

    def tensors(self):
        """Every stored item, decompressed: (x, y)."""
        return self._m.tensors()

    def dataset(self):
        """A ``torch.utils.data.Dataset`` of the memory as it is now (decompressed once)."""
        return torch.utils.data.TensorDataset(*self.tensors())

    def __iter__(self):
        x, y = self.tensors()
        return iter(zip(x, y))

    def __len__(self):
        return len(self._m)

    @property
    def bytes_used(self):
        """Bytes the stored items and the fixed costs take."""
        return self._m.bytes_used

    @property
    def items_per_class(self):
        """{label: number of stored items}."""
        return dict(self._m.items_per_class)

    def state_dict(self):
        return self._m.state_dict()

    def load_state_dict(self, state):
        """Restores the items, labels and the compressor's learned state of ``state_dict()``
        into this memory (built with the same options)."""
        self._m.load_state_dict(state)

    def __repr__(self):
        return self._m.describe()
