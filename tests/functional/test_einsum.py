"""einsum: float64 gradient checks, and values, dtypes, gradients and errors against torch,
over the equation language: implicit outputs, repeated indices, '...', broadcasting, the
list and sublist forms."""

from __future__ import annotations

import numpy as np
import pytest

import scratchdl as sd
from scratchdl.autograd import grad
from tests.functional.cases import away_from_zero
from tests.functional.oracle import check_against_torch, check_gradient, raises_like_torch

CASES = [
    ("matmul", "ij,jk->ik", [(2, 3), (3, 4)]),
    ("implicit-output", "ij,jk", [(2, 3), (3, 4)]),
    ("implicit-uppercase-first", "ba,aA", [(2, 3), (3, 4)]),
    ("batched", "bij,bjk->bik", [(2, 3, 4), (2, 4, 2)]),
    ("transpose", "ij->ji", [(2, 3)]),
    ("sum-all", "ij->", [(2, 3)]),
    ("inner", "i,i->", [(4,), (4,)]),
    ("outer", "i,j->ij", [(3,), (4,)]),
    ("three-operands", "ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("index-only-in-one-operand", "ij,k->ik", [(2, 3), (4,)]),
    ("permuted-contraction", "ijk,jil->kl", [(2, 3, 4), (3, 2, 5)]),
    ("diagonal", "ii->i", [(3, 3)]),
    ("trace", "ii", [(3, 3)]),
    ("repeat-with-other-index", "iij->j", [(3, 3, 2)]),
    ("repeat-three-times", "iii->i", [(2, 2, 2)]),
    ("repeat-and-contract", "ii,ij->j", [(3, 3), (3, 2)]),
    ("repeat-kept-twice", "ij,jj->ij", [(2, 3), (3, 3)]),
    ("ellipsis-transpose", "...ij->...ji", [(2, 3, 4)]),
    ("ellipsis-implicit", "...ij,...jk", [(2, 3, 4), (2, 4, 2)]),
    ("ellipsis-fewer-dims", "...ij,...jk->...ik", [(2, 3, 4), (4, 2)]),
    ("ellipsis-summed", "i...->...", [(2, 3, 4)]),
    ("ellipsis-middle", "i...j->j...i", [(2, 3, 1, 4)]),
    ("broadcast-size-one", "ij,ij->ij", [(1, 3), (2, 3)]),
    ("broadcast-ellipsis", "...j,...j->...", [(1, 3), (2, 3)]),
    ("broadcast-size-one-summed", "ij,j->i", [(2, 3), (1,)]),
    ("spaces", "i j , j k -> i k", [(2, 3), (3, 4)]),
]


def _arrays(shapes):
    rng = np.random.default_rng(0)
    return [away_from_zero(rng, *shape) for shape in shapes]


@pytest.mark.parametrize(("equation", "shapes"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_gradcheck(equation, shapes):
    check_gradient(lambda t, *xs: t.einsum(equation, *xs), _arrays(shapes))


@pytest.mark.parametrize(("equation", "shapes"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_matches_torch(torch, equation, shapes):
    check_against_torch(torch, lambda t, *xs: t.einsum(equation, *xs), _arrays(shapes))


@pytest.mark.parametrize(
    "expression",
    [
        lambda t, a, b: t.einsum("ij,jk->ik", [a, b]),
        lambda t, a, b: t.einsum("ij,jk->ik", (a, b)),
        lambda t, a, b: t.einsum(a, [0, 1], b, [1, 2], [0, 2]),
        lambda t, a, b: t.einsum(a, [0, 1], b, [1, 2]),
        lambda t, a, b: t.einsum(a, [Ellipsis, 1], b, [1, 2], [Ellipsis, 2]),
        lambda t, a, b: t.einsum("ij,ij,jk->", a, a, b),  # the same tensor twice
    ],
)
def test_list_and_sublist_forms_match_torch(torch, expression):
    check_against_torch(torch, expression, _arrays([(2, 3), (3, 4)]))


def test_second_derivatives_match_torch(torch):
    results = []
    for lib in (sd, torch):
        a = lib.tensor(_arrays([(3, 3)])[0], requires_grad=True)
        b = lib.tensor(_arrays([(3, 2)])[0], requires_grad=True)
        y = lib.einsum("ii,ij->j", a * a, b).sum()
        (ga,) = (grad if lib is sd else torch.autograd.grad)(y, [a], create_graph=True)
        (ga * ga).sum().backward()
        results.append((ga.detach().numpy(), b.grad.numpy()))
    for ours, theirs in zip(results[0], results[1], strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10)


@pytest.mark.parametrize(
    ("equation", "dtype"), [("ij,jk->ik", "int64"), ("ij->ji", "int32"), ("ii->i", "int64")]
)
def test_integer_operands_keep_their_dtype_as_in_torch(torch, equation, dtype):
    data = np.arange(9, dtype=dtype).reshape(3, 3)
    operands = [data] * equation.split("->")[0].count(",") + [data]
    check_against_torch(torch, lambda t, *xs: t.einsum(equation, *xs), operands, backward=False)


@pytest.mark.parametrize(
    "expression",
    [
        lambda t, a, b: t.einsum("ij,jk->ik", a),
        lambda t, a, b: t.einsum("ij,jk->ik", a, t.ones(4, 4)),
        lambda t, a, b: t.einsum("ij->ik", a),
        lambda t, a, b: t.einsum("ij->ii", a),
        lambda t, a, b: t.einsum("ijk->ij", a),
        lambda t, a, b: t.einsum("i1->i", a),
        lambda t, a, b: t.einsum("ij,jk->ik", a, b.double()),
        lambda t, a, b: t.einsum("ij->j", a, b),
        lambda t, a, b: t.einsum(a, [0, 60]),
    ],
)
def test_errors_match_torch(torch, expression):
    raises_like_torch(torch, lambda t: expression(t, t.ones(2, 3), t.ones(3, 4)))
