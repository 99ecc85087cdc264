"""log1p, expm1, trunc/fix, frac, fmod, remainder, floor_divide, nan_to_num, lerp, addcmul,
addcdiv, logaddexp, hypot: float64 gradient checks, values and gradients against torch,
torch's dtype rules for integer and bool inputs, and its errors."""

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.functional as F
from scratchdl.autograd import gradcheck
from tests.functional.cases import Case, away_from_zero, positive


def smooth_quotients(r, *shape):
    """(a, b) with a / b at least 0.05 from an integer, so remainder and fmod are smooth."""
    b = r.uniform(1.0, 1.05, shape[-1:]) * r.choice([-1.0, 1.0], shape[-1:])
    a = r.uniform(2.2, 2.8, shape) * r.choice([-1.0, 1.0], shape)
    return [a, b]


def off_integers(r, *shape):
    return r.uniform(0.1, 0.9, shape) + r.integers(-3, 3, shape)


z, p = away_from_zero, positive
CASES = [
    Case("log1p", F.log1p, lambda a: a.log1p(), lambda r: [p(r, 3, 2) - 0.4]),
    Case("expm1", F.expm1, lambda a: a.expm1(), lambda r: [z(r, 3, 2)]),
    Case("trunc", F.trunc, lambda a: a.trunc(), lambda r: [off_integers(r, 3, 2)]),
    Case("frac", F.frac, lambda a: a.frac(), lambda r: [off_integers(r, 3, 2)]),
    Case("remainder-bcast", F.remainder, lambda a, b: a % b, lambda r: smooth_quotients(r, 3, 4)),
    Case("fmod-bcast", F.fmod, lambda a, b: a.fmod(b), lambda r: smooth_quotients(r, 3, 4)),
    Case("fmod-scalar", lambda a: F.fmod(a, 0.7), lambda a: a.fmod(0.7), lambda r: [z(r, 5)]),
    Case("nan_to_num", F.nan_to_num, lambda a: a.nan_to_num(), lambda r: [z(r, 3, 2)]),
    Case(
        "lerp-scalar",
        lambda a, b: F.lerp(a, b, 0.3),
        lambda a, b: a.lerp(b, 0.3),
        lambda r: [z(r, 3, 4), z(r, 4)],
    ),
    Case(
        "lerp-tensor",
        F.lerp,
        lambda a, b, w: a.lerp(b, w),
        lambda r: [z(r, 3, 1), z(r, 4), z(r, 3, 4)],
    ),
    Case(
        "addcmul-bcast",
        lambda a, b, c: F.addcmul(a, b, c, value=-1.5),
        lambda a, b, c: a.addcmul(b, c, value=-1.5),
        lambda r: [z(r, 3, 1), z(r, 4), z(r, 3, 4)],
    ),
    Case(
        "addcdiv-bcast",
        lambda a, b, c: F.addcdiv(a, b, c, value=0.5),
        lambda a, b, c: a.addcdiv(b, c, value=0.5),
        lambda r: [z(r, 4), z(r, 3, 4), p(r, 3, 1)],
    ),
    Case(
        "logaddexp-bcast",
        F.logaddexp,
        lambda a, b: a.logaddexp(b),
        lambda r: [z(r, 3, 4) * 20, z(r, 4)],
    ),
    Case("hypot-bcast", F.hypot, lambda a, b: a.hypot(b), lambda r: [z(r, 3, 1), z(r, 4)]),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_gradcheck(case):
    assert gradcheck(case.ours, case.make_inputs(np.random.default_rng(0)))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_values_and_gradients_match_torch(case, torch):
    inputs = case.make_inputs(np.random.default_rng(0))
    ours = [sd.tensor(x, requires_grad=True) for x in inputs]
    theirs = [torch.tensor(x, requires_grad=True) for x in inputs]
    y, y_ref = case.ours(*ours), case.theirs(*theirs)
    np.testing.assert_allclose(y.numpy(), y_ref.detach().numpy(), rtol=1e-10, atol=1e-12)
    weights = np.random.default_rng(1).uniform(0.5, 1.5, y.shape)
    (y * sd.tensor(weights)).sum().backward()
    (y_ref * torch.from_numpy(weights)).sum().backward()
    for mine, reference in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(mine.grad.numpy(), reference.grad.numpy(), rtol=1e-9, atol=1e-12)


def agree(ours, theirs, torch, *arrays):
    """``ours`` and ``theirs`` applied to the same arrays give the same values, dtype and
    shape, or both raise (ours an exception of torch's type)."""
    try:
        expected = theirs(*[torch.from_numpy(a.copy()) for a in arrays])
    except Exception as error:
        with pytest.raises(type(error)):
            ours(*[sd.tensor(a) for a in arrays])
        return
    result = ours(*[sd.tensor(a) for a in arrays])
    assert str(result.dtype) == str(expected.dtype).removeprefix("torch.")
    assert tuple(result.shape) == tuple(expected.shape)
    np.testing.assert_allclose(result.numpy(), expected.numpy(), rtol=1e-6, equal_nan=True)


DTYPES = ["bool", "int32", "int64", "float32", "float64"]


def sample(dtype, shape=(2, 3), seed=0):
    rng = np.random.default_rng(seed)
    values = rng.integers(1, 5, shape) * rng.choice([-1, 1], shape)
    if dtype == "bool":
        values = values > 0
    return values.astype(dtype) / (1 if dtype[0] != "f" else 3)


UNARY = {
    "log1p": lambda x: x.log1p(),
    "expm1": lambda x: x.expm1(),
    "trunc": lambda x: x.trunc(),
    "fix": lambda x: x.fix(),
    "frac": lambda x: x.frac(),
    "nan_to_num": lambda x: x.nan_to_num(nan=1.0, posinf=2.0),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", UNARY)
def test_unary_dtypes_follow_torch(torch, name, dtype):
    agree(UNARY[name], UNARY[name], torch, sample(dtype))
    agree(getattr(sd, name), getattr(torch, name), torch, sample(dtype))


BINARY = {
    "fmod": lambda a, b: a.fmod(b),
    "remainder": lambda a, b: a.remainder(b),
    "mod": lambda a, b: a % b,
    "floor_divide": lambda a, b: a.floor_divide(b),
    "logaddexp": lambda a, b: a.logaddexp(b),
    "hypot": lambda a, b: a.hypot(b),
    "addcmul": lambda a, b: a.addcmul(b, b, value=2),
    "addcdiv": lambda a, b: a.addcdiv(b, b, value=2),
    "lerp": lambda a, b: a.lerp(b, 0.25),
}


@pytest.mark.parametrize("right", DTYPES)
@pytest.mark.parametrize("left", DTYPES)
@pytest.mark.parametrize("name", BINARY)
def test_binary_dtypes_and_broadcasting_follow_torch(torch, name, left, right):
    agree(BINARY[name], BINARY[name], torch, sample(left), sample(right, (3,), seed=1))


@pytest.mark.parametrize("number", [2, -3, 2.5, -0.75])
@pytest.mark.parametrize("dtype", ["int64", "float32"])
def test_remainder_with_numbers_has_pythons_sign(torch, dtype, number):
    agree(lambda a: a % number, lambda a: a % number, torch, sample(dtype))
    agree(lambda a: number % a, lambda a: number % a, torch, sample(dtype))
    agree(lambda a: sd.fmod(a, number), lambda a: torch.fmod(a, number), torch, sample(dtype))
    values = sample(dtype).ravel().tolist()
    np.testing.assert_allclose((sd.tensor(values) % number).tolist(), [v % number for v in values])


def test_nan_to_num_replaces_as_torch(torch):
    array = np.array([np.nan, np.inf, -np.inf, 1.5], dtype=np.float32)
    for options in [{}, {"nan": 2.0}, {"posinf": 9.0, "neginf": -9.0}]:
        ours = sd.nan_to_num(sd.tensor(array), **options)
        assert ours.tolist() == torch.nan_to_num(torch.from_numpy(array), **options).tolist()


def test_nan_to_num_gradient_is_zero_where_not_finite(torch):
    x = sd.tensor([np.nan, np.inf, 1.0, -np.inf], requires_grad=True)
    sd.nan_to_num(x).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0, 0.0]


@pytest.mark.parametrize("name", ["remainder", "fmod", "floor_divide"])
def test_integer_division_by_zero_raises(torch, name):
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        getattr(torch, name)(torch.tensor([3, 4]), 0)
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        getattr(sd, name)(sd.tensor([3, 4]), sd.tensor([1, 0]))


def test_float_remainder_by_zero_is_nan(torch):
    agree(lambda a: a % 0.0, lambda a: a % 0.0, torch, np.array([1.0, -2.0], np.float32))


def test_lerp_weight_dtypes_and_errors_follow_torch(torch):
    x, end = np.array([1.0, -2.0], np.float32), np.array([3.0, 4.0], np.float32)
    double_0d, double_1d = np.array(0.25), np.array([0.25, 0.5])
    agree(lambda a, b, w: a.lerp(b, w), lambda a, b, w: a.lerp(b, w), torch, x, end, double_0d)
    agree(lambda a, b, w: a.lerp(b, w), lambda a, b, w: a.lerp(b, w), torch, x, end, double_1d)
    agree(lambda a, b: a.lerp(b, 0.5), lambda a, b: a.lerp(b, 0.5), torch, x, end.astype("f8"))
    with pytest.raises(TypeError, match="lerp: argument 'end' must be a Tensor"):
        sd.lerp(sd.tensor(x), 2.0, 0.5)


def test_tensor_arguments_are_required_as_in_torch(torch):
    x = sd.tensor([1.0, 2.0])
    for call in [
        lambda: sd.addcmul(x, 2.0, x),
        lambda: sd.addcdiv(x, x, 2.0),
        lambda: sd.logaddexp(x, 1.0),
        lambda: sd.hypot(x, 2),
    ]:
        with pytest.raises(TypeError, match="must be a Tensor"):
            call()
    with pytest.raises(TypeError):
        torch.hypot(torch.tensor([1.0]), 2)


def test_addcmul_value_and_addcdiv_integer_error_follow_torch(torch):
    i = np.array([3, -4])
    agree(lambda a: a.addcmul(a, a, value=0.5), lambda a: a.addcmul(a, a, value=0.5), torch, i)
    agree(lambda a: a.addcmul(a, a, value=3), lambda a: a.addcmul(a, a, value=3), torch, i)
    with pytest.raises(RuntimeError, match="addcdiv: integer division"):
        sd.addcdiv(sd.tensor([1.0]), sd.tensor([1]), sd.tensor([2]))


def test_trunc_and_rounding_gradients_are_zero_as_in_torch(torch):
    x = sd.tensor([1.5, -2.5], requires_grad=True)
    (sd.trunc(x) + sd.fix(x)).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]


def test_logaddexp_and_hypot_do_not_overflow(torch):
    big = np.array([1000.0, -1000.0, 1e200])
    agree(sd.logaddexp, torch.logaddexp, torch, big, big)
    agree(sd.hypot, torch.hypot, torch, big, big)


@pytest.mark.parametrize("ufunc", ["log1p", "expm1", "trunc"])
def test_numpy_ufuncs_keep_the_graph(ufunc):
    x = sd.tensor([0.5, 1.5], requires_grad=True)
    y = getattr(np, ufunc)(x)
    assert isinstance(y, sd.Tensor) and y.requires_grad
    assert y.tolist() == getattr(sd, ufunc)(x).tolist()
