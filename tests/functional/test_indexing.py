"""index_select, scatter, scatter_add, index_add, narrow, repeat_interleave, flip, roll,
tril, triu, diag, diagonal, dot, outer and addmm: float64 gradient checks, values,
dtypes, gradients and errors against torch, and the in-place versions' rules."""

from __future__ import annotations

import numpy as np
import pytest

import scratchdl as sd
from tests.functional.cases import away_from_zero
from tests.functional.oracle import check_against_torch, check_gradient, raises_like_torch

SCATTER_INDEX = [[2, 0, 1, 0], [1, 2, 0, 2]]  # no place written twice: torch's order is unset
REPEATED = [[0, 1, 1, 0], [0, 1, 2, 0]]  # places added to twice accumulate


def _index(t, rows, dtype=None):
    return t.tensor(rows, dtype=dtype or t.int64)


# (id, expression on library t, input shapes, torch's gradient can be compared)
CASES = [
    ("index_select", lambda t, a: t.index_select(a, 1, _index(t, [2, 0, 2])), [(3, 4)], True),
    ("index_select-neg-dim", lambda t, a: a.index_select(-2, _index(t, [1, 1])), [(3, 4)], True),
    (
        "index_select-int32",
        lambda t, a: a.index_select(0, _index(t, [2, 0], t.int32)),
        [(3, 4)],
        True,
    ),
    ("index_select-0d-index", lambda t, a: a.index_select(1, _index(t, 3)), [(3, 4)], True),
    (
        "scatter",
        lambda t, a, s: t.scatter(a, 0, _index(t, SCATTER_INDEX), s),
        [(3, 4), (2, 4)],
        True,
    ),
    (
        "scatter-src-kw",
        lambda t, a, s: a.scatter(-1, _index(t, [[3], [0]]), src=s),
        [(2, 4), (2, 1)],
        True,
    ),
    (
        "scatter-larger-src",
        lambda t, a, s: t.scatter(a, 0, _index(t, SCATTER_INDEX), s),
        [(3, 4), (3, 5)],
        False,
    ),
    (
        "scatter-value",
        lambda t, a: t.scatter(a, 1, _index(t, [[1, 3], [0, 1], [2, 2]]), 0.5),
        [(3, 4)],
        True,
    ),
    (
        "scatter-value-kw",
        lambda t, a: a.scatter(0, _index(t, [[2, 1]]), value=-1.0),
        [(3, 2)],
        True,
    ),
    (
        "scatter_add",
        lambda t, a, s: t.scatter_add(a, 0, _index(t, REPEATED), s),
        [(3, 4), (2, 4)],
        True,
    ),
    (
        "scatter_add-neg-dim",
        lambda t, a, s: a.scatter_add(-1, _index(t, REPEATED), s),
        [(2, 3), (2, 4)],
        True,
    ),
    (
        "index_add",
        lambda t, a, s: t.index_add(a, 0, _index(t, [0, 2, 0]), s, alpha=2.0),
        [(3, 4), (3, 4)],
        True,
    ),
    (
        "index_add-neg-dim",
        lambda t, a, s: a.index_add(-1, _index(t, [1, 1]), s),
        [(3, 4), (3, 2)],
        True,
    ),
    (
        "scatter_-in-graph",
        lambda t, a, s: (a * 1).scatter_(0, _index(t, SCATTER_INDEX), s),
        [(3, 4), (2, 4)],
        True,
    ),
    (
        "scatter_add_-in-graph",
        lambda t, a, s: (a * 1).scatter_add_(0, _index(t, REPEATED), s),
        [(3, 4), (2, 4)],
        True,
    ),
    (
        "index_add_-in-graph",
        lambda t, a, s: (a * 1).index_add_(1, _index(t, [3, 3]), s, alpha=-0.5),
        [(2, 4), (2, 2)],
        True,
    ),
    ("narrow", lambda t, a: t.narrow(a, 1, -3, 2), [(2, 4)], True),
    ("narrow-tensor-start", lambda t, a: a.narrow(0, t.tensor(1), 2), [(3, 2)], True),
    ("repeat_interleave", lambda t, a: t.repeat_interleave(a, 2, dim=0), [(2, 3)], True),
    ("repeat_interleave-flat", lambda t, a: t.repeat_interleave(a, 3), [(2, 2)], True),
    (
        "repeat_interleave-tensor",
        lambda t, a: a.repeat_interleave(t.tensor([1, 0, 3]), dim=-1),
        [(2, 3)],
        True,
    ),
    (
        "repeat_interleave-one-count",
        lambda t, a: a.repeat_interleave(t.tensor([2]), dim=1),
        [(2, 3)],
        True,
    ),
    ("flip", lambda t, a: t.flip(a, (0, -1)), [(2, 3, 2)], True),
    ("flip-method", lambda t, a: a.flip(1), [(2, 3)], True),
    ("roll", lambda t, a: t.roll(a, (1, -2), (0, 1)), [(3, 4)], True),
    ("roll-flat", lambda t, a: t.roll(a, 5), [(3, 4)], True),
    ("roll-one-dim", lambda t, a: a.roll(-1, -1), [(3, 4)], True),
    ("tril", lambda t, a: t.tril(a, -1), [(2, 3, 4)], True),
    ("triu", lambda t, a: a.triu(1), [(4, 3)], True),
    ("diag-vector", lambda t, a: t.diag(a, -1), [(3,)], True),
    ("diag-matrix", lambda t, a: t.diag(a, 1), [(3, 4)], True),
    ("diag-method", lambda t, a: a.diag(), [(3,)], True),
    ("diagonal", lambda t, a: t.diagonal(a, 1, 2, 0), [(3, 4, 5)], True),
    ("diagonal-neg", lambda t, a: a.diagonal(-1, -1, -2), [(2, 3, 4)], True),
    ("diagonal-empty", lambda t, a: a.diagonal(5), [(3, 4)], True),
    ("dot", lambda t, a, b: t.dot(a, b), [(4,), (4,)], True),
    ("dot-method", lambda t, a, b: a.dot(b), [(3,), (3,)], True),
    ("outer", lambda t, a, b: t.outer(a, b), [(3,), (4,)], True),
    (
        "addmm",
        lambda t, x, m1, m2: t.addmm(x, m1, m2, beta=0.5, alpha=2.0),
        [(3,), (2, 4), (4, 3)],
        True,
    ),
    ("addmm-method", lambda t, x, m1, m2: x.addmm(m1, m2), [(2, 3), (2, 4), (4, 3)], True),
    (
        "addmm-column",
        lambda t, x, m1, m2: t.addmm(x, m1, m2, alpha=-1),
        [(2, 1), (2, 4), (4, 3)],
        True,
    ),
]


def _arrays(shapes):
    rng = np.random.default_rng(0)
    return [away_from_zero(rng, *shape) for shape in shapes]


@pytest.mark.parametrize(
    ("expression", "shapes"), [c[1:3] for c in CASES], ids=[c[0] for c in CASES]
)
def test_gradcheck(expression, shapes):
    check_gradient(expression, _arrays(shapes))


@pytest.mark.parametrize(
    ("expression", "shapes", "backward"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_matches_torch(torch, expression, shapes, backward):
    check_against_torch(torch, expression, _arrays(shapes), backward)


def test_a_larger_src_gets_zero_gradient_outside_the_index_block():
    x, src = sd.zeros(3, 4, requires_grad=True), sd.ones(3, 5, requires_grad=True)
    sd.scatter(x, 0, sd.tensor(SCATTER_INDEX), src).sum().backward()
    expected = np.zeros((3, 5))
    expected[:2, :4] = 1
    np.testing.assert_array_equal(src.grad.numpy(), expected)


@pytest.mark.parametrize(
    "expression",
    [
        lambda t, a: t.index_select(a, 1, _index(t, [2, 0])),
        lambda t, a: t.scatter(a, 0, _index(t, SCATTER_INDEX), 7),
        lambda t, a: t.scatter(a, 0, _index(t, SCATTER_INDEX), 2.5),
        lambda t, a: t.scatter(a, 0, _index(t, SCATTER_INDEX), a[:2]),
        lambda t, a: t.scatter_add(a, 1, _index(t, REPEATED)[:, :3], a),
        lambda t, a: t.index_add(a, 0, _index(t, [2, 2]), a[:2], alpha=3),
        lambda t, a: t.narrow(a, 0, 1, 2),
        lambda t, a: t.flip(a, [1]),
        lambda t, a: t.roll(a, 1, 0),
        lambda t, a: t.repeat_interleave(a, _index(t, [2, 0, 1]), dim=0),
        lambda t, a: t.repeat_interleave(_index(t, [2, 0, 3])),
        lambda t, a: t.tril(a),
        lambda t, a: t.triu(a > 5, -1),
        lambda t, a: t.tril(a.int(), 1),
        lambda t, a: t.diag(a),
        lambda t, a: t.diag(a[0], 2),
        lambda t, a: t.diag(a[0] > 1),
        lambda t, a: t.diagonal(a, -1),
        lambda t, a: t.dot(a[0], a[1]),
        lambda t, a: t.outer(a[0], a[1].double()),
        lambda t, a: t.outer(a[0], a[1] > 3),
        lambda t, a: t.addmm(a[0, :3], a, a.T),
        lambda t, a: t.addmm(a[:, :3], a, a.T.int().long(), beta=0.5),
        lambda t, a: t.addmm(a[:, :3].float(), a.float(), a.T.float(), beta=0, alpha=3),
        lambda t, a: t.index_select(a, 0, _index(t, [], t.int64)),
    ],
)
def test_values_and_dtypes_of_integer_and_bool_tensors_match_torch(torch, expression):
    check_against_torch(torch, lambda t: expression(t, t.arange(1, 13).reshape(3, 4)), [], False)


def test_addmm_with_beta_zero_ignores_nan_in_the_input(torch):
    nan = lambda t: t.addmm(t.full((3,), float("nan")), t.ones(2, 4), t.ones(4, 3), beta=0)  # noqa: E731
    check_against_torch(torch, nan, [], False)


@pytest.mark.parametrize(
    "expression",
    [
        lambda t, x: t.index_select(x, 0, _index(t, [3])),
        lambda t, x: t.index_select(x, 0, _index(t, [-1])),
        lambda t, x: t.index_select(x, 0, _index(t, [[0]])),
        lambda t, x: t.index_select(x, 0, t.tensor([1.0])),
        lambda t, x: t.index_select(x, 2, _index(t, [0])),
        lambda t, x: t.scatter(x, 0, _index(t, [[3]]), t.ones(1, 4)),
        lambda t, x: t.scatter(x, 0, _index(t, [[-1]]), t.ones(1, 4)),
        lambda t, x: t.scatter(x, 0, _index(t, [[0]]), t.ones(1, 4, dtype=t.float64)),
        lambda t, x: t.scatter(x, 0, _index(t, [[0, 1, 2, 0]]), t.ones(1, 3)),
        lambda t, x: t.scatter(x, 1, t.zeros(4, 1, dtype=t.int64), t.ones(4, 1)),
        lambda t, x: t.scatter(x, 0, _index(t, [0]), t.ones(1, 4)),
        lambda t, x: t.scatter(x, 0, t.tensor([[0.0]]), t.ones(1, 4)),
        lambda t, x: t.scatter(x, 2, _index(t, [[0]]), t.ones(1, 4)),
        lambda t, x: t.scatter_add(x, 0, _index(t, [[0]]), 1.0),
        lambda t, x: t.scatter_add(x, 0, _index(t, [[5]]), t.ones(1, 4)),
        lambda t, x: t.gather(x, 0, _index(t, [[5]])),
        lambda t, x: t.gather(x, 0, t.tensor([[0.0]])),
        lambda t, x: x.index_add_(0, _index(t, [5, 0]), t.ones(2, 4)),
        lambda t, x: x.index_add_(0, _index(t, [-1, 0]), t.ones(2, 4)),
        lambda t, x: x.index_add_(0, _index(t, [0, 0]), t.ones(3, 4)),
        lambda t, x: x.index_add_(0, _index(t, [0, 0]), t.ones(2, 3)),
        lambda t, x: x.index_add_(0, _index(t, [[0, 0]]), t.ones(2, 4)),
        lambda t, x: x.index_add_(0, _index(t, [0, 0]), t.ones(2, 4, dtype=t.float64)),
        lambda t, x: x.index_add_(0, t.tensor([0.0, 0.0]), t.ones(2, 4)),
        lambda t, x: x.index_add_(0, _index(t, [0, 0]), t.ones(2, 4), 2),
        lambda t, x: t.flip(x, (0, 0)),
        lambda t, x: t.flip(x, (2,)),
        lambda t, x: x.flip(-3),
        lambda t, x: t.roll(x, (1, 2), 0),
        lambda t, x: t.roll(x, 1, 5),
        lambda t, x: t.roll(x, 1, (0, 1)),
        lambda t, x: t.roll(x, (), ()),
        lambda t, x: t.narrow(x, 0, 4, 0),
        lambda t, x: t.narrow(x, 0, -4, 1),
        lambda t, x: t.narrow(x, 0, 2, 2),
        lambda t, x: t.narrow(x, 0, 0, -1),
        lambda t, x: t.narrow(x, 3, 0, 1),
        lambda t, x: t.narrow(x[0, 0], 0, 0, 1),
        lambda t, x: t.repeat_interleave(x, -1),
        lambda t, x: t.repeat_interleave(x, _index(t, [1, -2, 1]), dim=0),
        lambda t, x: t.repeat_interleave(x, _index(t, [[1, 2, 1]]), dim=0),
        lambda t, x: t.repeat_interleave(x, _index(t, [1, 2])),
        lambda t, x: t.repeat_interleave(x, 2, dim=2),
        lambda t, x: t.tril(x[0]),
        lambda t, x: t.triu(x[0, 0]),
        lambda t, x: t.diag(x[None]),
        lambda t, x: t.diag(x[0, 0]),
        lambda t, x: t.diagonal(x, 0, 1, 1),
        lambda t, x: t.diagonal(x, 0, 1, 2),
        lambda t, x: t.diagonal(x[0]),
        lambda t, x: t.dot(x[0], x[1].double()),
        lambda t, x: t.dot(x[0], x[1, :3]),
        lambda t, x: t.dot(x, x[0]),
        lambda t, x: t.dot(x[0], x[0].long()),
        lambda t, x: t.outer(x, x[0]),
        lambda t, x: t.outer(x[0], x[0, 0]),
        lambda t, x: t.addmm(x[0, :3], x[0], x.T),
        lambda t, x: t.addmm(x[0, :3], x, x),
        lambda t, x: t.addmm(x[:, :3].double(), x, x.T),
        lambda t, x: t.addmm(x[0, :3], x.double(), x.T),
        lambda t, x: t.addmm(x[0, :2], x, x.T),
        lambda t, x: t.addmm(t.ones(2, 3, 3), x, x.T),
        lambda t, x: t.addmm(x[0, :3], x, x.T, 2, 3),
    ],
)
def test_errors_match_torch(torch, expression):
    raises_like_torch(torch, lambda t: expression(t, t.arange(12.0).reshape(3, 4)))


def test_other_scatter_reductions_are_refused_by_name():
    with pytest.raises(NotImplementedError, match="reduce='add'"):
        sd.scatter(sd.zeros(2), 0, sd.tensor([0]), sd.ones(1), reduce="add")
    with pytest.raises(NotImplementedError, match="reduce='multiply'"):
        sd.zeros(2).scatter_(0, sd.tensor([0]), sd.ones(1), reduce="multiply")


def test_floating_repeat_counts_are_refused():
    with pytest.raises(RuntimeError, match="int32 or int64"):
        sd.repeat_interleave(sd.ones(2), sd.tensor([1.0, 2.0]))


IN_PLACE = [
    lambda t, x, s: x.scatter_(0, _index(t, SCATTER_INDEX), s),
    lambda t, x, s: x.scatter_(1, _index(t, [[3], [0], [1]]), value=2.5),
    lambda t, x, s: x.scatter_add_(0, _index(t, REPEATED), s),
    lambda t, x, s: x.index_add_(0, _index(t, [2, 2]), s, alpha=3),
]


@pytest.mark.parametrize("update", IN_PLACE)
def test_in_place_writes_into_the_same_array_and_bumps_the_version(torch, update):
    ours, theirs = sd.zeros(3, 4), torch.zeros(3, 4)
    storage, version = ours.data, ours._version
    result = update(sd, ours, sd.ones(2, 4))
    update(torch, theirs, torch.ones(2, 4))
    assert result is ours and ours.data is storage and ours._version == version + 1
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("update", IN_PLACE)
def test_in_place_change_of_a_saved_tensor_makes_backward_raise(torch, update):
    for lib in (sd, torch):
        w = lib.ones(3, 4, requires_grad=True)
        y = w * 1
        loss = (y * y).sum()  # Mul saves y
        update(lib, y, lib.ones(2, 4))
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            loss.backward()


@pytest.mark.parametrize("update", IN_PLACE)
def test_in_place_change_of_a_leaf_that_requires_grad_is_refused(torch, update):
    for lib in (sd, torch):
        w = lib.zeros(3, 4, requires_grad=True)
        with pytest.raises(RuntimeError, match="leaf"):
            update(lib, w, lib.ones(2, 4))
        with lib.no_grad():
            update(lib, w, lib.ones(2, 4))
        assert w.is_leaf and w.requires_grad
