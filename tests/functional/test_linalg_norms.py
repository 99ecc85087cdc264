"""scratchdl.linalg's norms against torch.linalg, with gradient checks."""

from __future__ import annotations

import math

import numpy as np
import pytest

import scratchdl as sd
from scratchdl import linalg
from scratchdl.autograd import gradcheck

X = np.array([[3.0, -4.0, 0.5], [1.0, 2.0, -2.0]])


@pytest.mark.parametrize(
    "kwargs",
    [
        {}, {"ord": 1}, {"ord": math.inf}, {"ord": -math.inf}, {"ord": 0}, {"ord": 3},
        {"ord": 0.5}, {"dim": 1}, {"ord": 1, "dim": 0, "keepdim": True}, {"dim": (0, 1)},
        {"dim": -1, "keepdim": True},
    ],
    ids=str,
)  # fmt: skip
def test_vector_norm_matches_torch(torch, kwargs):
    ours = linalg.vector_norm(sd.tensor(X.astype(np.float32)), **kwargs)
    theirs = torch.linalg.vector_norm(torch.tensor(X.astype(np.float32)), **kwargs)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
    assert ours.dtype == np.float32 and tuple(ours.shape) == tuple(theirs.shape)


@pytest.mark.parametrize("ord", [2, 1, math.inf, 3])
def test_vector_norm_gradients(ord):
    assert gradcheck(lambda x: linalg.vector_norm(x, ord, dim=1), [X])


def test_matrix_norm_and_norm_match_torch(torch):
    batch = np.arange(24.0).reshape(2, 3, 4) - 11
    for ours, theirs in [
        (linalg.matrix_norm(sd.tensor(batch)), torch.linalg.matrix_norm(torch.tensor(batch))),
        (linalg.norm(sd.tensor(X)), torch.linalg.norm(torch.tensor(X))),
        (linalg.norm(sd.tensor(X), dim=1), torch.linalg.norm(torch.tensor(X), dim=1)),
        (linalg.norm(sd.tensor(X), "fro"), torch.linalg.norm(torch.tensor(X), "fro")),
        (linalg.norm(sd.tensor(X[0]), 1), torch.linalg.norm(torch.tensor(X[0]), 1)),
    ]:
        np.testing.assert_allclose(ours.numpy(), theirs.numpy())
    assert gradcheck(lambda a: linalg.matrix_norm(a), [batch])


def test_unsupported_norms_and_inputs_are_refused():
    with pytest.raises(NotImplementedError, match="ord='nuc' is not supported"):
        linalg.matrix_norm(sd.tensor(X), "nuc")
    with pytest.raises(NotImplementedError, match="ord=2 is not supported"):
        linalg.norm(sd.tensor(X), 2)  # the spectral norm of a matrix, not a vector norm
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        linalg.matrix_norm(sd.tensor(X[0]))
    with pytest.raises(RuntimeError, match="expected a floating point or complex tensor"):
        linalg.vector_norm(sd.tensor([1, 2]))
