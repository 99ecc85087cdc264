"""The background prefetch thread (DataLoader num_workers > 0): same items, errors re-raised,
no leaked thread."""

import threading

import numpy as np
import pytest

import scratchdl as sd
from scratchdl.utils.data import DataLoader, TensorDataset
from scratchdl.utils.data.prefetch import prefetch


def prefetch_threads():
    return [t for t in threading.enumerate() if t.name == "scratchdl-prefetch"]


def test_yields_every_item_in_order():
    assert list(prefetch(iter(range(100)), depth=3)) == list(range(100))


def test_an_error_in_the_thread_is_raised_in_the_consumer():
    def items():
        yield 1
        yield 2
        raise RuntimeError("bad sample 3")

    received = []
    with pytest.raises(RuntimeError, match="bad sample 3"):
        for item in prefetch(items(), depth=1):
            received.append(item)
    assert received == [1, 2]
    assert not any(t.is_alive() for t in prefetch_threads())


def test_stopping_early_ends_the_thread():
    iterator = prefetch(iter(range(10_000)), depth=2)
    assert next(iterator) == 0
    (worker,) = [t for t in prefetch_threads() if t.is_alive()]
    iterator.close()  # what `break` does to the loop's generator
    assert not worker.is_alive()


def test_loader_with_workers_gives_the_same_batches():
    dataset = TensorDataset(np.arange(20, dtype=np.float32), np.arange(20) % 3)
    plain = DataLoader(dataset, batch_size=3, shuffle=True, generator=sd.Generator())
    ahead = DataLoader(dataset, batch_size=3, shuffle=True, generator=sd.Generator(), num_workers=2)
    for (x1, y1), (x2, y2) in zip(plain, ahead, strict=True):
        np.testing.assert_array_equal(x1.numpy(), x2.numpy())
        np.testing.assert_array_equal(y1.numpy(), y2.numpy())


def test_the_order_is_drawn_in_the_calling_thread():
    loader = DataLoader(TensorDataset(np.arange(50)), batch_size=5, shuffle=True, num_workers=1)
    sd.manual_seed(3)
    iterator = iter(loader)
    sd.manual_seed(77)  # the thread must not draw from the reseeded library generator
    order = [i for (batch,) in iterator for i in batch.numpy().tolist()]
    sd.manual_seed(3)
    assert [
        i
        for (batch,) in DataLoader(loader.dataset, 5, shuffle=True)
        for i in batch.numpy().tolist()
    ] == order


def test_worker_init_fn_runs_in_the_thread_before_the_first_batch():
    calls = []
    loader = DataLoader(
        TensorDataset(np.zeros(4)),
        num_workers=3,
        prefetch_factor=1,
        worker_init_fn=lambda worker_id: calls.append((worker_id, threading.current_thread().name)),
    )
    assert len(list(loader)) == 4
    assert calls == [(0, "scratchdl-prefetch")]


def test_breaking_out_of_a_prefetching_loader_leaves_no_thread():
    dataset = TensorDataset(np.zeros((1000, 2), dtype=np.float32))
    loader = DataLoader(dataset, batch_size=2, num_workers=1)
    for _ in loader:
        break
    assert not any(t.is_alive() for t in prefetch_threads())


def test_loader_errors_reach_the_consumer():
    def broken(samples):
        raise ValueError("collate failed")

    loader = DataLoader(TensorDataset(np.zeros((4, 1))), collate_fn=broken, num_workers=1)
    with pytest.raises(ValueError, match="collate failed"):
        list(loader)
