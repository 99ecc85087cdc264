"""Every differentiable function: backprop against central differences (float64), and
forward values and gradients against PyTorch."""

import numpy as np
import pytest

import scratchdl as sd
from scratchdl.autograd import gradcheck
from tests.functional.cases import CASES


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.differentiable_at_inputs], ids=lambda case: case.id
)
def test_gradcheck(case):
    inputs = case.make_inputs(np.random.default_rng(0))
    assert gradcheck(case.ours, inputs)


@pytest.mark.parametrize("case", [c for c in CASES if c.theirs], ids=lambda case: case.id)
def test_matches_pytorch(case, torch):
    inputs = case.make_inputs(np.random.default_rng(0))
    ours = [sd.tensor(x, requires_grad=True) for x in inputs]
    theirs = [torch.tensor(x, requires_grad=True) for x in inputs]
    y, y_ref = case.ours(*ours), case.theirs(*theirs)
    np.testing.assert_allclose(y.data, y_ref.detach().numpy(), rtol=1e-10, atol=1e-12)

    weights = np.random.default_rng(1).uniform(0.5, 1.5, y.shape)
    (y * weights).sum().backward()
    (y_ref * torch.from_numpy(weights)).sum().backward()
    for mine, reference in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(mine.grad.data, reference.grad.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_float32_stays_float32(case):
    inputs = [
        x.astype(np.float32) if x.dtype.kind == "f" else x
        for x in case.make_inputs(np.random.default_rng(0))
    ]
    tensors = [sd.tensor(x, requires_grad=True) for x in inputs]
    y = case.ours(*tensors)
    assert y.dtype == np.float32
    y.sum().backward()
    assert all(t.grad.dtype == np.float32 for t in tensors)
