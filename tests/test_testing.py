"""scratchdl.testing.assert_close against torch.testing.assert_close's verdicts."""

from __future__ import annotations

import numpy as np
import pytest

import scratchdl as sd

CASES = [
    (np.array([1.0, 2.0], np.float32), np.array([1.0, 2.00001], np.float32)),  # within
    (np.array([1.0, 2.0], np.float32), np.array([1.0, 2.001], np.float32)),  # outside
    (np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-8])),  # float64: tighter
    (np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-5])),
    (np.array([1, 2]), np.array([1, 2])),  # integers: exact
    (np.array([1, 2]), np.array([1, 3])),
    (np.array([1.0], np.float32), np.array([1.0])),  # dtypes differ
    (np.array([1.0, 2.0]), np.array([[1.0, 2.0]])),  # shapes differ
    (np.array([np.nan]), np.array([np.nan])),  # nan is not close to nan by default
]


@pytest.mark.parametrize(("actual", "expected"), CASES)
def test_verdicts_match_torch(torch, actual, expected):
    def verdict(lib):
        try:
            lib.testing.assert_close(lib.tensor(actual), lib.tensor(expected))
        except AssertionError:
            return False
        return True

    assert verdict(sd) == verdict(torch)


def test_options_and_containers():
    sd.testing.assert_close(sd.tensor([np.nan]), sd.tensor([np.nan]), equal_nan=True)
    sd.testing.assert_close(sd.tensor([1.0]), sd.tensor([1.5]), rtol=0, atol=0.5)
    sd.testing.assert_close(sd.tensor([1.0]), sd.tensor([1.0], dtype=sd.float64), check_dtype=False)
    sd.testing.assert_close({"w": [sd.tensor([1.0])]}, {"w": [sd.tensor([1.0])]})
    with pytest.raises(AssertionError, match="lengths differ"):
        sd.testing.assert_close([sd.tensor([1.0])], [sd.tensor([1.0])] * 2)
    with pytest.raises(AssertionError, match="my message"):
        sd.testing.assert_close(sd.tensor([1.0]), sd.tensor([2.0]), msg="my message")
    with pytest.raises(ValueError, match="both rtol and atol"):
        sd.testing.assert_close(sd.tensor([1.0]), sd.tensor([1.0]), rtol=0.1)


def test_the_report_names_the_mismatch():
    with pytest.raises(AssertionError) as raised:
        sd.testing.assert_close(sd.tensor([1.0, 2.0, 3.0]), sd.tensor([1.0, 2.5, 3.0]))
    report = str(raised.value)
    assert "Tensor-likes are not close!" in report and "Mismatched elements: 1 / 3" in report
    assert "Greatest absolute difference: 0.5 at index (1,)" in report
