"""DistributedSampler: torch's index assignment, shards that partition the data, set_epoch."""

import sys
import types

import numpy as np
import pytest

from scratchdl.utils.data import DataLoader, DistributedSampler, TensorDataset

CASES = [(10, 3, False), (10, 3, True), (12, 4, False), (5, 8, False), (5, 8, True), (2, 5, False)]


def shards(n, replicas, **kwargs):
    return [
        list(DistributedSampler(range(n), replicas, rank, **kwargs)) for rank in range(replicas)
    ]


@pytest.mark.parametrize(("n", "replicas", "drop_last"), CASES)
@pytest.mark.parametrize("shuffle", [False, True])
def test_index_assignment_matches_torch_for_the_same_permutation(
    torch, monkeypatch, n, replicas, drop_last, shuffle
):
    from torch.utils.data import DistributedSampler as TorchDistributedSampler

    permutation = np.random.default_rng(n * replicas).permutation(n)
    monkeypatch.setattr(
        DistributedSampler, "_order", lambda self: permutation if shuffle else np.arange(n)
    )
    monkeypatch.setattr(torch, "randperm", lambda size, generator: torch.from_numpy(permutation))
    for rank in range(replicas):
        ours = DistributedSampler(range(n), replicas, rank, shuffle=shuffle, drop_last=drop_last)
        theirs = TorchDistributedSampler(
            range(n), replicas, rank, shuffle=shuffle, drop_last=drop_last
        )
        assert list(ours) == list(theirs)
        assert len(ours) == len(theirs)


@pytest.mark.parametrize(("n", "replicas"), [(10, 3), (12, 4), (5, 8)])
def test_shards_are_equal_and_cover_the_data_padding_by_repetition(n, replicas):
    parts = shards(n, replicas, shuffle=True)
    assert len({len(part) for part in parts}) == 1
    everything = [i for part in parts for i in part]
    assert set(everything) == set(range(n))
    assert len(everything) == -(-n // replicas) * replicas  # only the padding repeats


@pytest.mark.parametrize(("n", "replicas"), [(10, 3), (12, 4), (9, 2)])
def test_drop_last_gives_disjoint_equal_shards(n, replicas):
    parts = shards(n, replicas, shuffle=True, drop_last=True)
    everything = [i for part in parts for i in part]
    assert len(everything) == len(set(everything)) == (n // replicas) * replicas
    assert len({len(part) for part in parts}) == 1


def test_unshuffled_shards_interleave_the_dataset_order():
    assert shards(7, 2, shuffle=False) == [[0, 2, 4, 6], [1, 3, 5, 0]]


def test_set_epoch_changes_the_order_identically_on_every_rank():
    samplers = [DistributedSampler(range(20), 2, rank, seed=7) for rank in range(2)]
    epoch0 = [list(s) for s in samplers]
    assert [list(s) for s in samplers] == epoch0  # same epoch, same order
    for s in samplers:
        s.set_epoch(1)
    epoch1 = [list(s) for s in samplers]
    assert epoch1 != epoch0
    assert sorted(epoch1[0] + epoch1[1]) == list(range(20))
    fresh = [DistributedSampler(range(20), 2, rank, seed=7) for rank in range(2)]
    for s in fresh:
        s.set_epoch(1)
    assert [list(s) for s in fresh] == epoch1  # a rank in another process agrees


def test_the_seed_changes_the_order():
    assert list(DistributedSampler(range(50), 1, 0, seed=1)) != list(
        DistributedSampler(range(50), 1, 0, seed=2)
    )


def test_as_a_dataloader_sampler():
    dataset = TensorDataset(np.arange(10))
    sampler = DistributedSampler(dataset, num_replicas=2, rank=1, shuffle=False)
    loader = DataLoader(dataset, batch_size=2, sampler=sampler)
    assert len(loader) == 3
    assert [b.numpy().tolist() for (b,) in loader] == [[1, 3], [5, 7], [9]]


def test_a_rank_outside_the_replicas_is_rejected():
    with pytest.raises(
        ValueError, match=r"invalid rank 3, rank should be in the interval \[0, 2\]"
    ):
        DistributedSampler(range(4), num_replicas=3, rank=3)


def test_defaults_need_an_initialised_process_group(monkeypatch):
    monkeypatch.setitem(sys.modules, "scratchdl.distributed", None)  # not installed
    with pytest.raises(RuntimeError, match=r"num_replicas was not given .*init_process_group"):
        DistributedSampler(range(4))
    group = types.SimpleNamespace(is_initialized=lambda: False)
    monkeypatch.setitem(sys.modules, "scratchdl.distributed", group)
    with pytest.raises(RuntimeError, match="rank was not given"):
        DistributedSampler(range(4), num_replicas=2)


def test_defaults_come_from_the_process_group(monkeypatch):
    group = types.SimpleNamespace(
        is_initialized=lambda: True, get_world_size=lambda: 4, get_rank=lambda: 3
    )
    monkeypatch.setitem(sys.modules, "scratchdl.distributed", group)
    sampler = DistributedSampler(range(10))
    assert (sampler.num_replicas, sampler.rank, len(sampler)) == (4, 3, 3)
