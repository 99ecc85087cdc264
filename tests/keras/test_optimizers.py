"""Keras's optimizers: their defaults and update rules, step by step against Keras."""

from __future__ import annotations

import numpy as np
import pytest

import scratchdl as sd
from scratchdl.keras import optimizers
from tests.keras.oracle import to_numpy

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CASES = [
    ("SGD", {}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
    ("RMSprop", {}),
    ("RMSprop", {"momentum": 0.5, "centered": True}),
    ("Adagrad", {"learning_rate": 0.1}),
    ("Adam", {}),
    ("Adam", {"learning_rate": 0.01, "amsgrad": True}),
    ("AdamW", {"learning_rate": 0.01}),
    ("Adam", {"learning_rate": 0.1, "clipnorm": 0.5}),
    ("SGD", {"learning_rate": 0.1, "global_clipnorm": 1.0}),
    ("RMSprop", {"clipvalue": 0.1, "weight_decay": 0.05}),
    ("Adadelta", {"learning_rate": 1.0}),
    ("Adamax", {"learning_rate": 0.01}),
    ("Nadam", {"learning_rate": 0.01}),
]


def gradient_sequence(rng, shapes, steps=6):
    """Gradients of growing and shrinking size, some tiny: where ε's place matters."""
    scales = [1.0, 1e-3, 3.0, 1e-5, 0.5, 2.0][:steps]
    return [
        [(rng.standard_normal(s) * scale).astype(np.float32) for s in shapes] for scale in scales
    ]


@pytest.mark.parametrize(("name", "options"), CASES, ids=[f"{n}-{o}" for n, o in CASES])
def test_trajectory_matches_keras(real_keras, rng, name, options):
    shapes = [(3, 2), (2,)]
    initial = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    grads = gradient_sequence(rng, shapes)
    reference = getattr(real_keras.optimizers, name)(**options)
    variables = [real_keras.Variable(value) for value in initial]
    ours = getattr(optimizers, name)(**options)
    params = [sd.nn.Parameter(value.copy()) for value in initial]
    ours.build(params)
    for step_grads in grads:
        reference.apply_gradients(
            zip([real_keras.ops.convert_to_tensor(g) for g in step_grads], variables, strict=True)
        )
        for param, grad in zip(params, step_grads, strict=True):
            param.grad = sd.tensor(grad)
        ours.step()
        for param, variable in zip(params, variables, strict=True):
            np.testing.assert_allclose(
                param.numpy(), to_numpy(variable.value), rtol=2e-5, atol=2e-6
            )
    assert ours.iterations == len(grads)


@pytest.mark.parametrize(
    "name", ["SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "AdamW", "Adamax", "Nadam"]
)
def test_defaults_are_keras_defaults(real_keras, name):
    reference = getattr(real_keras.optimizers, name)().get_config()
    ours = getattr(optimizers, name)().get_config()
    for key, value in ours.items():
        if key != "name":
            assert value == pytest.approx(reference[key]), key


def test_keras_rules_differ_from_pytorch_where_keras_says(torch):
    """Keras's RMSprop puts ε inside the square root, with ρ = 0.9: for a tiny gradient its
    step differs from torch.optim.RMSprop's with the same ε and ρ."""
    grad = np.full(2, 1e-4, dtype=np.float32)
    param = sd.nn.Parameter(np.zeros(2, dtype=np.float32))
    rmsprop = optimizers.RMSprop()
    rmsprop.build([param])
    param.grad = sd.tensor(grad)
    rmsprop.step()
    keras_step = 1e-3 * 1e-4 / np.sqrt(0.1 * 1e-8 + 1e-7)
    assert param.numpy() == pytest.approx(-keras_step, rel=1e-4)
    theirs = torch.zeros(2, requires_grad=True)
    torch_rmsprop = torch.optim.RMSprop([theirs], lr=1e-3, alpha=0.9, eps=1e-7)
    theirs.grad = torch.tensor(grad)
    torch_rmsprop.step()
    assert abs(theirs.detach().numpy()[0]) > 2 * keras_step


def test_get_by_name_and_learning_rate_changes():
    adam = optimizers.get("Adam")
    assert isinstance(adam, optimizers.Adam) and adam.learning_rate == 0.001
    assert isinstance(optimizers.get("rmsprop"), optimizers.RMSprop)
    sgd = optimizers.get({"class_name": "SGD", "config": {"learning_rate": 0.5}})
    sgd.learning_rate = 0.25
    assert sgd.lr == 0.25 and sgd.param_groups[0]["lr"] == 0.25
    with pytest.raises(ValueError, match="unknown optimizer 'lbfgs'"):
        optimizers.get("lbfgs")
    with pytest.raises(ValueError, match="at most one of clipnorm"):
        optimizers.SGD(clipnorm=1.0, clipvalue=1.0)


def test_a_schedule_sets_each_steps_learning_rate():
    param = sd.nn.Parameter(np.zeros(1, dtype=np.float32))
    sgd = optimizers.SGD(learning_rate=lambda step: 1.0 / (step + 1))
    sgd.build([param])
    for _ in range(3):
        param.grad = sd.tensor(np.ones(1, dtype=np.float32))
        sgd.step()
    assert param.numpy()[0] == pytest.approx(-(1 + 1 / 2 + 1 / 3))


def test_a_bad_gradient_is_refused_before_any_weight_changes():
    params = [sd.nn.Parameter(np.ones(3, dtype=np.float32)) for _ in range(2)]
    adam = optimizers.Adam()
    adam.build(params)
    params[0].grad = sd.tensor(np.ones(3, dtype=np.float32))
    params[1].grad = sd.tensor(np.ones(2, dtype=np.float32))
    with pytest.raises(
        RuntimeError,
        match=r"Adam\.step: weight 1 \(shape \(3,\)\): its "
        r"gradient has shape \(2,\), expected \(3,\); nothing was updated",
    ):
        adam.step()
    assert adam.iterations == 0
    for param in params:
        np.testing.assert_array_equal(param.numpy(), np.ones(3))
    np.testing.assert_array_equal(adam.state[0]["momentum"], np.zeros(3))


def test_state_round_trips_through_arrays():
    params = [sd.nn.Parameter(np.ones(3, dtype=np.float32))]
    adam = optimizers.Adam()
    adam.build(params)
    params[0].grad = sd.tensor(np.ones(3, dtype=np.float32))
    adam.step()
    saved = adam.state_arrays()
    twin = optimizers.Adam()
    twin.build([sd.nn.Parameter(np.ones(3, dtype=np.float32))])
    twin.load_state_arrays(saved)
    assert twin.iterations == 1
    np.testing.assert_array_equal(twin.state[0]["velocity"], adam.state[0]["velocity"])
    with pytest.raises(ValueError, match="saved state holds"):
        twin.load_state_arrays({"iterations": np.array(1)})
