"""Dropout: F.dropout (inverted dropout with one mask) and the nn.Dropout module."""

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.nn.functional as F
from scratchdl import nn
from scratchdl.autograd import gradcheck


def test_identity_when_not_training_or_p_is_zero():
    x = sd.tensor([[1.0, 2.0, 3.0]])
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x


def test_kept_units_are_scaled_and_the_mean_is_preserved():
    x = sd.tensor(np.ones((200, 500), dtype=np.float32))
    y = F.dropout(x, p=0.3).numpy()
    assert set(np.unique(y)) == {0.0, np.float32(1 / 0.7)}
    assert (y == 0).mean() == pytest.approx(0.3, abs=0.01)
    assert y.mean() == pytest.approx(1.0, abs=0.01)
    assert y.dtype == np.float32


def test_backward_uses_the_forward_mask():
    x = sd.tensor(np.ones((4, 6)), requires_grad=True)
    y = F.dropout(x, p=0.5)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.numpy())  # both are mask / (1 - p)


def test_gradcheck_with_a_fixed_mask(rng):
    def dropout_with_fixed_mask(x):
        sd.manual_seed(7)  # the same mask on every call
        return F.dropout(x, p=0.4)

    assert gradcheck(dropout_with_fixed_mask, [rng.normal(size=(3, 5))])


def test_manual_seed_reproduces_the_mask():
    x = sd.tensor(np.ones(50))
    sd.manual_seed(1)
    first = F.dropout(x).numpy()
    sd.manual_seed(1)
    np.testing.assert_array_equal(F.dropout(x).numpy(), first)


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5, float("nan"), True, "0.5"])
def test_bad_probability_is_rejected(p):
    with pytest.raises(ValueError, match=r"dropout: p must be a probability in \[0, 1\)"):
        F.dropout(sd.tensor([1.0]), p)
    with pytest.raises(ValueError, match="Dropout: p must be"):
        nn.Dropout(p)


def test_module_drops_in_training_and_passes_through_in_eval():
    layer = nn.Dropout(0.5)
    x = sd.tensor(np.ones((10, 10)))
    assert (layer(x).numpy() == 0).any()
    layer.eval()
    assert layer(x) is x
