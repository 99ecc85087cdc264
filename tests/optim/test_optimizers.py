"""Optimizers: trajectories equal torch.optim's, in-place float32 updates, state round trips."""

import numpy as np
import pytest

import scratchdl as sd
from scratchdl import nn, optim

CASES = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.3}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.1, "weight_decay": 0.1}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.1, "eps": 1e-6}),
    ("Adadelta", {}),
    ("Adadelta", {"lr": 0.5, "rho": 0.8, "eps": 1e-4, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9, "centered": True}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.8, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.8, "centered": True, "eps": 1e-3}),
    ("Adam", {"lr": 0.05}),
    ("Adam", {"lr": 0.05, "betas": (0.8, 0.9), "weight_decay": 0.1}),
    ("Adam", {"lr": 0.05, "amsgrad": True, "eps": 1e-3}),
    ("AdamW", {"lr": 0.05}),
    ("AdamW", {"lr": 0.05, "weight_decay": 0.5, "amsgrad": True}),
]


def make_problem(rng):
    """A least-squares problem y ≈ x @ W + b with an unused third parameter (no grad)."""
    return {
        "x": rng.normal(size=(6, 3)),
        "y": rng.normal(size=(6, 2)),
        "W": rng.normal(size=(3, 2)),
        "b": rng.normal(size=2),
        "unused": rng.normal(size=4),
    }


def loss_of(x, y, W, b):
    residual = x @ W + b - y
    return (residual * residual).mean()


def scratch_trajectory(problem, name, kwargs, steps=10):
    params = [nn.Parameter(problem[k]) for k in ("W", "b", "unused")]
    x, y = sd.tensor(problem["x"]), sd.tensor(problem["y"])
    opt = getattr(optim, name)(params, **kwargs)
    trajectory = []
    for _ in range(steps):
        opt.zero_grad()
        loss_of(x, y, params[0], params[1]).backward()
        opt.step()
        trajectory.append([p.data.copy() for p in params])
    return trajectory


def torch_trajectory(torch, problem, name, kwargs, steps=10):
    params = [torch.tensor(problem[k], requires_grad=True) for k in ("W", "b", "unused")]
    x, y = torch.tensor(problem["x"]), torch.tensor(problem["y"])
    opt = getattr(torch.optim, name)(params, **kwargs)
    trajectory = []
    for _ in range(steps):
        opt.zero_grad()
        loss_of(x, y, params[0], params[1]).backward()
        opt.step()
        trajectory.append([p.detach().numpy().copy() for p in params])
    return trajectory


@pytest.mark.parametrize(("name", "kwargs"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_trajectory_matches_torch(torch, rng, name, kwargs):
    problem = make_problem(rng)
    ours = scratch_trajectory(problem, name, kwargs)
    theirs = torch_trajectory(torch, problem, name, kwargs)
    for step, (our_params, their_params) in enumerate(zip(ours, theirs, strict=True)):
        for ours_p, theirs_p in zip(our_params, their_params, strict=True):
            np.testing.assert_allclose(ours_p, theirs_p, rtol=0, atol=1e-6, err_msg=f"step {step}")
    assert not np.array_equal(ours[-1][0], problem["W"])  # the parameters did move
    np.testing.assert_array_equal(ours[-1][2], problem["unused"])  # no grad: skipped


@pytest.mark.parametrize(("name", "kwargs"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_float32_update_is_in_place_and_leaves_grad_alone(rng, name, kwargs):
    param = nn.Parameter(rng.normal(size=(3, 2)).astype(np.float32))
    grad = rng.normal(size=(3, 2)).astype(np.float32)
    array_before = param.data
    opt = getattr(optim, name)([param], **kwargs)
    for _ in range(3):
        param.grad = sd.Tensor(grad.copy())
        grad_array = param.grad.data
        opt.step()
        np.testing.assert_array_equal(grad_array, grad)
    assert param.data is array_before
    assert param.data.dtype == np.float32
    for entries in opt.state.values():
        for value in entries.values():
            assert not hasattr(value, "dtype") or value.dtype == np.float32


def test_zero_grad_sets_grads_to_none():
    param = nn.Parameter([1.0, 2.0])
    (param * param).sum().backward()
    opt = optim.SGD([param], lr=0.1)
    opt.zero_grad()
    assert param.grad is None


@pytest.mark.parametrize(("name", "kwargs"), CASES[1::3], ids=[n for n, _ in CASES[1::3]])
def test_state_dict_round_trip_continues_identically(rng, name, kwargs):
    problem = make_problem(rng)
    uninterrupted = scratch_trajectory(problem, name, kwargs, steps=6)[-1]

    params = [nn.Parameter(problem[k]) for k in ("W", "b", "unused")]
    x, y = sd.tensor(problem["x"]), sd.tensor(problem["y"])
    first = getattr(optim, name)(params, **kwargs)
    for _ in range(3):
        first.zero_grad()
        loss_of(x, y, params[0], params[1]).backward()
        first.step()
    saved = npz_round_trip(first.state_dict())
    resumed = getattr(optim, name)(params, lr=123.0)
    resumed.load_state_dict(saved)
    for _ in range(3):
        resumed.zero_grad()
        loss_of(x, y, params[0], params[1]).backward()
        resumed.step()
    for ours, expected in zip(params, uninterrupted, strict=True):
        np.testing.assert_array_equal(ours.data, expected)


def npz_round_trip(state_dict):
    """What a checkpoint does: flatten to NumPy arrays with string keys, then rebuild."""
    hyper = {k: np.asarray(v) for k, v in state_dict["hyperparameters"].items()}
    state = {
        str(i): {k: np.asarray(v) for k, v in entries.items()}
        for i, entries in state_dict["state"].items()
    }
    return {"hyperparameters": hyper, "state": state}


def test_state_dict_is_a_copy():
    param = nn.Parameter([1.0, 2.0])
    opt = optim.Adam([param])
    param.grad = sd.tensor([1.0, 1.0])
    opt.step()
    saved = opt.state_dict()
    opt.step()
    np.testing.assert_allclose(saved["state"][0]["exp_avg"], [0.1, 0.1], rtol=1e-6)
    assert saved["state"][0]["step"] == 1


def test_load_state_dict_lists_problems_and_changes_nothing():
    param = nn.Parameter([1.0, 2.0])
    opt = optim.Adam([param], lr=0.5)
    bad = {
        "hyperparameters": {"lr": 0.1, "betas": (0.9, 0.99), "momentum": 0.9},
        "state": {0: {"step": 1, "exp_avg": np.zeros(3)}, 5: {"step": 1}},
    }
    with pytest.raises(ValueError) as error:
        opt.load_state_dict(bad)
    message = str(error.value)
    for expected in ("missing hyperparameter: eps", "unexpected hyperparameter: momentum",
                     "parameter 0 exp_avg: shape (3,)", "state for parameter 5"):  # fmt: skip
        assert expected in message
    assert opt.lr == 0.5
    assert opt.state == {}


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda p: optim.SGD(p, lr=-0.1), "SGD: lr must be a number >= 0, got -0.1"),
        (lambda p: optim.SGD(p, lr=0.1, nesterov=True), "nesterov needs momentum > 0"),
        (lambda p: optim.SGD(p, lr=0.1, momentum=-1), "SGD: momentum"),
        (lambda p: optim.Adam(p, betas=(0.9, 1.0)), "Adam: betas[1] must be a number in [0.0"),
        (lambda p: optim.Adam(p, betas=(0.9,)), "Adam: betas must be a pair"),
        (lambda p: optim.AdamW(p, eps=-1e-8), "AdamW: eps"),
        (lambda p: optim.Adadelta(p, rho=1.5), "Adadelta: rho"),
        (lambda p: optim.Adagrad(p, lr_decay=-1), "Adagrad: lr_decay"),
        (lambda p: optim.RMSprop(p, alpha=float("nan")), "RMSprop: alpha"),
    ],
)
def test_bad_hyperparameters_are_rejected(build, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("(", r"\(")):
        build([nn.Parameter([1.0])])


def test_bad_parameter_lists_are_rejected():
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="parameter 0 must be a leaf Tensor"):
        optim.SGD([sd.tensor([1.0])], lr=0.1)
    with pytest.raises(TypeError, match=r"e\.g\. model\.parameters\(\)"):
        optim.SGD(nn.Parameter([1.0]), lr=0.1)
    param = nn.Parameter([1.0])
    with pytest.raises(ValueError, match="more than once"):
        optim.SGD([param, param], lr=0.1)


def test_lr_can_be_set_and_is_validated():
    opt = optim.SGD([nn.Parameter([1.0])], lr=0.1)
    opt.lr = 0.05
    assert opt.lr == 0.05 and isinstance(opt.lr, float)
    with pytest.raises(ValueError, match="lr"):
        opt.lr = -1.0
