"""DataLoader: batch counts, dtypes, shuffling, reproducibility, fast batch fetching, resume."""

import numpy as np
import pytest

import scratchdl as sd
from scratchdl.utils.data import DataLoader, Dataset, TensorDataset
from scratchdl.random import get_rng_state, set_rng_state


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
    dataset = TensorDataset(np.zeros((n, 1), dtype=np.uint8))
    loader = DataLoader(dataset, batch_size=batch_size, drop_last=drop_last)
    assert len(loader) == expected
    assert sum(1 for _ in loader) == expected


def test_batches_are_tensors_with_the_dataset_dtypes():
    x, y = next(iter(DataLoader(make_dataset(), batch_size=4)))
    assert isinstance(x, sd.Tensor) and isinstance(y, sd.Tensor)
    assert x.dtype == np.float32 and y.dtype == np.int64
    assert x.shape == (4, 1) and y.shape == (4,)


def test_last_batch_is_smaller_unless_dropped():
    sizes = [len(y) for _, y in DataLoader(make_dataset(10), batch_size=4)]
    assert sizes == [4, 4, 2]
    sizes = [len(y) for _, y in DataLoader(make_dataset(10), batch_size=4, drop_last=True)]
    assert sizes == [4, 4]


def test_without_shuffle_the_order_is_the_dataset_order():
    np.testing.assert_array_equal(epoch_order(DataLoader(make_dataset(), batch_size=3)), range(10))


def test_shuffle_draws_a_new_permutation_every_epoch():
    loader = DataLoader(make_dataset(50), batch_size=8, shuffle=True)
    first, second = epoch_order(loader), epoch_order(loader)
    assert sorted(first) == list(range(50)) and sorted(second) == list(range(50))
    assert not np.array_equal(first, second)
    assert loader.epoch == 2


def test_seed_makes_orders_reproducible_and_independent_of_the_library_rng():
    a = DataLoader(make_dataset(50), batch_size=8, shuffle=True, seed=7)
    b = DataLoader(make_dataset(50), batch_size=8, shuffle=True, seed=7)
    orders_a = [epoch_order(a) for _ in range(2)]
    sd.manual_seed(123)
    orders_b = [epoch_order(b) for _ in range(2)]
    for order_a, order_b in zip(orders_a, orders_b, strict=True):
        np.testing.assert_array_equal(order_a, order_b)


def test_manual_seed_makes_unseeded_shuffling_reproducible():
    loader = DataLoader(make_dataset(50), batch_size=8, shuffle=True)
    sd.manual_seed(3)
    first = epoch_order(loader)
    sd.manual_seed(3)
    np.testing.assert_array_equal(epoch_order(loader), first)


def test_the_order_is_drawn_when_the_epoch_starts():
    loader = DataLoader(make_dataset(50), batch_size=8, shuffle=True)
    sd.manual_seed(5)
    iterator = iter(loader)
    sd.manual_seed(99)  # reseeding after iter() must not change this epoch
    order = np.concatenate([y.numpy() for _, y in iterator])
    sd.manual_seed(5)
    np.testing.assert_array_equal(epoch_order(loader), order)


@pytest.mark.parametrize("seed", [11, None])
def test_a_resumed_loader_sees_the_uninterrupted_orders(seed):
    uninterrupted = DataLoader(make_dataset(30), batch_size=4, shuffle=True, seed=seed)
    expected = [epoch_order(uninterrupted) for _ in range(3)]

    sd.manual_seed(0)
    first_run = DataLoader(make_dataset(30), batch_size=4, shuffle=True, seed=seed)
    epoch_order(first_run)
    checkpoint = (first_run.state_dict(), get_rng_state())

    sd.manual_seed(42)  # a new process would start from anything
    resumed = DataLoader(make_dataset(30), batch_size=4, shuffle=True)
    resumed.load_state_dict(checkpoint[0])
    set_rng_state(checkpoint[1])
    for order in expected[1:]:
        np.testing.assert_array_equal(epoch_order(resumed), order)


def test_state_dict_holds_epoch_and_seed():
    loader = DataLoader(make_dataset(), seed=4)
    list(loader)
    assert loader.state_dict() == {"epoch": 1, "seed": 4}


def test_bad_state_is_rejected_before_anything_changes():
    loader = DataLoader(make_dataset(), seed=4)
    with pytest.raises(KeyError, match="lacks \\['seed'\\]"):
        loader.load_state_dict({"epoch": 3})
    with pytest.raises(ValueError, match="epoch must be an integer >= 0, got -1"):
        loader.load_state_dict({"epoch": -1, "seed": 5})
    assert loader.state_dict() == {"epoch": 0, "seed": 4}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"batch_size": 0}, "batch_size must be an integer >= 1, got 0"),
        ({"batch_size": 2.0}, "batch_size must be an integer"),
        ({"prefetch": -1}, "prefetch must be an integer >= 0"),
        ({"seed": -3}, "seed must be an integer >= 0"),
    ],
)
def test_bad_arguments_are_rejected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        DataLoader(make_dataset(), **kwargs)


def test_dataset_must_be_indexable():
    with pytest.raises(TypeError, match="DataLoader: dataset must support len"):
        DataLoader(42)


class CountingDataset(TensorDataset):
    """Counts how the loader fetches: whole batches or single items."""

    def __init__(self, *arrays):
        super().__init__(*arrays)
        self.batch_calls = self.item_calls = 0

    def get_batch(self, indices):
        self.batch_calls += 1
        return super().get_batch(indices)

    def _item(self, index):
        self.item_calls += 1
        return super()._item(index)


def test_array_datasets_are_fetched_one_batch_at_a_time():
    dataset = CountingDataset(np.zeros((10, 2)), np.zeros(10, dtype=np.int64))
    list(DataLoader(dataset, batch_size=4, shuffle=True))
    assert dataset.batch_calls == 3 and dataset.item_calls == 0


class Squares(Dataset):
    def __len__(self):
        return 5

    def __getitem__(self, index):
        return np.full(2, index, dtype=np.float32), index**2


def test_generic_datasets_are_stacked_item_by_item():
    batches = list(DataLoader(Squares(), batch_size=2))
    np.testing.assert_array_equal(batches[-1][0].numpy(), [[4, 4]])
    np.testing.assert_array_equal(batches[1][1].numpy(), [4, 9])


def test_a_plain_list_of_samples_works():
    samples = [(np.ones(2, dtype=np.float32), 1), (np.zeros(2, dtype=np.float32), 0)]
    ((x, y),) = list(DataLoader(samples, batch_size=2))
    assert x.shape == (2, 2) and y.dtype == np.int64
