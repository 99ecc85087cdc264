"""nn.utils.clip_grad_norm_ against torch.nn.utils.clip_grad_norm_."""

import numpy as np
import pytest

import scratchdl as sd
from scratchdl import nn
from scratchdl.nn.utils import clip_grad_norm_


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, float("inf")])
@pytest.mark.parametrize("max_norm", [0.5, 100.0])
def test_matches_torch(torch, rng, norm_type, max_norm):
    grads = [rng.normal(size=(3, 4)), rng.normal(size=4)]
    ours = [nn.Parameter(np.zeros_like(g)) for g in grads]
    theirs = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for ours_p, theirs_p, g in zip(ours, theirs, grads, strict=True):
        ours_p.grad = sd.tensor(g)
        theirs_p.grad = torch.tensor(g)
    total = clip_grad_norm_(ours, max_norm, norm_type)
    expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
    assert total == pytest.approx(expected.item(), rel=1e-12)
    for ours_p, theirs_p in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(ours_p.grad.numpy(), theirs_p.grad.numpy(), rtol=1e-12)


def test_shared_gradient_is_scaled_once_and_the_original_is_untouched():
    shared = sd.tensor([3.0, 4.0])
    first, second = nn.Parameter([0.0, 0.0]), nn.Parameter([0.0, 0.0])
    first.grad = second.grad = shared
    total = clip_grad_norm_([first, second], max_norm=1.0)
    assert total == pytest.approx(np.sqrt(50))
    np.testing.assert_allclose(first.grad.numpy(), second.grad.numpy())
    assert np.linalg.norm(np.concatenate([first.grad.numpy()] * 2)) == pytest.approx(1.0, rel=1e-5)
    np.testing.assert_array_equal(shared.numpy(), [3.0, 4.0])


def test_parameters_without_grad_are_skipped():
    with_grad, without = nn.Parameter([0.0]), nn.Parameter([0.0])
    with_grad.grad = sd.tensor([2.0])
    assert clip_grad_norm_(with_grad, 1.0) == pytest.approx(2.0)
    assert clip_grad_norm_([without], 1.0) == 0.0
    assert without.grad is None


def test_bad_arguments_are_rejected():
    with pytest.raises(ValueError, match="clip_grad_norm_: max_norm must be >= 0"):
        clip_grad_norm_([nn.Parameter([0.0])], -1.0)
