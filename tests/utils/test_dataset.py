"""Dataset, TensorDataset, Subset, ConcatDataset, random_split, and the batch path."""

import numpy as np
import pytest

import scratchdl as sd
from scratchdl.utils.data import (
    ConcatDataset,
    Dataset,
    Subset,
    TensorDataset,
    default_collate,
    random_split,
    to_arrays,
)
from scratchdl.utils.data.dataset import fetch_batch


def make_xy(n=5):
    X = np.arange(n * 3, dtype=np.float32).reshape(n, 3)
    y = np.arange(n, dtype=np.int64)
    return X, y


def test_a_sample_is_a_tuple_of_tensors_with_dtypes_kept():
    X, y = make_xy()
    x2, y2 = TensorDataset(X, y)[2]
    assert isinstance(x2, sd.Tensor) and x2.data.dtype == np.float32
    np.testing.assert_array_equal(x2.numpy(), X[2])
    assert y2.shape == () and y2.data.dtype == np.int64 and y2.item() == 2


def test_tensors_are_kept_and_arrays_wrapped():
    X, y = make_xy()
    tensor = sd.from_numpy(X)
    dataset = TensorDataset(tensor, y)
    assert dataset.tensors[0] is tensor and isinstance(dataset.tensors[1], sd.Tensor)
    assert len(dataset) == 5
    np.testing.assert_array_equal(dataset[-1][0].numpy(), X[4])


def test_slices_and_index_arrays_give_whole_slices():
    X, y = make_xy()
    xb, yb = TensorDataset(X, y)[1:3]
    np.testing.assert_array_equal(xb.numpy(), X[1:3])
    _, yb = TensorDataset(X, y)[np.array([4, 0])]
    np.testing.assert_array_equal(yb.numpy(), [4, 0])


def test_bad_tensors_are_rejected():
    with pytest.raises(ValueError, match=r"first dimension.*\(5, 3\), \(4,\)"):
        TensorDataset(np.zeros((5, 3)), np.zeros(4))
    with pytest.raises(ValueError, match="at least one tensor"):
        TensorDataset()
    with pytest.raises(ValueError, match="first \\(sample\\) dimension"):
        TensorDataset(np.float32(1.0))


def test_out_of_range_index_names_the_dataset():
    X, y = make_xy()
    with pytest.raises(IndexError, match=r"TensorDataset \(5 samples\)"):
        TensorDataset(X, y)[5]
    with pytest.raises(IndexError, match="TensorDataset"):
        TensorDataset(X, y).get_batch([0, 9])


def assert_same_batch(fast, plain):
    assert type(fast) is type(plain)
    for a, b in zip(fast, plain, strict=True):
        assert a.data.dtype == b.data.dtype
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_tensor_dataset_batch_path_equals_collating_its_samples():
    X, y = make_xy(8)
    dataset = TensorDataset(X, y, np.arange(8, dtype=np.uint8))
    indices = [6, 1, 1, 3]
    assert_same_batch(dataset.get_batch(indices), default_collate([dataset[i] for i in indices]))


class Squares(Dataset):
    """A generic dataset: sample i is (i * ones(2), i**2)."""

    def __len__(self):
        return 4

    def __getitem__(self, index):
        return np.full(2, index, dtype=np.float32), index**2


class Doubled(TensorDataset):
    """Overrides __getitem__ alone: the inherited batch path would skip the doubling."""

    def __getitem__(self, index):
        x, y = super().__getitem__(index)
        return x * 2, y


def test_fetch_batch_takes_the_batch_path_only_where_it_stands_for_getitem():
    X, y = make_xy()
    x_doubled, _ = fetch_batch(Doubled(X, y), [1, 2])
    np.testing.assert_array_equal(x_doubled.numpy(), X[[1, 2]] * 2)
    xb, yb = fetch_batch(Squares(), [3, 1])
    np.testing.assert_array_equal(xb.numpy(), [[3, 3], [1, 1]])
    np.testing.assert_array_equal(yb.numpy(), [9, 1])
    xb, yb = fetch_batch([(np.ones(2), 0), (np.zeros(2), 1)], [1, 0])  # a plain list
    np.testing.assert_array_equal(yb.numpy(), [1, 0])


def test_fetch_batch_uses_torchs_getitems_protocol():
    class Batched(Squares):
        def __getitems__(self, indices):
            return [(np.zeros(2, np.float32), -i) for i in indices]

    _, yb = fetch_batch(Batched(), [0, 2])
    np.testing.assert_array_equal(yb.numpy(), [0, -2])


def test_dataset_needs_getitem_and_adds_into_a_concat_dataset():
    with pytest.raises(NotImplementedError, match="Dataset must define __getitem__"):
        Dataset()[0]
    both = Squares() + TensorDataset(np.arange(2))
    assert isinstance(both, ConcatDataset) and len(both) == 6


def test_concat_dataset_indexes_across_its_parts():
    concat = ConcatDataset([Squares(), Squares()])
    assert concat.cumulative_sizes == [4, 8]
    assert concat[5][1] == 1 and concat[-1][1] == 9
    with pytest.raises(IndexError, match="index 8 is out of range for 8"):
        concat[8]
    with pytest.raises(ValueError, match="empty"):
        ConcatDataset([])


def test_subset_maps_indices_and_batches_through_the_dataset():
    X, y = make_xy(10)
    subset = Subset(TensorDataset(X, y), [7, 2, 5])
    assert len(subset) == 3 and subset[1][1].item() == 2
    _, labels = subset.get_batch([2, 0])
    np.testing.assert_array_equal(labels.numpy(), [5, 7])
    _, labels = subset[[0, 1]]
    np.testing.assert_array_equal(labels.numpy(), [7, 2])


def test_to_arrays_gives_the_first_samples_as_numpy():
    X, y = make_xy(6)
    x4, y4 = to_arrays(TensorDataset(X, y), 4)
    np.testing.assert_array_equal(x4, X[:4])
    assert isinstance(y4, np.ndarray) and y4.dtype == np.int64
    assert len(to_arrays(TensorDataset(X, y))[0]) == 6


@pytest.mark.parametrize(
    ("n", "lengths"), [(10, [3, 7]), (10, [0.5, 0.5]), (10, [0.33, 0.33, 0.34]), (7, [0.2, 0.8])]
)
def test_random_split_sizes_match_torch(torch, n, lengths):
    from torch.utils.data import random_split as torch_random_split

    ours = random_split(TensorDataset(np.arange(n)), lengths)
    theirs = torch_random_split(list(range(n)), lengths)
    assert [len(s) for s in ours] == [len(s) for s in theirs]


def test_random_split_is_a_partition_drawn_from_the_generator():
    dataset = TensorDataset(np.arange(20))
    first = random_split(dataset, [0.5, 0.25, 0.25], generator=sd.Generator().manual_seed(3))
    again = random_split(dataset, [0.5, 0.25, 0.25], generator=sd.Generator().manual_seed(3))
    assert [s.indices for s in first] == [s.indices for s in again]
    assert sorted(i for s in first for i in s.indices) == list(range(20))
    sd.manual_seed(1)
    library = [s.indices for s in random_split(dataset, [10, 10])]
    sd.manual_seed(1)
    assert [s.indices for s in random_split(dataset, [10, 10])] == library


def test_random_split_rejects_lengths_that_do_not_add_up():
    with pytest.raises(ValueError, match=r"sum to 9, but the dataset has 10"):
        random_split(TensorDataset(np.arange(10)), [4, 5])
    with pytest.raises(ValueError, match="fraction at index 0 is not between 0 and 1"):
        random_split(TensorDataset(np.arange(10)), [1.5, -0.5])
    with pytest.raises(TypeError, match="random_split: generator must be"):
        random_split(TensorDataset(np.arange(10)), [5, 5], generator=42)
