"""nncompress.replay.Memory inside a PyTorch loop: budgets in real bytes, the greedy
class-balanced rule, decompressed batches, state round trip, bad input as Python errors."""
import pytest
import torch

import nncompress
from nncompress import replay


def images(n, seed=0, shape=(1, 28, 28)):
    g = torch.Generator().manual_seed(seed)
    return (torch.rand((n, *shape), generator=g) * 255).to(torch.uint8), torch.arange(n) % 5


def test_every_compressor_of_the_cli_is_there():
    assert {"none", "thinning", "quantization", "jpeg", "resize", "pq", "convae"} <= set(replay.compressors())
    assert {"none", "cutr"} <= set(replay.encoders())


def test_byte_budget_holds_and_classes_balance():
    x, y = images(400)
    m = replay.Memory(budget="20KiB", compressor="jpeg", quality=50)
    for i in range(0, 400, 64):
        m.offer(x[i:i + 64], y[i:i + 64])
    assert 0 < m.bytes_used <= 20 * 1024
    counts = m.items_per_class
    assert set(counts) == {0, 1, 2, 3, 4} and max(counts.values()) - min(counts.values()) <= 1
    xb, yb = m.sample(16)
    assert xb.dtype == torch.uint8 and xb.shape == (16, 1, 28, 28) and yb.shape == (16,)


def test_slots_raw_images_come_back_exactly():
    x, y = images(100)
    m = replay.Memory(slots=30, compressor="none")
    m.offer(x, y)
    assert len(m) == 30 and m.bytes_used == 30 * 784
    mx, my = m.tensors()
    # Every stored image is one of the offered ones, with its label.
    for img, label in zip(mx, my):
        hits = (x == img).flatten(1).all(1).nonzero().flatten()
        assert len(hits) >= 1 and int(y[hits[0]]) == int(label)


def test_dataset_view_trains_in_a_plain_loop():
    x, y = images(200)
    m = replay.Memory(slots=50, compressor="quantization", n_states=4)
    m.offer(x, y)
    loader = torch.utils.data.DataLoader(m.dataset(), batch_size=16, shuffle=True)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 5))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    seen = 0
    for xb, yb in loader:
        loss = torch.nn.functional.cross_entropy(model(xb.float() / 255), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        seen += len(yb)
    assert seen == 50 and torch.isfinite(loss)


def test_state_dict_round_trip():
    x, y = images(300)
    m = replay.Memory(budget="16KiB", compressor="jpeg", jpeg_quality=30)
    m.offer(x, y)
    m2 = replay.Memory(budget="16KiB", compressor="jpeg", jpeg_quality=30)
    m2.load_state_dict(m.state_dict())
    assert len(m2) == len(m) and m2.bytes_used == m.bytes_used and m2.items_per_class == m.items_per_class
    assert torch.equal(m2.tensors()[0], m.tensors()[0])


def test_learned_compressor_needs_data_of_another_set():
    x, y = images(200)
    with pytest.raises(nncompress.Error, match="pass fit_on="):
        replay.Memory(slots=20, compressor="quantization", strategy="transfer").offer(x, y)
    ref, _ = images(300, seed=1)
    m = replay.Memory(slots=20, compressor="quantization", strategy="transfer", n_states=4, fit_on=ref)
    m.offer(x, y)
    assert len(m) == 20
    # Its learned state travels with the items: no fit_on needed to restore it.
    m2 = replay.Memory(slots=20, compressor="quantization", strategy="transfer", n_states=4)
    m2.load_state_dict(m.state_dict())
    assert torch.equal(m2.tensors()[0], m.tensors()[0])
    m2.offer(x[:8], y[:8])  # and it goes on taking samples


def test_bad_input_raises_the_clis_wording():
    x, y = images(10)
    with pytest.raises(nncompress.Error, match="unknown compressor 'jpg'"):
        replay.Memory(budget="1MiB", compressor="jpg")
    with pytest.raises(nncompress.Error, match="unknown option 'qualty'"):
        replay.Memory(budget="1MiB", compressor="jpeg", qualty=3)
    with pytest.raises(nncompress.Error, match="jpeg_quality"):
        replay.Memory(budget="1MiB", compressor="jpeg", quality=0).offer(x, y)
    m = replay.Memory(budget="1MiB")
    with pytest.raises(nncompress.Error, match="x must be uint8 images"):
        m.offer(x.float(), y)
    with pytest.raises(nncompress.Error, match="y must be integer labels"):
        m.offer(x, y[:3])
    m.offer(x, y)
    with pytest.raises(nncompress.Error, match="images of shape 1x32x32 but this memory holds 1x28x28"):
        m.offer(images(4, shape=(1, 32, 32))[0], torch.zeros(4, dtype=torch.long))
    with pytest.raises(nncompress.Error, match="budget"):
        replay.Memory(budget="10B", compressor="none").offer(x, y)
    with pytest.raises(nncompress.Error, match="either budget="):
        replay.Memory(compressor="none")
