"""default_collate and default_convert against torch.utils.data's: types, shapes, dtypes, values."""

from collections import namedtuple

import numpy as np
import pytest

import scratchdl as sd
from scratchdl.utils.data import default_collate, default_convert

Point = namedtuple("Point", "x y")


def as_plain(value, torch_tensor_type):
    """A collated batch with every Tensor (ours or torch's) as (dtype name, NumPy array)."""
    if isinstance(value, sd.Tensor):
        return ("tensor", str(value.data.dtype), value.numpy().tolist())
    if isinstance(value, torch_tensor_type):
        return ("tensor", str(value.numpy().dtype), value.numpy().tolist())
    if isinstance(value, dict):
        return {key: as_plain(item, torch_tensor_type) for key, item in value.items()}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return (type(value).__name__, *(as_plain(item, torch_tensor_type) for item in value))
    if isinstance(value, list):
        return [as_plain(item, torch_tensor_type) for item in value]
    return value


def to_torch(sample, torch):
    """The same sample for torch: our Tensors become torch tensors."""
    if isinstance(sample, sd.Tensor):
        return torch.from_numpy(sample.numpy())
    if isinstance(sample, tuple) and hasattr(sample, "_fields"):
        return type(sample)(*(to_torch(item, torch) for item in sample))
    if isinstance(sample, (tuple, list)):
        return type(sample)(to_torch(item, torch) for item in sample)
    if isinstance(sample, dict):
        return {key: to_torch(item, torch) for key, item in sample.items()}
    return sample


BATCHES = {
    "ints": [1, 2, 3],
    "floats": [1.5, 2.0],
    "bools": [True, False],
    "ints then a float": [1, 2.5],
    "numpy scalars": [np.float32(1.5), np.float32(2)],
    "numpy int32 arrays": [np.arange(3, dtype=np.int32), np.ones(3, dtype=np.int32)],
    "uint8 images": [np.zeros((2, 2), np.uint8), np.full((2, 2), 255, np.uint8)],
    "tensors": [
        sd.from_numpy(np.ones((2, 3), np.float32)),
        sd.from_numpy(np.zeros((2, 3), np.float32)),
    ],
    "int64 0-d tensors": [sd.tensor(np.int64(3)), sd.tensor(np.int64(4))],
    "(image, label) tuples": [(np.ones(2, np.float64), 1), (np.zeros(2, np.float64), 0)],
    "lists": [[1, 2.0], [3, 4.0]],
    "dicts": [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}],
    "strings": ["a", "b"],
    "namedtuples": [Point(1, 2.0), Point(3, 4.0)],
    "nested": [
        ({"x": np.ones(1, np.float32)}, [1, "s"]),
        ({"x": np.zeros(1, np.float32)}, [2, "t"]),
    ],
}


@pytest.mark.parametrize("name", BATCHES)
def test_default_collate_matches_torch(torch, name):
    from torch.utils.data import default_collate as torch_collate

    batch = BATCHES[name]
    ours = default_collate(batch)
    theirs = torch_collate([to_torch(sample, torch) for sample in batch])
    assert as_plain(ours, torch.Tensor) == as_plain(theirs, torch.Tensor)


def test_default_collate_stacks_into_tensors():
    images = default_collate([np.ones((1, 28, 28), np.float32)] * 4)
    assert isinstance(images, sd.Tensor) and images.shape == (4, 1, 28, 28)


@pytest.mark.parametrize(
    ("batch", "error", "message"),
    [
        ([np.ones(2), np.ones(3)], RuntimeError, r"equal size, but got \[2\] at entry 0 and \[3\]"),
        ([[1, 2], [3]], RuntimeError, "each element in list of batch should be of equal size"),
        ([None, None], TypeError, "found <class 'NoneType'>"),
        ([np.array(["a"]), np.array(["b"])], TypeError, "batch must contain tensors"),
    ],
)
def test_default_collate_errors_as_torch(torch, batch, error, message):
    from torch.utils.data import default_collate as torch_collate

    with pytest.raises(error, match=message):
        default_collate(batch)
    with pytest.raises(error):
        torch_collate(batch)


def test_default_convert_matches_torch(torch):
    from torch.utils.data import default_convert as torch_convert

    sample = (np.arange(3.0), 1, [np.ones(1, np.float32), "s"], {"k": np.int64(2)})
    assert as_plain(default_convert(sample), torch.Tensor) == as_plain(
        torch_convert(sample), torch.Tensor
    )
