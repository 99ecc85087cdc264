"""One expression, run on scratchdl and on torch: the helpers of the oracle tests whose
cases are written once for both libraries, as ``lambda t, a, b: t.einsum("ij,jk", a, b)``
(``t`` is the library)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest

import scratchdl as sd
from scratchdl.autograd import gradcheck

Expression = Callable[..., Any]


def check_gradient(expression: Expression, arrays: Sequence[np.ndarray]) -> None:
    """Backprop through scratchdl's side of ``expression`` against central differences."""
    assert gradcheck(lambda *xs: expression(sd, *xs), list(arrays))


def check_against_torch(
    torch: Any, expression: Expression, arrays: Sequence[np.ndarray], backward: bool = True
) -> None:
    """Same values, dtype and shape as torch; with ``backward``, the same gradients of
    Σ w ⊙ y for fixed random weights w."""
    ours = [sd.tensor(x, requires_grad=backward) for x in arrays]
    theirs = [torch.tensor(x, requires_grad=backward) for x in arrays]
    y, y_ref = expression(sd, *ours), expression(torch, *theirs)
    assert str(y.dtype) == str(y_ref.dtype).removeprefix("torch.")
    assert tuple(y.shape) == tuple(y_ref.shape)
    np.testing.assert_allclose(y.numpy(), y_ref.detach().numpy(), rtol=1e-10, atol=1e-12)
    if not backward:
        return
    weights = np.random.default_rng(1).uniform(0.5, 1.5, tuple(y.shape))
    (y * sd.tensor(weights)).sum().backward()
    (y_ref * torch.from_numpy(weights)).sum().backward()
    for mine, reference in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(mine.grad.numpy(), reference.grad.numpy(), rtol=1e-9, atol=1e-12)


def raises_like_torch(torch: Any, expression: Expression) -> Exception:
    """Run ``expression`` on both libraries: both raise, scratchdl the exception type torch
    raises (or a subclass); returns scratchdl's exception for further checks."""
    with pytest.raises(Exception) as theirs:
        expression(torch)
    with pytest.raises(type(theirs.value)) as ours:
        expression(sd)
    return ours.value
