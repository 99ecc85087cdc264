"""Sorting, selection, scans and counts (functional/sorting.py, functional/counting.py)
against PyTorch: values, indices, dtypes, shapes, gradients and errors; and float64
gradient checks against central differences.

Ties: where torch is deterministic (sort and argsort with stable=True) indices are compared
too. Without stable=True, and for topk, kthvalue and median, torch does not promise which
of tied elements it returns, so with ties only the values are compared (``VALUES_ONLY``);
the indices are compared on data without ties.
"""

from __future__ import annotations

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.functional as F
from scratchdl.autograd import gradcheck
from tests.autograd.test_torch_api import same

NAN = float("nan")
TIES = np.array([[3, 1, 2, 1], [0, 3, 3, 5], [2, 2, 0, 1]])
"""Integers with ties in every row and column."""
DISTINCT = np.random.default_rng(0).permutation(24).reshape(2, 3, 4) * 0.5 - 5
"""Floats without ties: every index is determined."""
WITH_NAN = np.array([[1.0, NAN, 2.0, 1.0], [4.0, 0.0, NAN, NAN], [0.5, 3.0, 2.0, 1.0]])
WITH_ZEROS = np.array([[2.0, 0.0, 3.0, 0.0, 1.5], [0.0, -1.0, 2.0, 4.0, 0.5], [1, 2, 3, 4, 5]])
VALUES_ONLY = "values only"


def run(library, expression, array):
    """``expression`` on ``array`` with ``library`` (scratchdl or torch)."""
    x = sd.tensor(array) if library is sd else library.from_numpy(np.array(array))
    return expression(library, x)


def assert_matches(ours, theirs, compare_indices=True):
    """Results equal: tensors by values, dtype and shape; tuples element by element, named
    tuples (values, indices) by their fields, the indices only if ``compare_indices``."""
    if not isinstance(theirs, tuple):
        same(ours, theirs)
        assert tuple(ours.shape) == tuple(theirs.shape)
        return
    assert len(ours) == len(theirs)
    if hasattr(theirs, "indices"):
        assert_matches(ours.values, theirs.values)
        assert ours.indices.dtype == sd.int64 and ours.indices.shape == ours.values.shape
        if compare_indices:
            assert_matches(ours.indices, theirs.indices)
        return
    for mine, reference in zip(ours, theirs, strict=True):
        assert_matches(mine, reference)


def case(id_, expression, array, compare=True):
    return pytest.param(expression, array, compare, id=id_)


ORACLE = [
    # sort / argsort
    case("sort", lambda t, x: t.sort(x), DISTINCT),
    case("sort-dim0-desc", lambda t, x: t.sort(x, 0, True), DISTINCT),
    case("sort-dim-2", lambda t, x: t.sort(x, dim=-2), DISTINCT),
    case("sort-ties", lambda t, x: t.sort(x, 0), TIES, VALUES_ONLY),
    case("sort-ties-stable", lambda t, x: t.sort(x, stable=True), TIES),
    case("sort-ties-stable-desc", lambda t, x: t.sort(x, dim=0, descending=True, stable=True),
         TIES),
    case("sort-nan-stable", lambda t, x: t.sort(x, stable=True), WITH_NAN),
    case("sort-nan-desc-stable", lambda t, x: t.sort(x, dim=1, descending=True, stable=True),
         WITH_NAN),
    case("sort-int32", lambda t, x: t.sort(x.int(), stable=True), TIES),
    case("sort-bool", lambda t, x: t.sort(x > 1, stable=True), TIES),
    case("sort-0d", lambda t, x: t.sort(x[0, 0, 0]), DISTINCT),
    case("sort-empty", lambda t, x: t.sort(x[:0], dim=0, stable=True), TIES),
    case("sort-method", lambda t, x: x.sort(dim=1, descending=True, stable=True), TIES),
    case("argsort", lambda t, x: t.argsort(x, 1), DISTINCT),
    case("argsort-ties-stable-desc", lambda t, x: t.argsort(x, descending=True, stable=True), TIES),
    case("argsort-0d", lambda t, x: t.argsort(x[1, 1]), TIES),
    case("argsort-method", lambda t, x: x.argsort(dim=0, descending=True, stable=True), TIES),
    # topk
    case("topk", lambda t, x: t.topk(x, 2), DISTINCT),
    case("topk-smallest-dim0", lambda t, x: t.topk(x, 2, 0, largest=False), DISTINCT),
    case("topk-all-dim-2", lambda t, x: t.topk(x, 3, dim=-2), DISTINCT),
    case("topk-0", lambda t, x: t.topk(x, 0), DISTINCT),
    case("topk-ties", lambda t, x: t.topk(x, 3), TIES, VALUES_ONLY),
    case("topk-ties-smallest", lambda t, x: t.topk(x, 2, 0, False), TIES, VALUES_ONLY),
    case("topk-nan", lambda t, x: t.topk(x, 2), WITH_NAN, VALUES_ONLY),
    case("topk-0d", lambda t, x: t.topk(x[0, 1, 2], 1), DISTINCT),
    case("topk-empty", lambda t, x: t.topk(x[:0], 2), TIES),
    case("topk-unsorted", lambda t, x: t.topk(x, 3, sorted=False).values.sort().values, DISTINCT),
    case("topk-method", lambda t, x: x.topk(2, dim=1, largest=False), DISTINCT),
    # kthvalue
    case("kthvalue", lambda t, x: t.kthvalue(x, 2), DISTINCT),
    case("kthvalue-dim0-keepdim", lambda t, x: t.kthvalue(x, 2, 0, keepdim=True), DISTINCT),
    case("kthvalue-dim-2", lambda t, x: t.kthvalue(x, 3, -2), DISTINCT),
    case("kthvalue-ties", lambda t, x: t.kthvalue(x, 2), TIES, VALUES_ONLY),
    case("kthvalue-nan", lambda t, x: t.kthvalue(x, 3), WITH_NAN, VALUES_ONLY),
    case("kthvalue-0d-keepdim", lambda t, x: t.kthvalue(x[1, 2, 3], 1, keepdim=True), DISTINCT),
    case("kthvalue-method", lambda t, x: x.kthvalue(1, 0), DISTINCT),
    # median
    case("median-all-even", lambda t, x: t.median(x), DISTINCT),
    case("median-all-odd", lambda t, x: t.median(x[:, :, :3]), DISTINCT),
    case("median-all-ties", lambda t, x: t.median(x), TIES),
    case("median-all-nan", lambda t, x: t.median(x), WITH_NAN),
    case("median-all-0d", lambda t, x: t.median(x[0, 0]), TIES),
    case("median-all-empty", lambda t, x: t.median(x[:0]), DISTINCT),
    case("median-dim", lambda t, x: t.median(x, 1), DISTINCT),
    case("median-dim-keepdim", lambda t, x: t.median(x, -1, keepdim=True), DISTINCT),
    case("median-dim-ties", lambda t, x: t.median(x, 0), TIES, VALUES_ONLY),
    case("median-dim-nan", lambda t, x: t.median(x, 1), WITH_NAN, VALUES_ONLY),
    case("median-dim-0d", lambda t, x: t.median(x[1, 2, 0], 0), DISTINCT),
    case("median-dim-empty-rows", lambda t, x: t.median(x[:0], 1), TIES),
    case("median-method", lambda t, x: (x.median(), x.median(0, True)), DISTINCT),
    # cumsum / cumprod
    case("cumsum", lambda t, x: t.cumsum(x, 1), DISTINCT),
    case("cumsum-dim-1", lambda t, x: t.cumsum(x, -1), DISTINCT),
    case("cumsum-int64", lambda t, x: t.cumsum(x, 0), TIES),
    case("cumsum-int32", lambda t, x: t.cumsum(x.int(), 1), TIES),
    case("cumsum-bool", lambda t, x: t.cumsum(x > 1, 0), TIES),
    case("cumsum-uint8", lambda t, x: t.cumsum(x.to(t.uint8), 0), TIES),
    case("cumsum-dtype", lambda t, x: t.cumsum(x, 1, dtype=t.float64), TIES),
    case("cumsum-0d", lambda t, x: t.cumsum(x[0, 0, 0], 0), DISTINCT),
    case("cumsum-empty", lambda t, x: t.cumsum(x[:, :0], 1), DISTINCT),
    case("cumsum-method", lambda t, x: x.cumsum(dim=0), WITH_NAN),
    case("cumprod", lambda t, x: t.cumprod(x, 0), WITH_ZEROS),
    case("cumprod-int32", lambda t, x: t.cumprod(x.int(), -1), TIES),
    case("cumprod-bool", lambda t, x: t.cumprod(x > 0, 1), TIES),
    case("cumprod-dtype", lambda t, x: t.cumprod(x, 1, dtype=t.float32), TIES),
    case("cumprod-0d", lambda t, x: t.cumprod(x[0, 2], -1), WITH_ZEROS),
    case("cumprod-method", lambda t, x: x.cumprod(1), WITH_ZEROS),
    # unique
    case("unique", lambda t, x: t.unique(x), TIES),
    case("unique-unsorted-arg", lambda t, x: t.unique(x, sorted=False), TIES),
    case("unique-inverse", lambda t, x: t.unique(x, return_inverse=True), TIES),
    case("unique-counts", lambda t, x: t.unique(x, return_counts=True), TIES),
    case("unique-all", lambda t, x: t.unique(x, True, True, True), TIES),
    case("unique-float-nan", lambda t, x: t.unique(x, return_counts=True), WITH_NAN),
    case("unique-bool", lambda t, x: t.unique(x > 1, return_inverse=True), TIES),
    case("unique-0d", lambda t, x: t.unique(x[0, 0], return_inverse=True, return_counts=True),
         TIES),
    case("unique-empty", lambda t, x: t.unique(x[:0], return_inverse=True, return_counts=True),
         DISTINCT),
    case("unique-method", lambda t, x: x.unique(return_counts=True), TIES),
    # bincount
    case("bincount", lambda t, x: t.bincount(x.flatten()), TIES),
    case("bincount-minlength", lambda t, x: t.bincount(x[0], minlength=8), TIES),
    case("bincount-short-minlength", lambda t, x: t.bincount(x[1], minlength=2), TIES),
    case("bincount-int32-uint8",
         lambda t, x: (t.bincount(x[0].int()), t.bincount(x[1].to(t.uint8))), TIES),
    case("bincount-float32-weights", lambda t, x: t.bincount(x[0], x[1].float() / 3), TIES),
    case("bincount-float64-weights", lambda t, x: t.bincount(x[0], x[1].double() / 3, 7), TIES),
    case("bincount-int-weights", lambda t, x: t.bincount(x[0], weights=x[1]), TIES),
    case("bincount-empty", lambda t, x: (t.bincount(x[0, :0]), t.bincount(x[0, :0], minlength=3)),
         TIES),
    case("bincount-method", lambda t, x: x[2].bincount(minlength=4), TIES),
    # nonzero / count_nonzero
    case("nonzero", lambda t, x: t.nonzero(x), TIES),
    case("nonzero-as-tuple", lambda t, x: t.nonzero(x, as_tuple=True), WITH_ZEROS),
    case("nonzero-bool-3d", lambda t, x: t.nonzero(x > 0), DISTINCT),
    case("nonzero-0d", lambda t, x: (t.nonzero(x[0, 0]), t.nonzero(x[1, 0])), TIES),
    case("nonzero-0d-as-tuple", lambda t, x: t.nonzero(x[0, 0], as_tuple=True), TIES),
    case("nonzero-empty", lambda t, x: t.nonzero(x[:0]), TIES),
    case("nonzero-method", lambda t, x: x.nonzero(as_tuple=True), TIES),
    case("count_nonzero", lambda t, x: t.count_nonzero(x), TIES),
    case("count_nonzero-dim", lambda t, x: t.count_nonzero(x, 1), WITH_ZEROS),
    case("count_nonzero-dims", lambda t, x: t.count_nonzero(x > 0, dim=(0, -1)), DISTINCT),
    case("count_nonzero-0d", lambda t, x: t.count_nonzero(x[0, 1], dim=0), TIES),
    case("count_nonzero-method", lambda t, x: x.count_nonzero(-2), TIES),
]  # fmt: skip


@pytest.mark.parametrize(("expression", "array", "compare"), ORACLE)
def test_matches_torch(torch, expression, array, compare):
    ours, theirs = run(sd, expression, array), run(torch, expression, array)
    assert_matches(ours, theirs, compare_indices=compare is True)


ERRORS = [
    case("topk-k-too-large", lambda t, x: t.topk(x, 5), TIES, "selected index k out of range"),
    case("topk-k-negative", lambda t, x: t.topk(x, -1, 0), TIES, "selected index k out of range"),
    case("topk-bool", lambda t, x: t.topk(x > 1, 1), TIES, "bool"),
    case("kthvalue-k-0", lambda t, x: t.kthvalue(x, 0), TIES, "k out of range"),
    case("kthvalue-k-too-large", lambda t, x: t.kthvalue(x, 4, 0), TIES, "k out of range"),
    case("kthvalue-empty-dim", lambda t, x: t.kthvalue(x[:, :0], 1), TIES, "non-zero size"),
    case("kthvalue-bool", lambda t, x: t.kthvalue(x > 1, 1), TIES, "bool"),
    case("median-empty-dim", lambda t, x: t.median(x[:0], 0), TIES, "non-zero size"),
    case("median-bool", lambda t, x: t.median(x > 1), TIES, "bool"),
    case("sort-dim-out-of-range", lambda t, x: t.sort(x[0, 0], 1), TIES, "out of range"),
    case("argsort-dim-out-of-range", lambda t, x: t.argsort(x, -3), TIES, "out of range"),
    case("cumsum-dim-out-of-range", lambda t, x: t.cumsum(x, 2), TIES, "out of range"),
    case("bincount-negative", lambda t, x: t.bincount(x[0] - 2), TIES, "non-negative"),
    case("bincount-2d", lambda t, x: t.bincount(x), TIES, "1-d"),
    case("bincount-float", lambda t, x: t.bincount(x[0].double()), TIES, "float64"),
    case("bincount-weights", lambda t, x: t.bincount(x[0], x[1, :2].double()), TIES, "weights"),
    case("bincount-minlength", lambda t, x: t.bincount(x[0], minlength=-1), TIES, "minlength"),
    case("count_nonzero-repeated", lambda t, x: t.count_nonzero(x, (1, -1)), TIES,
         "more than once"),
    case("count_nonzero-out-of-range", lambda t, x: t.count_nonzero(x, 2), TIES, "out of range"),
]  # fmt: skip


@pytest.mark.parametrize(("expression", "array", "message"), ERRORS)
def test_errors_as_torch_raises_them(torch, expression, array, message):
    with pytest.raises(Exception) as theirs:
        run(torch, expression, array)
    with pytest.raises(theirs.type, match=message):
        run(sd, expression, array)


def test_unsupported_arguments_are_named():
    with pytest.raises(NotImplementedError, match="unique: dim=0"):
        sd.unique(sd.tensor(TIES), dim=0)
    with pytest.raises(TypeError, match="median: keepdim=True needs dim"):
        sd.median(sd.tensor(DISTINCT), keepdim=True)


GRADIENT_CASES = [
    pytest.param(lambda x: F.sort(x).values, DISTINCT, id="sort"),
    pytest.param(lambda x: F.sort(x, 0, descending=True).values, DISTINCT, id="sort-dim0-desc"),
    pytest.param(lambda x: F.sort(x[0, 0, 0]).values, DISTINCT, id="sort-0d"),
    pytest.param(lambda x: F.topk(x, 2, 1).values, DISTINCT, id="topk"),
    pytest.param(lambda x: F.topk(x, 3, -1, largest=False).values, DISTINCT, id="topk-smallest"),
    pytest.param(lambda x: F.kthvalue(x, 2, 0).values, DISTINCT, id="kthvalue"),
    pytest.param(lambda x: F.kthvalue(x, 3, keepdim=True).values, DISTINCT, id="kthvalue-keepdim"),
    pytest.param(lambda x: F.median(x), DISTINCT, id="median-all"),
    pytest.param(lambda x: F.median(x[:, :, :3]), DISTINCT, id="median-all-odd"),
    pytest.param(lambda x: F.median(x, 1).values, DISTINCT, id="median-dim"),
    pytest.param(lambda x: F.median(x, -1, True).values, DISTINCT, id="median-dim-keepdim"),
    pytest.param(lambda x: F.cumsum(x, 1), DISTINCT, id="cumsum"),
    pytest.param(lambda x: F.cumsum(x, -1), DISTINCT, id="cumsum-dim-1"),
    pytest.param(lambda x: F.cumsum(x[0, 0, 0], 0), DISTINCT, id="cumsum-0d"),
    pytest.param(lambda x: F.cumprod(x, 2) / 50, DISTINCT, id="cumprod-3d"),
    pytest.param(lambda x: F.cumprod(x, -1), WITH_ZEROS[2:], id="cumprod-no-zeros"),
    pytest.param(lambda x: F.cumprod(x, -1), WITH_ZEROS, id="cumprod-zeros"),
    pytest.param(lambda x: F.cumprod(x, 0), WITH_ZEROS, id="cumprod-zeros-dim0"),
    pytest.param(lambda x: F.cumprod(x[0, 1], 0), WITH_ZEROS, id="cumprod-0d-zero"),
]


@pytest.mark.parametrize(("function", "array"), GRADIENT_CASES)
def test_gradcheck(function, array):
    assert gradcheck(function, [array.astype(np.float64)])


FIRST_DERIVATIVES = [
    pytest.param(lambda t, x: t.sort(x, dim=1, stable=True).values, TIES, id="sort-ties"),
    pytest.param(lambda t, x: t.sort(x, dim=0, descending=True, stable=True).values, WITH_NAN,
                 id="sort-nan"),
    pytest.param(lambda t, x: t.topk(x, 2, dim=0).values, DISTINCT, id="topk"),
    pytest.param(lambda t, x: t.kthvalue(x, 3, -1, True).values, DISTINCT, id="kthvalue"),
    pytest.param(lambda t, x: t.median(x), TIES, id="median-all-ties-share"),
    pytest.param(lambda t, x: t.median(x), WITH_NAN, id="median-all-nans-share"),
    pytest.param(lambda t, x: t.median(x, 0).values, DISTINCT, id="median-dim"),
    pytest.param(lambda t, x: t.cumsum(x, 0), WITH_ZEROS, id="cumsum"),
    pytest.param(lambda t, x: t.cumprod(x, 1), WITH_ZEROS, id="cumprod-zeros"),
    pytest.param(lambda t, x: t.cumprod(x, 0), WITH_ZEROS, id="cumprod-zeros-dim0"),
]  # fmt: skip
SECOND_DERIVATIVES = [
    pytest.param(lambda t, x: t.sort(x * x, dim=1).values ** 3, DISTINCT, id="sort"),
    pytest.param(lambda t, x: t.topk(x, 2, dim=0).values ** 3, DISTINCT, id="topk"),
    pytest.param(lambda t, x: t.cumsum(x, 0) * t.cumsum(x, 1), WITH_ZEROS, id="cumsum"),
    pytest.param(lambda t, x: t.cumprod(x, 1), WITH_ZEROS, id="cumprod-zeros"),
    pytest.param(lambda t, x: t.cumprod(x, 0), WITH_ZEROS, id="cumprod-zeros-dim0"),
    pytest.param(lambda t, x: t.cumprod(x * x, 1) + t.cumprod(x, 1) ** 2, WITH_ZEROS,
                 id="cumprod-composed"),
]  # fmt: skip


def gradient(library, expression, array, create_graph):
    """∂L/∂x for L = Σ w · expression(x) with fixed weights w; with ``create_graph``, the
    second-order d/dx of ‖∂L/∂x‖² instead."""
    weights = np.random.default_rng(1).uniform(0.5, 1.5, np.shape(run(sd, expression, array)))
    x = (sd.tensor if library is sd else library.tensor)(array.astype(np.float64))
    x.requires_grad_()
    loss = (expression(library, x) * library.tensor(weights)).sum()
    (gx,) = library.autograd.grad(loss, x, create_graph=create_graph)
    if create_graph:
        (gx,) = library.autograd.grad((gx * gx).sum(), x)
    return gx.detach().numpy()


@pytest.mark.parametrize(("expression", "array"), FIRST_DERIVATIVES)
def test_gradients_match_torch(torch, expression, array):
    ours, theirs = (gradient(library, expression, array, False) for library in (sd, torch))
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("expression", "array"), SECOND_DERIVATIVES)
def test_second_derivatives_match_torch(torch, expression, array):
    ours, theirs = (gradient(library, expression, array, True) for library in (sd, torch))
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


def test_float32_stays_float32():
    x = sd.tensor(DISTINCT.astype(np.float32), requires_grad=True)
    results = [F.sort(x).values, F.topk(x, 2).values, F.kthvalue(x, 1).values, F.median(x),
               F.median(x, 0).values, F.cumsum(x, 1), F.cumprod(x, 1)]  # fmt: skip
    assert all(y.dtype == sd.float32 for y in results)
    sum(y.sum() for y in results).backward()
    assert x.grad.dtype == sd.float32


def test_top_level_and_functional_names_are_the_same():
    for name in ["sort", "argsort", "topk", "kthvalue", "median", "cumsum", "cumprod",
                 "unique", "bincount", "nonzero", "count_nonzero"]:  # fmt: skip
        assert getattr(sd, name) is getattr(F, name) and name in sd.__all__


@pytest.mark.host  # compares printed text, which names a device other than the CPU
@pytest.mark.parametrize(
    "call",
    [
        lambda t, m: t.max(dim=1),
        lambda t, m: m.min(t, dim=0, keepdim=True),
        lambda t, m: t.sort(dim=1, descending=True),
        lambda t, m: m.topk(t, 1),
        lambda t, m: t.kthvalue(2, dim=0),
        lambda t, m: t.median(dim=1),
    ],
)
def test_named_tuples_are_torchs_return_types(torch, call):
    values = [[1.0, 3.0], [4.0, 2.0]]
    ours, theirs = call(sd.tensor(values), sd), call(torch.tensor(values), torch)
    assert type(ours).__name__ == type(theirs).__name__
    assert repr(ours) == repr(theirs).replace("torch.return_types.", "scratchdl.return_types.")
    values_, indices = ours
    assert values_ is ours.values is ours[0] and indices is ours.indices is ours[1]
    assert isinstance(ours, sd.return_types.ValuesIndices) and isinstance(ours, tuple)
