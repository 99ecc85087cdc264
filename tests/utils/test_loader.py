"""DataLoader: torch's arguments and batches, shuffling, reproducibility, the batch path, resume."""

import numpy as np
import pytest

import scratchdl as sd
from scratchdl.random import get_rng_state, set_rng_state
from scratchdl.utils.data import (
    BatchSampler,
    DataLoader,
    Dataset,
    IterableDataset,
    SequentialSampler,
    TensorDataset,
    default_collate,
    get_worker_info,
)


def make_dataset(n=10):
    return TensorDataset(np.arange(n, dtype=np.float32).reshape(n, 1), np.arange(n, dtype=np.int64))


def epoch_order(loader):
    """The sample labels of one epoch, in the order served."""
    return np.concatenate([y.numpy() for _, y in loader])


@pytest.mark.parametrize(
    ("n", "batch_size", "drop_last", "expected"),
    [
        (60000, 32, False, 1875),
        (10, 3, False, 4),
        (10, 3, True, 3),
        (2, 3, True, 0),
        (0, 4, False, 0),
    ],
)
def test_len_counts_batches(n, batch_size, drop_last, expected):
    loader = DataLoader(TensorDataset(np.zeros((n, 1), np.uint8)), batch_size, drop_last=drop_last)
    assert len(loader) == expected
    assert sum(1 for _ in loader) == expected
    assert len(loader.dataset) == n


def test_batches_are_lists_of_tensors_with_the_dataset_dtypes(torch):
    from torch.utils.data import DataLoader as TorchDataLoader

    X = np.arange(20, dtype=np.uint8).reshape(10, 2)
    y = np.arange(10, dtype=np.int64)
    ours = list(DataLoader(TensorDataset(X, y), batch_size=4))
    theirs = list(
        TorchDataLoader(
            torch.utils.data.TensorDataset(torch.from_numpy(X), torch.from_numpy(y)), batch_size=4
        )
    )
    assert len(ours) == len(theirs) == 3
    for batch, reference in zip(ours, theirs, strict=True):
        assert type(batch) is type(reference) is list
        for ours_field, their_field in zip(batch, reference, strict=True):
            assert isinstance(ours_field, sd.Tensor)
            assert ours_field.data.dtype == their_field.numpy().dtype
            np.testing.assert_array_equal(ours_field.numpy(), their_field.numpy())


def test_default_batch_size_is_one_and_batch_size_none_is_unbatched():
    x, y = next(iter(DataLoader(make_dataset())))
    assert x.shape == (1, 1) and y.shape == (1,)
    samples = list(DataLoader([(np.ones(2), 3)], batch_size=None))
    assert samples[0][0].shape == (2,) and samples[0][1] == 3


def test_without_shuffle_the_order_is_the_dataset_order():
    np.testing.assert_array_equal(epoch_order(DataLoader(make_dataset(), batch_size=3)), range(10))


def test_shuffle_draws_a_new_permutation_every_epoch():
    loader = DataLoader(make_dataset(50), batch_size=8, shuffle=True)
    first, second = epoch_order(loader), epoch_order(loader)
    assert sorted(first) == list(range(50)) and sorted(second) == list(range(50))
    assert not np.array_equal(first, second)
    assert loader.epoch == 2


def test_manual_seed_makes_shuffling_reproducible():
    loader = DataLoader(make_dataset(50), batch_size=8, shuffle=True)
    sd.manual_seed(3)
    first = epoch_order(loader)
    sd.manual_seed(3)
    np.testing.assert_array_equal(epoch_order(loader), first)


def test_a_generator_makes_orders_independent_of_the_library_generator():
    a = DataLoader(make_dataset(50), 8, shuffle=True, generator=sd.Generator().manual_seed(7))
    b = DataLoader(make_dataset(50), 8, shuffle=True, generator=sd.Generator().manual_seed(7))
    orders_a = [epoch_order(a) for _ in range(2)]
    sd.manual_seed(123)
    for order in orders_a:
        np.testing.assert_array_equal(epoch_order(b), order)


def test_the_order_is_drawn_when_the_epoch_starts():
    loader = DataLoader(make_dataset(50), batch_size=8, shuffle=True)
    sd.manual_seed(5)
    iterator = iter(loader)
    sd.manual_seed(99)  # reseeding after iter() must not change this epoch
    order = np.concatenate([y.numpy() for _, y in iterator])
    sd.manual_seed(5)
    np.testing.assert_array_equal(epoch_order(loader), order)


@pytest.mark.parametrize("with_generator", [False, True])
def test_a_resumed_loader_sees_the_uninterrupted_orders(with_generator):
    def new_loader():
        generator = sd.Generator().manual_seed(11) if with_generator else None
        return DataLoader(make_dataset(30), batch_size=4, shuffle=True, generator=generator)

    sd.manual_seed(0)
    uninterrupted = new_loader()
    expected = [epoch_order(uninterrupted) for _ in range(3)]

    sd.manual_seed(0)
    first_run = new_loader()
    epoch_order(first_run)
    checkpoint = (first_run.state_dict(), get_rng_state())

    sd.manual_seed(42)  # a new process would start from anything
    resumed = new_loader()
    resumed.load_state_dict(checkpoint[0])
    set_rng_state(checkpoint[1])
    assert resumed.epoch == 1
    for order in expected[1:]:
        np.testing.assert_array_equal(epoch_order(resumed), order)


def test_state_dict_holds_the_epoch_and_the_generator_state():
    loader = DataLoader(make_dataset())
    list(loader)
    assert loader.state_dict() == {"epoch": 1, "generator": None}
    generator = sd.Generator().manual_seed(4)
    assert DataLoader(make_dataset(), generator=generator).state_dict()["generator"] == (
        generator.get_state()
    )


def test_a_state_from_before_generators_loads():
    loader = DataLoader(make_dataset(), shuffle=True)
    loader.load_state_dict({"epoch": 3, "seed": None})
    assert loader.epoch == 3


def test_bad_state_is_rejected_before_anything_changes():
    loader = DataLoader(make_dataset(), shuffle=True)
    with pytest.raises(KeyError, match="lacks \\['epoch'\\]"):
        loader.load_state_dict({"generator": None})
    with pytest.raises(ValueError, match="epoch must be an integer >= 0, got -1"):
        loader.load_state_dict({"epoch": -1, "generator": None})
    state = DataLoader(make_dataset(), generator=sd.Generator()).state_dict()
    with pytest.raises(ValueError, match="saved by a loader with a generator, this one has none"):
        loader.load_state_dict(state)
    assert loader.state_dict() == {"epoch": 0, "generator": None}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"batch_size": 0}, "batch_size must be a positive integer, got 0"),
        ({"batch_size": 2.0}, "batch_size must be a positive integer"),
        ({"num_workers": -1}, "num_workers must be a non-negative integer"),
        ({"prefetch_factor": 2}, "prefetch_factor needs num_workers > 0"),
        ({"persistent_workers": True}, "persistent_workers needs num_workers > 0"),
        ({"timeout": -1}, "timeout must be non-negative"),
        ({"shuffle": True, "sampler": [0, 1]}, "sampler option is mutually exclusive with shuffle"),
        ({"batch_sampler": [[0]], "batch_size": 2}, "batch_sampler option is mutually exclusive"),
        ({"batch_size": None, "drop_last": True}, "mutually exclusive with drop_last"),
        ({"shuffle": True, "generator": 3}, "RandomSampler: generator must be"),
    ],
)
def test_bad_arguments_are_rejected_as_torch_does(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        list(DataLoader(make_dataset(), **kwargs))


def test_torchs_harmless_arguments_are_accepted():
    loader = DataLoader(
        make_dataset(),
        batch_size=4,
        pin_memory=True,
        timeout=5,
        multiprocessing_context="spawn",
        pin_memory_device="cuda",
        in_order=False,
    )
    assert len(list(loader)) == 3 and get_worker_info() is None


def test_a_sampler_and_a_batch_sampler_set_the_order():
    dataset = make_dataset()
    by_sampler = DataLoader(dataset, batch_size=2, sampler=[9, 0, 4])
    np.testing.assert_array_equal(epoch_order(by_sampler), [9, 0, 4])
    by_batches = DataLoader(dataset, batch_sampler=[[3, 1], [2]])
    assert [y.numpy().tolist() for _, y in by_batches] == [[3, 1], [2]]
    assert len(by_batches) == 2
    batch_sampler = BatchSampler(SequentialSampler(dataset), 4, drop_last=True)
    assert len(DataLoader(dataset, batch_sampler=batch_sampler)) == 2


def test_a_collate_fn_receives_the_list_of_samples():
    received = []
    loader = DataLoader(
        make_dataset(), batch_size=3, collate_fn=lambda s: received.append(s) or len(s)
    )
    assert list(loader) == [3, 3, 3, 1]
    assert isinstance(received[0], list) and isinstance(received[0][0], tuple)


class CountingDataset(TensorDataset):
    """Counts how the loader reads it: whole batches or single samples."""

    def __init__(self, *tensors):
        super().__init__(*tensors)
        self.batch_calls = self.item_calls = 0

    def get_batch(self, indices):
        self.batch_calls += 1
        return super().get_batch(indices)

    def __getitem__(self, index):
        self.item_calls += 1
        return super().__getitem__(index)


def test_the_default_path_reads_array_datasets_a_batch_at_a_time():
    dataset = CountingDataset(np.zeros((10, 2)), np.zeros(10, dtype=np.int64))
    list(DataLoader(dataset, batch_size=4, shuffle=True))
    assert dataset.batch_calls == 3 and dataset.item_calls == 0
    list(DataLoader(dataset, batch_size=4, collate_fn=default_collate))
    assert dataset.batch_calls == 6 and dataset.item_calls == 0
    list(DataLoader(dataset, batch_size=4, collate_fn=lambda s: default_collate(s)))
    assert dataset.batch_calls == 6 and dataset.item_calls == 10


class Squares(Dataset):
    def __len__(self):
        return 5

    def __getitem__(self, index):
        return np.full(2, index, dtype=np.float32), index**2


def test_generic_datasets_are_collated_sample_by_sample():
    batches = list(DataLoader(Squares(), batch_size=2))
    np.testing.assert_array_equal(batches[-1][0].numpy(), [[4, 4]])
    np.testing.assert_array_equal(batches[1][1].numpy(), [4, 9])
    assert batches[1][1].data.dtype == np.int64


def test_a_plain_list_of_samples_works():
    samples = [(np.ones(2, dtype=np.float32), 1), (np.zeros(2, dtype=np.float32), 0)]
    ((x, y),) = list(DataLoader(samples, batch_size=2))
    assert x.shape == (2, 2) and y.data.dtype == np.int64


class Stream(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        return self.n


@pytest.mark.parametrize(
    ("batch_size", "drop_last", "expected"),
    [(3, False, [[0, 1, 2], [3, 4]]), (3, True, [[0, 1, 2]]), (None, False, [0, 1, 2, 3, 4])],
)
def test_iterable_datasets_are_batched_in_order(torch, batch_size, drop_last, expected):
    from torch.utils.data import DataLoader as TorchDataLoader
    from torch.utils.data import IterableDataset as TorchIterable

    class TorchStream(TorchIterable):
        def __iter__(self):
            return iter(range(5))

        def __len__(self):
            return 5

    loader = DataLoader(Stream(5), batch_size=batch_size, drop_last=drop_last)
    reference = TorchDataLoader(TorchStream(), batch_size=batch_size, drop_last=drop_last)
    assert [np.asarray(b).tolist() for b in loader] == expected
    assert [np.asarray(b).tolist() for b in reference] == expected
    assert len(loader) == len(reference)


def test_iterable_datasets_take_no_shuffle_or_sampler():
    with pytest.raises(ValueError, match="expected unspecified shuffle option"):
        DataLoader(Stream(3), shuffle=True)
    with pytest.raises(ValueError, match="expected unspecified sampler option"):
        DataLoader(Stream(3), sampler=[0])
