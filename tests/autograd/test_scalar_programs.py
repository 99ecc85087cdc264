"""Scalar autograd programs of the kind micrograd's own tests are written in, run on
scratchdl and on PyTorch with the same text: legacy constructors, `.double()`,
`requires_grad = True` set afterwards, reflected operators, class-level methods."""

from __future__ import annotations

import pytest


def expression_graph(torch):
    x = torch.Tensor([-4.0]).double()
    x.requires_grad = True
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    return x.grad.item(), y.data.item()


def more_operations(torch):
    a = torch.Tensor([-4.0]).double()
    b = torch.Tensor([2.0]).double()
    a.requires_grad = True
    b.requires_grad = True
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    return a.grad.item(), b.grad.item(), g.data.item()


def class_level_methods(torch):
    x = torch.tensor([0.3, -1.2], dtype=torch.float64, requires_grad=True)
    y = torch.Tensor.tanh(x).sum() + torch.Tensor.sigmoid(x).prod() + torch.Tensor.exp(x)[0]
    y.backward()
    return (*x.grad.tolist(), y.item())


@pytest.mark.parametrize("program", [expression_graph, more_operations, class_level_methods])
def test_the_same_text_gives_torchs_numbers(torch, program):
    import scratchdl

    assert program(scratchdl) == pytest.approx(program(torch), rel=1e-12)
