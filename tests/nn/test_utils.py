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
    assert total.item() == pytest.approx(expected.item(), rel=1e-12)
    for ours_p, theirs_p in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(ours_p.grad.numpy(), theirs_p.grad.numpy(), rtol=1e-12)


def test_gradients_are_scaled_in_place_as_in_torch():
    param = nn.Parameter([0.0, 0.0])
    param.grad = sd.tensor([3.0, 4.0])
    array = param.grad.data
    total = clip_grad_norm_(param, max_norm=1.0)
    assert isinstance(total, sd.Tensor) and total.item() == pytest.approx(5.0)
    assert param.grad.data is array
    np.testing.assert_allclose(array, [0.6, 0.8], rtol=1e-5)


def test_clip_grad_value_and_parameter_vectors_match_torch(torch, rng):
    grads = [rng.normal(size=(3, 4)), rng.normal(size=4)]
    ours = [nn.Parameter(sd.tensor(g)) for g in grads]
    theirs = [torch.tensor(g, requires_grad=True) for g in grads]
    for ours_p, theirs_p, g in zip(ours, theirs, grads, strict=True):
        ours_p.grad, theirs_p.grad = sd.tensor(g), torch.tensor(g)
    nn.utils.clip_grad_value_(ours, 0.5)
    torch.nn.utils.clip_grad_value_(theirs, 0.5)
    for ours_p, theirs_p in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(ours_p.grad.numpy(), theirs_p.grad.numpy())
    vector = nn.utils.parameters_to_vector(ours)
    np.testing.assert_array_equal(
        vector.numpy(), torch.nn.utils.parameters_to_vector(theirs).detach().numpy()
    )
    nn.utils.vector_to_parameters(vector * 2, ours)
    np.testing.assert_array_equal(ours[1].data, grads[1] * 2)


def test_parameters_without_grad_are_skipped():
    with_grad, without = nn.Parameter([0.0]), nn.Parameter([0.0])
    with_grad.grad = sd.tensor([2.0])
    assert clip_grad_norm_(with_grad, 1.0).item() == pytest.approx(2.0)
    assert clip_grad_norm_([without], 1.0).item() == 0.0
    assert without.grad is None


def test_bad_arguments_are_rejected():
    with pytest.raises(ValueError, match="clip_grad_norm_: max_norm must be >= 0"):
        clip_grad_norm_([nn.Parameter([0.0])], -1.0)
