"""scratchdl.info: self-information, entropy, cross-entropy and KL divergence."""

from __future__ import annotations

import math

import numpy as np
import pytest

import scratchdl as sd
from scratchdl.autograd import gradcheck
from scratchdl.info import cross_entropy, entropy, kl_divergence, self_information

# A yut stick throw: do, gae, geol, yut, mo.
YUT = {"do": 4 / 16, "gae": 6 / 16, "geol": 4 / 16, "yut": 1 / 16, "mo": 1 / 16}
YUT_P = list(YUT.values())
P = [0.1, 0.2, 0.3, 0.4]
Q = [0.25, 0.25, 0.25, 0.25]
R = [0.7, 0.1, 0.1, 0.1]

# Each quantity's sum constraint is checked, so gradchecks perturb by less than its
# 1e-6 tolerance.
GRADCHECK_EPS = 1e-7


# ------------------------------------------------------------------ self-information
@pytest.mark.parametrize(
    ("outcome", "bits"),
    [("do", 2.0), ("gae", math.log2(16 / 6)), ("geol", 2.0), ("yut", 4.0), ("mo", 4.0)],
)
def test_self_information_of_a_yut_throw(outcome, bits):
    assert self_information(YUT[outcome]) == pytest.approx(bits, abs=1e-12)


def test_self_information_of_gae_is_about_1_415_bits():
    assert round(self_information(YUT["gae"]), 3) == 1.415


def test_self_information_of_an_array_is_elementwise():
    result = self_information(np.array(YUT_P))
    assert isinstance(result, np.ndarray)
    np.testing.assert_allclose(result, [2, math.log2(16 / 6), 2, 4, 4])


def test_self_information_of_certainty_is_zero():
    assert self_information(1.0) == 0.0


def test_self_information_of_a_tensor_is_differentiable():
    p = sd.tensor(np.array([0.25, 0.5]), requires_grad=True)
    self_information(p, base="e").sum().backward()
    np.testing.assert_allclose(p.grad.numpy(), [-4.0, -2.0])  # d(−ln p)/dp = −1/p


# ------------------------------------------------------------------------- entropy
def test_entropy_of_a_yut_throw():
    exact = -sum(p * math.log2(p) for p in YUT_P)
    assert entropy(YUT_P) == pytest.approx(exact, abs=1e-12)
    assert round(entropy(YUT_P), 4) == 2.0306


def test_entropy_of_a_fair_die_is_log2_6():
    assert entropy([1 / 6] * 6) == pytest.approx(math.log2(6), abs=1e-12)
    assert round(entropy([1 / 6] * 6), 3) == 2.585


def test_entropy_of_a_fair_coin_is_one_bit_and_a_certain_event_none():
    assert entropy([0.5, 0.5]) == pytest.approx(1.0)
    assert entropy([0.0, 1.0, 0.0]) == 0.0


def test_entropy_treats_zero_probabilities_as_absent():
    assert entropy([0.5, 0.0, 0.5]) == pytest.approx(entropy([0.5, 0.5]))


def test_nats_and_bits_differ_by_a_factor_of_ln_2():
    nats, bits = entropy(YUT_P, base="e"), entropy(YUT_P, base=2)
    assert nats / bits == pytest.approx(math.log(2))
    assert entropy(YUT_P, base=math.e) == pytest.approx(nats)


def test_any_positive_base_other_than_one_is_a_unit():
    assert entropy([1 / 10] * 10, base=10) == pytest.approx(1.0)
    assert entropy([0.25] * 4, base=4.0) == pytest.approx(1.0)


def test_a_batch_gives_one_entropy_per_row():
    result = entropy(np.array([[0.5, 0.5], [1.0, 0.0]]))
    assert isinstance(result, np.ndarray)
    np.testing.assert_allclose(result, [1.0, 0.0])


def test_array_inputs_give_python_floats():
    assert type(entropy(np.array(P))) is float
    assert type(cross_entropy(P, Q)) is float
    assert type(kl_divergence(P, Q)) is float


# --------------------------------------------------------- cross-entropy and KL
@pytest.mark.parametrize(("p", "q"), [(P, Q), (YUT_P, [0.2] * 5), (R, P), (Q, R)])
def test_cross_entropy_is_entropy_plus_kl(p, q):
    assert cross_entropy(p, q) == pytest.approx(entropy(p) + kl_divergence(p, q), abs=1e-12)


def test_cross_entropy_and_kl_match_their_formulas():
    p, q = np.array(P), np.array(R)
    assert cross_entropy(p, q) == pytest.approx(-np.sum(p * np.log2(q)))
    assert kl_divergence(p, q) == pytest.approx(np.sum(p * np.log2(p / q)))


@pytest.mark.parametrize(("p", "q"), [(P, Q), (Q, P), (R, P), (YUT_P, [0.2] * 5)])
def test_kl_is_positive_between_different_distributions(p, q):
    assert kl_divergence(p, q) > 0


@pytest.mark.parametrize("p", [P, Q, YUT_P, [1.0, 0.0]])
def test_kl_of_a_distribution_with_itself_is_zero(p):
    assert kl_divergence(p, p) == 0.0


def test_kl_is_not_symmetric():
    assert kl_divergence(P, R) != pytest.approx(kl_divergence(R, P))


def test_terms_with_zero_probability_contribute_nothing():
    assert kl_divergence([0.5, 0.5, 0.0], [0.25, 0.25, 0.5]) == pytest.approx(1.0)
    assert cross_entropy([1.0, 0.0], [0.5, 0.5]) == pytest.approx(1.0)


def test_kl_and_cross_entropy_are_infinite_where_q_is_zero_but_p_is_not():
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert cross_entropy([0.5, 0.5], [1.0, 0.0]) == math.inf


# ------------------------------------------------------------------ with Tensors
def _positive_distribution(rng, n=5):
    p = rng.uniform(0.1, 1.0, n)
    return p / p.sum()


def test_entropy_gradcheck(rng):
    assert gradcheck(entropy, [_positive_distribution(rng)], eps=GRADCHECK_EPS)


def test_entropy_in_nats_gradcheck(rng):
    assert gradcheck(
        lambda p: entropy(p, base="e"), [_positive_distribution(rng)], eps=GRADCHECK_EPS
    )


def test_cross_entropy_gradcheck(rng):
    p, q = _positive_distribution(rng), _positive_distribution(rng)
    assert gradcheck(cross_entropy, [p, q], eps=GRADCHECK_EPS)


def test_kl_divergence_gradcheck(rng):
    p, q = _positive_distribution(rng), _positive_distribution(rng)
    assert gradcheck(kl_divergence, [p, q], eps=GRADCHECK_EPS)


def test_batched_kl_divergence_gradcheck(rng):
    p = np.stack([_positive_distribution(rng) for _ in range(3)])
    q = np.stack([_positive_distribution(rng) for _ in range(3)])
    assert gradcheck(kl_divergence, [p, q], eps=GRADCHECK_EPS)


def test_zero_probabilities_leave_no_nan_in_value_or_gradient():
    p = sd.tensor(np.array([0.5, 0.0, 0.5]), requires_grad=True)
    q = sd.tensor(np.array([0.25, 0.0, 0.75]), requires_grad=True)
    total = entropy(p) + entropy(q) + cross_entropy(p, q) + kl_divergence(p, q)
    total.backward()
    assert np.isfinite(total.item())
    assert np.isfinite(p.grad.numpy()).all() and np.isfinite(q.grad.numpy()).all()


def test_a_tensor_result_keeps_float32():
    p = sd.tensor([0.25, 0.75], requires_grad=True)
    result = entropy(p)
    assert isinstance(result, sd.Tensor) and result.dtype == np.float32
    assert result.requires_grad


# -------------------------------------------------------------- PyTorch oracle
def test_entropy_matches_torch_categorical(torch):
    probs = np.array([YUT_P, [0.2] * 5, [0.0, 0.5, 0.5, 0.0, 0.0]])
    expected = torch.distributions.Categorical(probs=torch.tensor(probs)).entropy()
    np.testing.assert_allclose(entropy(probs, base="e"), expected.numpy(), rtol=1e-12)


def test_entropy_gradient_matches_torch(torch):
    probs = np.array(P)
    p = sd.tensor(probs, requires_grad=True)
    entropy(p, base="e").backward()
    p_torch = torch.tensor(probs, requires_grad=True)
    (-(p_torch * p_torch.log()).sum()).backward()
    np.testing.assert_allclose(p.grad.numpy(), p_torch.grad.numpy(), rtol=1e-12)


def test_kl_divergence_matches_torch_kl_div(torch):
    p, q = np.array([P, R, [0.5, 0.0, 0.5, 0.0]]), np.array([R, Q, P])
    expected = torch.nn.functional.kl_div(
        torch.tensor(q).log(), torch.tensor(p), reduction="none"
    ).sum(-1)
    np.testing.assert_allclose(kl_divergence(p, q, base="e"), expected.numpy(), rtol=1e-12)


def test_kl_divergence_gradient_matches_torch(torch):
    p_sd = sd.tensor(np.array(P), requires_grad=True)
    q_sd = sd.tensor(np.array(R), requires_grad=True)
    kl_divergence(p_sd, q_sd, base="e").backward()
    p_torch = torch.tensor(P, dtype=torch.float64, requires_grad=True)
    q_torch = torch.tensor(R, dtype=torch.float64, requires_grad=True)
    torch.nn.functional.kl_div(q_torch.log(), p_torch, reduction="sum").backward()
    np.testing.assert_allclose(p_sd.grad.numpy(), p_torch.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(q_sd.grad.numpy(), q_torch.grad.numpy(), rtol=1e-12)


# -------------------------------------------------------------------------- errors
@pytest.mark.parametrize("base", [1, 0, -2, math.inf, "2", "bits", None, True])
def test_an_invalid_base_raises(base):
    with pytest.raises(ValueError, match=r"entropy: base must be a positive number"):
        entropy(P, base=base)


@pytest.mark.parametrize(
    ("p", "message"),
    [
        ([0.5, -0.1, 0.6], r"entropy: p\[1\] = -0.1 is not a probability"),
        ([1.5, -0.5], r"entropy: p\[0\] = 1.5 is not a probability"),
        ([0.5, math.nan, 0.5], r"entropy: p\[1\] = nan"),
        ([0.5, 0.4], r"entropy: p sums to 0.9\d*; expected 1"),
        ([[0.5, 0.5], [0.5, 0.6]], r"entropy: p sums to 1.1\d* \(row 1\)"),
        (0.5, r"entropy: p must be a probability vector"),
        ([], r"entropy: p sums to 0.0"),
    ],
)
def test_entropy_rejects_what_is_not_a_distribution(p, message):
    with pytest.raises(ValueError, match=message):
        entropy(p)


def test_cross_entropy_and_kl_name_the_bad_argument():
    with pytest.raises(ValueError, match=r"cross_entropy: q sums to 0.5"):
        cross_entropy(P, [0.25, 0.25])
    with pytest.raises(ValueError, match=r"kl_divergence: q\[0\] = -0.5"):
        kl_divergence([0.5, 0.5], [-0.5, 1.5])


def test_mismatched_shapes_raise():
    with pytest.raises(ValueError, match=r"kl_divergence: p has shape \(4,\) but q has shape"):
        kl_divergence(P, [0.5, 0.5])
    with pytest.raises(ValueError, match=r"cross_entropy: p has shape \(4,\)"):
        cross_entropy(P, [0.5, 0.5])


@pytest.mark.parametrize("p", [0.0, -0.25, 1.5, [0.5, 0.0]])
def test_self_information_needs_0_lt_p_le_1(p):
    with pytest.raises(
        ValueError, match=r"self_information: p.* is not a probability; expected 0 < p"
    ):
        self_information(p)
