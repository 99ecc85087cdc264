"""normal, bernoulli, bernoulli_, multinomial: shapes, dtypes and errors against torch;
seeded repeats; distributions checked with fixed seeds and tolerances of many standard
errors (a fixed seed makes each check deterministic, the width makes it robust to a change
of generator)."""

import numpy as np
import pytest

import scratchdl as sd


def same_kind(ours, theirs):
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    assert tuple(ours.shape) == tuple(theirs.shape)


# ------------------------------------------------------------------------ normal
NORMAL = {
    "tensor-tensor": lambda lib: lib.normal(lib.zeros(2, 1), lib.ones(3)),
    "tensor-float": lambda lib: lib.normal(lib.zeros(4, dtype=lib.float64), 2.0),
    "tensor-default-std": lambda lib: lib.normal(lib.zeros(3)),
    "float-tensor": lambda lib: lib.normal(1.0, lib.ones(2, 2)),
    "floats-size": lambda lib: lib.normal(0.0, 1.0, (2, 3)),
    "ints-size-kw": lambda lib: lib.normal(2, 3, size=(4,)),
    "floats-dtype": lambda lib: lib.normal(0.0, 1.0, (2,), dtype=lib.float64),
    "promoted": lambda lib: lib.normal(lib.zeros(2, dtype=lib.float64), lib.ones(2)),
    "int-std": lambda lib: lib.normal(lib.zeros(2), lib.ones(2, dtype=lib.int64)),
}


@pytest.mark.parametrize("name", NORMAL)
def test_normal_shapes_and_dtypes_follow_torch(torch, name):
    same_kind(NORMAL[name](sd), NORMAL[name](torch))


NORMAL_ERRORS = {
    "negative-std": (lambda lib: lib.normal(lib.zeros(2), -1.0), RuntimeError),
    "negative-std-size": (lambda lib: lib.normal(0.0, -1.0, (2,)), RuntimeError),
    "negative-std-tensor": (lambda lib: lib.normal(0.0, -lib.ones(2)), RuntimeError),
    "no-size": (lambda lib: lib.normal(0.0, 1.0), TypeError),
    "integer-mean": (
        lambda lib: lib.normal(lib.zeros(2, dtype=lib.int64), 1.0),
        NotImplementedError,
    ),
    "no-broadcast": (lambda lib: lib.normal(lib.zeros(2), lib.ones(3)), RuntimeError),
}


@pytest.mark.parametrize("name", NORMAL_ERRORS)
def test_normal_errors_follow_torch(torch, name):
    call, error = NORMAL_ERRORS[name]
    with pytest.raises(error):
        call(torch)
    with pytest.raises(error):
        call(sd)


def test_normal_moments_and_broadcasting():
    mean = sd.tensor([[-3.0], [5.0]], dtype=sd.float64)
    std = sd.tensor([0.5, 2.0, 4.0], dtype=sd.float64)
    draws = sd.stack([sd.normal(mean, std) for _ in range(4000)]).numpy()
    n = draws.shape[0]
    expected_mean = np.broadcast_to(mean.numpy(), (2, 3))
    expected_std = np.broadcast_to(std.numpy(), (2, 3))
    assert np.all(np.abs(draws.mean(0) - expected_mean) < 6 * expected_std / np.sqrt(n))
    assert np.all(np.abs(draws.std(0) / expected_std - 1) < 6 / np.sqrt(2 * n))


def test_normal_is_seeded_and_takes_a_generator():
    sd.manual_seed(3)
    first = sd.normal(sd.zeros(5), 1.0)
    sd.manual_seed(3)
    assert sd.normal(sd.zeros(5), 1.0).tolist() == first.tolist()
    a = sd.normal(0.0, 1.0, (5,), generator=sd.Generator().manual_seed(7))
    b = sd.normal(0.0, 1.0, (5,), generator=sd.Generator().manual_seed(7))
    assert a.tolist() == b.tolist()


def test_normal_is_recorded_with_a_zero_gradient_as_in_torch(torch):
    for lib in (sd, torch):
        mean = lib.zeros(2, 1, requires_grad=True)
        std = lib.ones(3, requires_grad=True)
        lib.normal(mean, std).sum().backward()
        assert mean.grad.tolist() == [[0.0], [0.0]] and std.grad.tolist() == [0.0, 0.0, 0.0]


# --------------------------------------------------------------------- bernoulli
BERNOULLI = {
    "float32": lambda lib: lib.bernoulli(lib.full((3, 2), 0.5)),
    "float64": lambda lib: lib.bernoulli(lib.full((3,), 0.5, dtype=lib.float64)),
    "p": lambda lib: lib.bernoulli(lib.zeros(4), 0.5),
    "method": lambda lib: lib.full((2,), 0.5).bernoulli(),
    "inplace-int": lambda lib: lib.zeros(3, dtype=lib.int64).bernoulli_(),
    "inplace-bool": lambda lib: lib.zeros(3, dtype=lib.bool).bernoulli_(0.5),
    "inplace-tensor-p": lambda lib: lib.zeros(2, 3).bernoulli_(lib.full((3,), 0.5)),
}


@pytest.mark.parametrize("name", BERNOULLI)
def test_bernoulli_shapes_and_dtypes_follow_torch(torch, name):
    ours = BERNOULLI[name](sd)
    same_kind(ours, BERNOULLI[name](torch))
    assert set(np.unique(ours.numpy()).tolist()) <= {0, 1}


BERNOULLI_ERRORS = {
    "integer": (lambda lib: lib.bernoulli(lib.ones(3, dtype=lib.int64)), NotImplementedError),
    "bool": (lambda lib: lib.bernoulli(lib.ones(3, dtype=lib.bool)), NotImplementedError),
    "above-one": (lambda lib: lib.bernoulli(lib.full((3,), 1.5)), RuntimeError),
    "p-above-one": (lambda lib: lib.bernoulli(lib.zeros(3), p=1.5), RuntimeError),
    "inplace-p": (lambda lib: lib.zeros(3).bernoulli_(-0.5), RuntimeError),
    "inplace-leaf": (lambda lib: lib.zeros(3, requires_grad=True).bernoulli_(), RuntimeError),
}


@pytest.mark.parametrize("name", BERNOULLI_ERRORS)
def test_bernoulli_errors_follow_torch(torch, name):
    call, error = BERNOULLI_ERRORS[name]
    with pytest.raises(error):
        call(torch)
    with pytest.raises(error):
        call(sd)


def test_bernoulli_frequencies_follow_the_probabilities():
    p = sd.tensor([0.0, 0.1, 0.5, 0.9, 1.0], dtype=sd.float64)
    n = 20000
    frequency = sd.bernoulli(p.expand(n, 5)).numpy().mean(0)
    bound = 6 * np.sqrt(0.25 / n)
    assert frequency[0] == 0.0 and frequency[-1] == 1.0
    assert np.all(np.abs(frequency - p.numpy()) < bound)
    t = sd.zeros(n)
    version = t._version
    assert abs(t.bernoulli_(0.3).numpy().mean() - 0.3) < bound and t._version == version + 1


def test_bernoulli_is_seeded_and_recorded_with_a_zero_gradient(torch):
    p = sd.full((6,), 0.5, requires_grad=True)
    sd.manual_seed(1)
    first = sd.bernoulli(p)
    sd.manual_seed(1)
    assert sd.bernoulli(p).tolist() == first.tolist()
    first.sum().backward()
    assert p.grad.tolist() == [0.0] * 6


# ------------------------------------------------------------------- multinomial
MULTINOMIAL = {
    "1d": lambda lib: lib.multinomial(lib.tensor([0.0, 1.0, 2.0]), 2),
    "1d-all": lambda lib: lib.multinomial(lib.tensor([0.0, 1.0, 2.0]), 3),
    "1d-replacement": lambda lib: lib.multinomial(lib.tensor([0.0, 1.0, 2.0]), 5, True),
    "2d": lambda lib: lib.multinomial(lib.ones(4, 3, dtype=lib.float64), 2),
    "2d-replacement": lambda lib: lib.ones(4, 3).multinomial(7, replacement=True),
}


@pytest.mark.parametrize("name", MULTINOMIAL)
def test_multinomial_shapes_and_dtypes_follow_torch(torch, name):
    same_kind(MULTINOMIAL[name](sd), MULTINOMIAL[name](torch))


MULTINOMIAL_ERRORS = {
    "too-many": lambda lib: lib.multinomial(lib.tensor([0.0, 1.0, 2.0]), 4),
    "negative": lambda lib: lib.multinomial(lib.tensor([0.0, -1.0, 2.0]), 1),
    "inf": lambda lib: lib.multinomial(lib.tensor([1.0, float("inf")]), 1),
    "nan": lambda lib: lib.multinomial(lib.tensor([1.0, float("nan")]), 1, True),
    "zero-row": lambda lib: lib.multinomial(lib.tensor([[0.0, 0.0], [1.0, 1.0]]), 1),
    "integer": lambda lib: lib.multinomial(lib.tensor([1, 2]), 1),
    "3d": lambda lib: lib.multinomial(lib.ones(2, 2, 2), 1),
    "0d": lambda lib: lib.multinomial(lib.tensor(1.0), 1),
    "zero-samples": lambda lib: lib.multinomial(lib.ones(2), 0),
}


@pytest.mark.parametrize("name", MULTINOMIAL_ERRORS)
def test_multinomial_errors_follow_torch(torch, name):
    with pytest.raises(RuntimeError):
        MULTINOMIAL_ERRORS[name](torch)
    with pytest.raises(RuntimeError, match="multinomial"):
        MULTINOMIAL_ERRORS[name](sd)


def test_multinomial_with_replacement_follows_the_weights():
    weights = sd.tensor([[0.0, 1.0, 3.0, 0.0, 4.0], [5.0, 0.0, 0.0, 0.0, 0.0]])
    n = 20000
    samples = sd.multinomial(weights, n, replacement=True).numpy()
    counts = np.stack([np.bincount(row, minlength=5) for row in samples]) / n
    expected = weights.numpy() / weights.numpy().sum(1, keepdims=True)
    assert np.all(np.abs(counts - expected) < 6 * np.sqrt(0.25 / n))
    assert counts[0, 0] == counts[0, 3] == 0 and counts[1, 0] == 1


def test_multinomial_without_replacement_draws_distinct_in_proportion():
    weights = sd.tensor([1.0, 2.0, 0.0, 7.0])
    firsts = sd.multinomial(weights.expand(20000, 4), 3).numpy()
    assert all(len(set(row)) == 3 for row in firsts[:500].tolist())
    assert not (firsts == 2).any()  # weight 0: only once every other is drawn
    frequency = np.bincount(firsts[:, 0], minlength=4) / len(firsts)
    assert np.all(np.abs(frequency - [0.1, 0.2, 0.0, 0.7]) < 6 * np.sqrt(0.25 / len(firsts)))
    # the second draw of successive sampling: P(1 second) = Σ_{i≠1} p_i · p_1 / (1 − p_i)
    second_is_1 = np.mean(firsts[:, 1] == 1)
    expected = 0.1 * 0.2 / 0.9 + 0.7 * 0.2 / 0.3
    assert abs(second_is_1 - expected) < 6 * np.sqrt(0.25 / len(firsts))
    assert sorted(sd.multinomial(weights, 4).tolist()) == [0, 1, 2, 3]


def test_multinomial_is_seeded_and_takes_a_generator():
    weights = sd.ones(3, 10)
    sd.manual_seed(5)
    first = sd.multinomial(weights, 4)
    sd.manual_seed(5)
    assert sd.multinomial(weights, 4).tolist() == first.tolist()
    g = sd.Generator().manual_seed(2)
    a = sd.multinomial(weights, 4, True, generator=g)
    g.manual_seed(2)
    assert sd.multinomial(weights, 4, True, generator=g).tolist() == a.tolist()
