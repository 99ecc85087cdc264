"""``torch.testing.assert_close``: tensors (and numbers, sequences, mappings of them)
equal within tolerances chosen by dtype."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from scratchdl.autograd import as_tensor
from scratchdl.backend import to_numpy

TOLERANCES = {
    np.dtype("float16"): (1e-3, 1e-5),
    np.dtype("float32"): (1.3e-6, 1e-5),
    np.dtype("float64"): (1e-7, 1e-7),
    np.dtype("complex64"): (1.3e-6, 1e-5),
    np.dtype("complex128"): (1e-7, 1e-7),
}
"""(rtol, atol) by dtype, as torch's; other dtypes compare exactly."""


def assert_close(
    actual: Any,
    expected: Any,
    *,
    rtol: float | None = None,
    atol: float | None = None,
    equal_nan: bool = False,
    check_dtype: bool = True,
    check_device: bool = True,
    msg: str | None = None,
) -> None:
    """Raise AssertionError unless |actual − expected| ≤ atol + rtol·|expected| everywhere,
    with equal shapes (and dtypes and devices, unless told not to check them). Give both
    of rtol and atol, or neither (then the dtype's defaults, ``TOLERANCES``, apply).
    Sequences and mappings compare item by item."""
    if (rtol is None) != (atol is None):
        raise ValueError("assert_close: give both rtol and atol, or neither")
    close_items = functools.partial(
        assert_close, rtol=rtol, atol=atol, equal_nan=equal_nan, check_dtype=check_dtype,
        check_device=check_device, msg=msg,
    )  # fmt: skip
    if isinstance(expected, Mapping):
        _check(
            isinstance(actual, Mapping) and actual.keys() == expected.keys(),
            "assert_close: the mappings' keys differ",
            msg,
        )
        for key in expected:
            close_items(actual[key], expected[key])
        return
    if isinstance(expected, Sequence) and not isinstance(expected, str):
        _check(
            isinstance(actual, Sequence) and len(actual) == len(expected),
            "assert_close: the sequences' lengths differ",
            msg,
        )
        for a, e in zip(actual, expected, strict=True):
            close_items(a, e)
        return
    _assert_tensors_close(actual, expected, rtol, atol, equal_nan, check_dtype, check_device, msg)


def _assert_tensors_close(
    actual: Any,
    expected: Any,
    rtol: float | None,
    atol: float | None,
    equal_nan: bool,
    check_dtype: bool,
    check_device: bool,
    msg: str | None,
) -> None:
    """``assert_close`` of two tensors (or numbers)."""
    a, e = as_tensor(actual), as_tensor(expected)
    _check(
        a.shape == e.shape,
        f"assert_close: shapes differ: {tuple(a.shape)} != {tuple(e.shape)}",
        msg,
    )
    if check_dtype:
        _check(a.dtype == e.dtype, f"assert_close: dtypes differ: {a.dtype} != {e.dtype}", msg)
    if check_device:
        _check(a.device == e.device, f"assert_close: devices differ: {a.device} != {e.device}", msg)
    if rtol is None or atol is None:
        ours, theirs = TOLERANCES.get(a.dtype, (0, 0)), TOLERANCES.get(e.dtype, (0, 0))
        rtol, atol = max(ours[0], theirs[0]), max(ours[1], theirs[1])
    got, want = to_numpy(a.data), to_numpy(e.data)
    close = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=equal_nan)
    if close.all():
        return
    difference = np.abs(got.astype(np.float64) - want.astype(np.float64))
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = difference / np.abs(want.astype(np.float64))
    mismatch = np.where(close, -1.0, np.nan_to_num(difference, nan=np.inf))
    worst = np.unravel_index(int(mismatch.argmax()), got.shape)
    index = tuple(int(i) for i in worst)
    _check(
        False,
        f"Tensor-likes are not close!\n\nMismatched elements: {int((~close).sum())} / "
        f"{close.size} ({100 * (~close).mean():.1f}%)\nGreatest absolute difference: "
        f"{difference[worst]} at index {index} (up to {atol} allowed)\nRelative difference "
        f"there: {relative[worst]} (up to {rtol} allowed)",
        msg,
    )


def _check(condition: bool, problem: str, msg: str | None) -> None:
    """AssertionError with ``msg``, or else ``problem``, unless ``condition`` holds."""
    if not condition:
        raise AssertionError(msg or problem)
