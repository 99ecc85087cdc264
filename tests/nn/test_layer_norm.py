"""LayerNorm and F.layer_norm against torch, with gradient checks."""

from __future__ import annotations

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.nn as nn
import scratchdl.nn.functional as F
from scratchdl.autograd import gradcheck

X = np.random.default_rng(0).normal(2.0, 3.0, size=(4, 3, 5))


@pytest.mark.parametrize("shape", [5, (5,), (3, 5), [3, 5]])
def test_layer_norm_matches_torch_with_and_without_affine(torch, shape):
    last = (shape,) if isinstance(shape, int) else tuple(shape)
    weight = np.linspace(0.5, 1.5, int(np.prod(last))).reshape(last)
    bias = np.linspace(-1.0, 1.0, int(np.prod(last))).reshape(last)
    for args in [(), (weight, bias), (weight, None)]:
        ours = F.layer_norm(
            sd.tensor(X), shape, *[None if a is None else sd.tensor(a) for a in args]
        )
        theirs = torch.nn.functional.layer_norm(
            torch.tensor(X), list(last), *[None if a is None else torch.tensor(a) for a in args]
        )
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-6)


def test_layer_norm_gradients():
    weight, bias = np.linspace(0.5, 1.5, 5), np.linspace(-1.0, 1.0, 5)
    assert gradcheck(lambda x, w, b: F.layer_norm(x, (5,), w, b), [X, weight, bias])
    assert gradcheck(lambda x: F.layer_norm(x, (3, 5), eps=1e-3), [X])


def test_the_module_matches_torchs_parameters_outputs_and_repr(torch):
    for kwargs in [{}, {"bias": False}, {"elementwise_affine": False}]:
        ours, theirs = nn.LayerNorm((3, 5), **kwargs), torch.nn.LayerNorm((3, 5), **kwargs)
        assert repr(ours) == repr(theirs)
        assert list(ours.state_dict()) == list(theirs.state_dict())
        x = X.astype(np.float32)
        np.testing.assert_allclose(
            ours(sd.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
            rtol=1e-5, atol=1e-5,
        )  # fmt: skip


def test_shapes_that_do_not_match_are_refused():
    with pytest.raises(RuntimeError, match=r"normalized_shape \[4\] must be the last dimensions"):
        F.layer_norm(sd.tensor(X), 4)
    with pytest.raises(RuntimeError, match=r"weight of shape \(4,\) does not match"):
        F.layer_norm(sd.tensor(X), 5, sd.ones(4))
    with pytest.raises(ValueError, match="LayerNorm: normalized_shape must be positive"):
        nn.LayerNorm(0)
