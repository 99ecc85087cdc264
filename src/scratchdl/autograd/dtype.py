"""Data types, named and inferred as PyTorch does; NumPy's dtype objects are the values.

``sd.float32 is np.dtype("float32")``, so a tensor's ``dtype`` compares equal to
``sd.float32``, ``np.float32`` and ``"float32"``. The rules follow PyTorch:

- ``tensor(data)`` (``infer_dtype``): Python floats become the default float dtype
  (float32), Python ints int64, bools bool; NumPy data keeps its dtype.
- An operation on operands of different dtypes (``result_type``): the highest category
  wins (bool < integer < floating < complex). Tensors with dimensions decide first; a 0-d
  tensor, then a Python number, changes the result only when its category is higher — so
  ``x * 0.5`` stays float32 for a float32 ``x``, and ``int64_tensor * 0.5`` is float32.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

float16 = np.dtype("float16")
float32 = np.dtype("float32")
float64 = np.dtype("float64")
complex64 = np.dtype("complex64")
complex128 = np.dtype("complex128")
uint8 = np.dtype("uint8")
int8 = np.dtype("int8")
int16 = np.dtype("int16")
int32 = np.dtype("int32")
int64 = np.dtype("int64")
bool_ = np.dtype("bool")

ALIASES = {
    "half": float16, "float": float32, "double": float64, "cfloat": complex64,
    "cdouble": complex128, "short": int16, "int": int32, "long": int64, "bool": bool_,
}  # fmt: skip
"""torch's second names of dtypes (``torch.float`` is float32, ``torch.long`` int64)."""

TENSOR_TYPE_NAMES = {
    float16: "HalfTensor", float32: "FloatTensor", float64: "DoubleTensor",
    uint8: "ByteTensor", int8: "CharTensor", int16: "ShortTensor", int32: "IntTensor",
    int64: "LongTensor", bool_: "BoolTensor",
}  # fmt: skip
"""The names ``x.type()`` returns, torch's legacy tensor types (``"torch.FloatTensor"``)."""

_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}
_default_float = float32


def get_default_dtype() -> np.dtype:
    """The dtype Python floats become: float32 unless ``set_default_dtype`` changed it."""
    return _default_float


def set_default_dtype(dtype: Any) -> None:
    """Make Python floats become ``dtype`` (float32 or float64), as torch.set_default_dtype."""
    global _default_float
    dtype = as_dtype(dtype)
    if dtype not in (float32, float64):
        raise TypeError(f"set_default_dtype: only float32 and float64 are supported, got {dtype}")
    _default_float = dtype


def as_dtype(dtype: Any) -> np.dtype:
    """A NumPy dtype from a dtype, a NumPy type, a Python type, or a name ("float32",
    "long", "torch.int64"). Raises TypeError for anything else."""
    if isinstance(dtype, str):
        name = dtype.removeprefix("torch.")
        dtype = ALIASES.get(name, name)
    elif dtype is builtins.float:
        return _default_float
    elif dtype is builtins.int:
        return int64
    try:
        return np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{dtype!r} is not a data type") from None


def python_number_dtype(value: Any) -> np.dtype:
    """The dtype torch gives a Python number: bool, int64, the default float, complex64."""
    if isinstance(value, builtins.bool):
        return bool_
    if isinstance(value, builtins.int):
        return int64
    if isinstance(value, builtins.float):
        return _default_float
    return complex64


def infer_dtype(array: np.ndarray, from_python: builtins.bool) -> np.dtype:
    """The dtype ``tensor(data)`` gives to ``data`` converted to ``array``.

    NumPy data keeps its dtype. Python data (``from_python``: numbers, nested lists) maps
    NumPy's float64 to the default float, complex128 to complex64 and any integer to int64.
    """
    if not from_python:
        return array.dtype
    kind = array.dtype.kind
    if kind == "f":
        return _default_float
    if kind == "c":
        return complex64
    if kind in "iu":
        return int64
    return array.dtype


def is_python_number(value: Any) -> builtins.bool:
    """True for Python's bool, int, float and complex (NumPy scalars are not)."""
    return type(value) in (builtins.bool, builtins.int, builtins.float, builtins.complex)


def result_type(*operands: Any) -> np.dtype:
    """The dtype of an elementwise operation on ``operands``, by torch's rule.

    Operands are Tensors, arrays (NumPy scalars count as 0-d arrays), nested lists or
    Python numbers. Tensors with
    dimensions decide; then 0-d ones, then numbers, each only where its category
    (bool < int < float < complex) is higher than what was decided so far. A Python number
    of a higher category gives that category's default (float32 for floats).
    """
    ranked: list[list[np.dtype]] = [[], [], []]  # dimensioned, 0-d, Python numbers
    for value in operands:
        if is_python_number(value):
            ranked[2].append(python_number_dtype(value))
        else:
            array, dtype = _array_and_dtype(value)
            ranked[0 if array.ndim else 1].append(dtype)
    decided: np.dtype | None = None
    for rank, dtypes in enumerate(ranked):
        if not dtypes:
            continue
        candidate = dtypes[0]
        for other in dtypes[1:]:
            candidate = promote_types(candidate, other)
        if decided is None:
            decided = candidate
        elif _CATEGORY[candidate.kind] > _CATEGORY[decided.kind]:
            decided = _category_default(candidate, decided) if rank == 2 else candidate
    if decided is None:
        raise ValueError("result_type: no operands")
    return decided


def promote_types(a: np.dtype, b: np.dtype) -> np.dtype:
    """torch.promote_types: within a category NumPy's rule (int32, int64 -> int64;
    uint8, int8 -> int16); across categories the higher one's dtype (int64, float32 ->
    float32, where NumPy would say float64)."""
    if _CATEGORY[a.kind] == _CATEGORY[b.kind]:
        return np.result_type(a, b)
    low, high = (a, b) if _CATEGORY[a.kind] < _CATEGORY[b.kind] else (b, a)
    if high.kind == "c" and low.kind == "f":
        return np.result_type(low, high)  # float64 with complex64 is complex128
    return high


def _array_and_dtype(value: Any) -> tuple[Any, np.dtype]:
    """An operand's array (a Tensor's ``_data``, an array, or nested lists converted) and
    the dtype it takes part with."""
    if hasattr(value, "_data"):
        return value._data, value._data.dtype
    if hasattr(value, "dtype") and hasattr(value, "ndim"):
        return value, value.dtype
    array = np.asarray(value)
    return array, infer_dtype(array, from_python=True)


def _category_default(number: np.dtype, tensor: np.dtype) -> np.dtype:
    """What a Python number of a higher category makes of a tensor's dtype: the default
    float for a float, complex64 (complex128 over float64) for a complex, int64 for an int."""
    if number.kind == "f":
        return _default_float
    if number.kind == "c":
        return complex128 if tensor == float64 else complex64
    return int64
