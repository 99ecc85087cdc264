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


def parameters(problem):
    """The problem's W, b and unused as Parameters holding copies."""
    return [nn.Parameter(sd.tensor(problem[k])) for k in ("W", "b", "unused")]


def scratch_trajectory(problem, name, kwargs, steps=10):
    params = parameters(problem)
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
    param = nn.Parameter(sd.tensor(rng.normal(size=(3, 2)).astype(np.float32)))
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

    params = parameters(problem)
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
    groups = [
        {k: v if k == "params" or v is None else np.asarray(v) for k, v in group.items()}
        for group in state_dict["param_groups"]
    ]
    state = {
        str(i): {k: np.asarray(v) for k, v in entries.items()}
        for i, entries in state_dict["state"].items()
    }
    return {"param_groups": groups, "state": state}


@pytest.mark.parametrize(("name", "kwargs"), CASES[::4], ids=[n for n, _ in CASES[::4]])
def test_state_dict_layout_matches_torch(torch, rng, name, kwargs):
    problem = make_problem(rng)
    ours = getattr(optim, name)(parameters(problem), **kwargs)
    theirs = getattr(torch.optim, name)(
        [torch.tensor(problem[k], requires_grad=True) for k in ("W", "b", "unused")], **kwargs
    )
    for opt in (ours, theirs):
        for p in opt.param_groups[0]["params"][:2]:
            p.grad = sd.ones_like(p) if opt is ours else torch.ones_like(p)
        opt.step()
    mine, reference = ours.state_dict(), theirs.state_dict()
    assert mine["param_groups"][0].keys() == reference["param_groups"][0].keys()
    assert mine["param_groups"][0]["params"] == reference["param_groups"][0]["params"]
    assert mine["state"].keys() == reference["state"].keys()
    for index, entries in reference["state"].items():
        assert set(mine["state"][index]) == set(entries)
        for key, value in entries.items():
            np.testing.assert_allclose(
                np.asarray(mine["state"][index][key]), value.numpy(), rtol=1e-6
            )


def test_parameter_groups_have_their_own_hyperparameters(torch):
    ours_w, ours_b = nn.Parameter(sd.ones(2)), nn.Parameter(sd.ones(2))
    opt = optim.SGD([{"params": [ours_w]}, {"params": ours_b, "lr": 1.0}], lr=0.1, momentum=0.5)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 1.0]
    assert opt.param_groups[1]["momentum"] == 0.5
    ours_w.grad, ours_b.grad = sd.ones(2), sd.ones(2)
    opt.step()
    assert ours_w.tolist() == pytest.approx([0.9, 0.9]) and ours_b.tolist() == [0.0, 0.0]
    opt.param_groups[0]["lr"] = 0.0  # as a scheduler does
    extra = nn.Parameter(sd.ones(1))
    opt.add_param_group({"params": [extra], "lr": 0.5})
    extra.grad = sd.ones(1)
    opt.step()
    assert extra.tolist() == [0.5] and ours_w.tolist() == pytest.approx([0.9, 0.9])
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [extra]})


def test_defaults_are_torchs(torch):
    for name in ("SGD", "Adam", "AdamW", "Adagrad", "Adadelta", "RMSprop"):
        ours = getattr(optim, name)([nn.Parameter(sd.ones(1))]).defaults
        theirs = getattr(torch.optim, name)([torch.ones(1, requires_grad=True)]).defaults
        assert {k: ours[k] for k in theirs if k in ours} == {
            k: theirs[k] for k in theirs if k in ours
        }
        assert set(theirs) - set(ours) <= {"decoupled_weight_decay"}, name


def test_a_bad_gradient_changes_nothing():
    first, second = nn.Parameter(sd.ones(3)), nn.Parameter(sd.ones((3, 3)))
    opt = optim.Adam([first, second], lr=0.1)
    first.grad, second.grad = sd.ones(3), sd.ones(3)  # broadcastable, but the wrong shape
    with pytest.raises(
        RuntimeError, match=r"parameter 1 \(shape \(3, 3\)\): its gradient has shape \(3,\)"
    ):
        opt.step()
    assert first.tolist() == [1.0, 1.0, 1.0] and opt.state == {}
    second.grad = sd.tensor([[1, 2, 3]] * 3)
    with pytest.raises(RuntimeError, match="floating-point"):
        opt.step()


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop"])
def test_a_non_finite_gradient_changes_nothing_when_asked(name):
    first, second = nn.Parameter(sd.ones(3)), nn.Parameter(sd.ones(2))
    opt = (
        getattr(optim, name)([first, second], lr=0.1, momentum=0.9)
        if name == "SGD"
        else (getattr(optim, name)([first, second], lr=0.1))
    )
    first.grad, second.grad = sd.ones(3), sd.tensor([1.0, float("nan")])
    opt.check_finite = True
    with pytest.raises(
        RuntimeError, match=r"parameter 1 \(shape \(2,\)\): its gradient holds 1 NaN or inf"
    ):
        opt.step()
    assert first.tolist() == [1.0, 1.0, 1.0] and opt.state == {}
    opt.check_finite = False  # the default, as torch: the NaN goes through
    opt.step()
    assert np.isnan(second.tolist()[1])


def test_maximize_climbs(torch):
    ours = nn.Parameter(sd.zeros(1))
    opt = optim.SGD([ours], lr=0.5, maximize=True)
    ours.grad = sd.ones(1)
    opt.step()
    assert ours.tolist() == [0.5]


def test_an_update_bumps_the_version_so_a_stale_graph_cannot_backward():
    w = nn.Parameter(sd.ones(2))
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    optim.SGD([w], lr=0.1).step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


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
        "param_groups": [{"lr": 0.1, "params": [0]}, {"lr": 0.1, "params": [1]}],
        "state": {0: {"step": 1, "exp_avg": np.zeros(3)}, 5: {"step": 1}},
    }
    with pytest.raises(ValueError) as error:
        opt.load_state_dict(bad)
    message = str(error.value)
    for expected in ("2 parameter groups saved, 1 here", "parameter 0 exp_avg: shape (3,)",
                     "state for parameter 5"):  # fmt: skip
        assert expected in message
    assert opt.param_groups[0]["lr"] == 0.5
    assert opt.state == {}


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda p: optim.SGD(p, lr=-0.1), "SGD: lr must be a number >= 0 and finite, got -0.1"),
        (lambda p: optim.SGD(p, lr=float("inf")), "SGD: lr must be a number >= 0 and finite"),
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
    with pytest.raises(ValueError, match="parameter 0 does not require grad"):
        optim.SGD([sd.tensor([1.0])], lr=0.1)
    with pytest.raises(TypeError, match="parameter 0 must be a leaf Tensor"):
        optim.SGD([nn.Parameter([1.0]) * 2], lr=0.1)
    with pytest.raises(TypeError, match=r"e\.g\. model\.parameters\(\)"):
        optim.SGD(nn.Parameter([1.0]), lr=0.1)
    param = nn.Parameter([1.0])
    with pytest.raises(ValueError, match="more than once"):
        optim.SGD([param, param], lr=0.1)
