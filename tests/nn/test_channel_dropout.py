"""Channel dropout (Dropout1d, Dropout2d): whole channels kept or zeroed, as torch's."""

from __future__ import annotations

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.nn as nn
import scratchdl.nn.functional as F


@pytest.mark.parametrize(
    ("function", "shape"),
    [(F.dropout2d, (8, 16, 5, 5)), (F.dropout2d, (16, 5, 5)), (F.dropout1d, (8, 16, 7)),
     (F.dropout1d, (16, 7))],
)  # fmt: skip
def test_whole_channels_are_kept_or_dropped_and_scaled(function, shape):
    sd.manual_seed(0)
    y = function(sd.ones(*shape), 0.25).numpy()
    spatial = (-2, -1) if function is F.dropout2d else (-1,)
    per_channel = y.reshape(*y.shape[: y.ndim - len(spatial)], -1)
    assert (per_channel == per_channel[..., :1]).all()  # one value per channel
    assert set(np.unique(per_channel).tolist()) <= {0.0, float(np.float32(1 / 0.75))}
    assert 0.1 < (per_channel[..., 0] == 0).mean() < 0.4


def test_the_gradient_uses_the_same_mask():
    sd.manual_seed(1)
    x = sd.randn(4, 6, 3, 3, requires_grad=True)
    y = F.dropout2d(x, 0.5)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), (y.detach() / x.detach()).numpy())


def test_modules_follow_train_and_eval_and_match_torchs_repr(torch):
    layer = nn.Dropout2d(0.3)
    x = sd.ones(2, 3, 4, 4)
    layer.eval()
    assert layer(x) is x
    assert repr(layer) == repr(torch.nn.Dropout2d(0.3))
    assert repr(nn.Dropout1d()) == repr(torch.nn.Dropout1d())
    assert F.dropout2d(x, 0.0) is x and F.dropout2d(x, 0.9, training=False) is x


def test_wrong_shapes_and_probabilities_are_refused():
    with pytest.raises(ValueError, match=r"dropout2d: expected an input of 3 or 4 dimensions"):
        F.dropout2d(sd.ones(2, 3), 0.5)
    with pytest.raises(ValueError, match=r"dropout1d: expected an input of 2 or 3 dimensions"):
        F.dropout1d(sd.ones(2, 3, 4, 5), 0.5)
    with pytest.raises(ValueError, match="p must be a probability"):
        nn.Dropout2d(1.5)
