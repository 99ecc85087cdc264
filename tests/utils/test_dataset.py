"""TensorDataset indexing, batch fetching, transforms and collate."""

import numpy as np
import pytest

import scratchdl as sd
from scratchdl.utils.data import Dataset, TensorDataset, collate
from scratchdl.utils.data.dataset import fetch_batch


def make_xy(n=5):
    X = np.arange(n * 3, dtype=np.float32).reshape(n, 3)
    y = np.arange(n, dtype=np.int64)
    return X, y


def test_item_is_a_tuple_of_rows_with_dtypes_kept():
    X, y = make_xy()
    x2, y2 = TensorDataset(X, y)[2]
    np.testing.assert_array_equal(x2, X[2])
    assert y2 == 2 and y2.dtype == np.int64


def test_negative_index_and_len():
    X, y = make_xy()
    dataset = TensorDataset(X, y)
    assert len(dataset) == 5
    np.testing.assert_array_equal(dataset[-1][0], X[4])


def test_integer_array_index_returns_a_batch():
    X, y = make_xy()
    xb, yb = TensorDataset(X, y)[np.array([4, 0, 2])]
    np.testing.assert_array_equal(xb, X[[4, 0, 2]])
    np.testing.assert_array_equal(yb, [4, 0, 2])


def test_accepts_tensors():
    X, y = make_xy()
    xb, yb = TensorDataset(sd.Tensor(X), sd.Tensor(y))[np.array([1])]
    assert isinstance(xb, np.ndarray) and yb.dtype == np.int64


def test_mismatched_first_dimensions_are_rejected():
    with pytest.raises(ValueError, match=r"first dimension.*\(5, 3\), \(4,\)"):
        TensorDataset(np.zeros((5, 3)), np.zeros(4))


def test_zero_arrays_and_scalars_are_rejected():
    with pytest.raises(ValueError, match="at least one array"):
        TensorDataset()
    with pytest.raises(ValueError, match="first \\(sample\\) dimension"):
        TensorDataset(np.float32(1.0))


def test_out_of_range_index_names_the_dataset():
    X, y = make_xy()
    with pytest.raises(IndexError, match="TensorDataset: index 5 is out of range for 5"):
        TensorDataset(X, y)[5]
    with pytest.raises(IndexError, match="TensorDataset"):
        TensorDataset(X, y)[np.array([0, 9])]


def test_transforms_apply_to_items_and_batches_alike():
    X, y = make_xy()
    dataset = TensorDataset(X, y, transform=lambda x: x.sum(axis=1), target_transform=lambda t: -t)
    x1, y1 = dataset[1]
    xb, yb = dataset.get_batch(np.array([1, 2]))
    assert x1 == X[1].sum() and y1 == -1
    np.testing.assert_array_equal(xb, X[[1, 2]].sum(axis=1))
    np.testing.assert_array_equal(yb, [-1, -2])


def test_target_transform_needs_targets():
    with pytest.raises(ValueError, match="target_transform needs a second array"):
        TensorDataset(np.zeros((2, 1)), target_transform=lambda t: t)


class Squares(Dataset):
    """A generic dataset with no batch indexing: sample i is (i * ones(2), i**2)."""

    def __len__(self):
        return 4

    def __getitem__(self, index):
        return np.full(2, index, dtype=np.float32), index**2


def test_generic_dataset_batches_item_by_item():
    xb, yb = Squares().get_batch(np.array([3, 1]))
    np.testing.assert_array_equal(xb, [[3, 3], [1, 1]])
    np.testing.assert_array_equal(yb, [9, 1])


def test_fetch_batch_accepts_any_indexable():
    samples = [(np.ones(2), 0), (np.zeros(2), 1)]
    xb, yb = fetch_batch(samples, np.array([1, 0]))
    np.testing.assert_array_equal(xb, [[0, 0], [1, 1]])
    np.testing.assert_array_equal(yb, [1, 0])


def test_collate_rejects_ragged_samples():
    with pytest.raises(ValueError, match="different shapes"):
        collate([(np.ones(2),), (np.ones(3),)])
    with pytest.raises(ValueError, match="different numbers of fields"):
        collate([(1, 2), (1,)])


def test_collate_wraps_single_field_samples():
    (batch,) = collate([np.ones(2), np.zeros(2)])
    assert batch.shape == (2, 2)
