"""Samplers: orders against torch's where they are deterministic, properties where random."""

import numpy as np
import pytest

import scratchdl as sd
from scratchdl.utils.data import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)

DATA = list(range(10))


def test_sequential_sampler_matches_torch(torch):
    from torch.utils.data import SequentialSampler as TorchSequential

    assert list(SequentialSampler(DATA)) == list(TorchSequential(DATA))
    assert len(SequentialSampler(DATA)) == 10


@pytest.mark.parametrize(
    ("batch_size", "drop_last"), [(3, False), (3, True), (5, True), (12, False)]
)
def test_batch_sampler_matches_torch_on_the_same_indices(torch, batch_size, drop_last):
    from torch.utils.data import BatchSampler as TorchBatchSampler

    order = [7, 2, 9, 0, 4, 1, 8, 3, 6, 5]
    ours = BatchSampler(order, batch_size, drop_last)
    theirs = TorchBatchSampler(order, batch_size, drop_last)
    assert list(ours) == list(theirs)
    assert len(ours) == len(theirs)


def test_random_sampler_permutes_and_is_seeded_by_the_library():
    sampler = RandomSampler(DATA)
    sd.manual_seed(4)
    first, second = list(sampler), list(sampler)
    assert sorted(first) == DATA and sorted(second) == DATA and first != second
    sd.manual_seed(4)
    assert list(sampler) == first


def test_random_sampler_draws_its_order_when_iter_is_called():
    sampler = RandomSampler(DATA)
    sd.manual_seed(8)
    iterator = iter(sampler)
    sd.manual_seed(99)
    order = list(iterator)
    sd.manual_seed(8)
    assert list(sampler) == order


def test_random_sampler_with_its_own_generator():
    orders = [list(RandomSampler(DATA, generator=sd.Generator().manual_seed(1))) for _ in range(2)]
    assert orders[0] == orders[1]


def test_random_sampler_num_samples_and_replacement(torch):
    from torch.utils.data import RandomSampler as TorchRandomSampler

    longer = list(RandomSampler(DATA, num_samples=25))
    assert len(longer) == 25 and sorted(longer[:20]) == sorted(DATA * 2)
    drawn = list(RandomSampler(DATA, replacement=True, num_samples=1000))
    assert len(drawn) == 1000 and set(drawn) == set(DATA)
    for kwargs in ({}, {"num_samples": 25}, {"replacement": True, "num_samples": 7}):
        assert len(RandomSampler(DATA, **kwargs)) == len(TorchRandomSampler(DATA, **kwargs))


def test_random_sampler_rejects_bad_arguments():
    with pytest.raises(ValueError, match="num_samples must be a positive integer, got 0"):
        RandomSampler([])
    with pytest.raises(TypeError, match="replacement must be a bool"):
        RandomSampler(DATA, replacement=1)


def test_subset_random_sampler_permutes_the_given_indices():
    sampler = SubsetRandomSampler([3, 30, 300])
    orders = {tuple(sampler) for _ in range(30)}
    assert all(sorted(order) == [3, 30, 300] for order in orders) and len(orders) > 1
    assert len(sampler) == 3


def test_weighted_random_sampler_follows_the_weights():
    drawn = list(WeightedRandomSampler([0.0, 1.0, 3.0], num_samples=4000))
    counts = np.bincount(drawn, minlength=3)
    assert counts[0] == 0 and 2.6 < counts[2] / counts[1] < 3.4
    unique = list(WeightedRandomSampler([1, 1, 1, 1], num_samples=4, replacement=False))
    assert sorted(unique) == [0, 1, 2, 3]
    with pytest.raises(ValueError, match="non-negative numbers with a positive sum"):
        WeightedRandomSampler([[1.0]], num_samples=1)


def test_batch_sampler_rejects_bad_arguments():
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        BatchSampler(DATA, 0, False)
    with pytest.raises(ValueError, match="drop_last must be a bool"):
        BatchSampler(DATA, 2, None)


def test_sampler_subclasses_define_iter():
    with pytest.raises(NotImplementedError, match="Sampler must define __iter__"):
        iter(Sampler())
