"""The compiled step: a replayed run equals the eager run bit for bit, and every guard makes
it record again (or stay eager) instead of replaying a tape that no longer fits."""

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.functional as F
import scratchdl.nn as nn
import scratchdl.optim as optim
from scratchdl.models import SimpleConvNet
from scratchdl.train import TrainingDiverged, fit, train_step
from scratchdl.train.compiled import MAX_KEYS, CompiledStep, compile_step


def _batches(sizes, features=(6,), classes=3, seed=0):
    rng = np.random.default_rng(seed)
    return [
        (
            sd.tensor(rng.normal(size=(n, *features)).astype(np.float32)),
            sd.tensor(rng.integers(0, classes, n)),
        )
        for n in sizes
    ]


def _mlp():
    return nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3))


def _dropout_mlp():
    return nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Dropout(0.3), nn.Linear(8, 3))


def _batchnorm_mlp():
    return nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))


def _train(build, make_optimizer, batches, compiled, between=None):
    """Train a fresh model (seed 0) on ``batches``; ``between(i, model, optimizer)`` runs
    before step i. Returns the losses, the final state and the compiled step (unused by an
    eager run)."""
    sd.manual_seed(0)
    model = build()
    optimizer = make_optimizer(model.parameters())
    step = compile_step(model, F.cross_entropy, optimizer)
    losses = []
    for i, (x, t) in enumerate(batches):
        if between is not None:
            between(i, model, optimizer)
        if compiled:
            losses.append(step(x, t).loss)
        else:
            losses.append(train_step(model, x, t, F.cross_entropy, optimizer).loss)
    state = {name: value.numpy().copy() for name, value in model.state_dict().items()}
    return losses, state, step


def _compare(build, make_optimizer, batches, between=None):
    """Assert the compiled run equals the eager run exactly; return the compiled step."""
    eager_losses, eager_state, _ = _train(build, make_optimizer, batches, False, between)
    losses, state, step = _train(build, make_optimizer, batches, True, between)
    np.testing.assert_array_equal(losses, eager_losses)
    assert state.keys() == eager_state.keys()
    for name in state:
        np.testing.assert_array_equal(state[name], eager_state[name], err_msg=name)
    return step


def _sgd(params):
    return optim.SGD(params, lr=0.1)


def _adam(params):
    return optim.Adam(params, lr=0.01)


@pytest.mark.parametrize(
    ("build", "make_optimizer", "features"),
    [
        (_mlp, _sgd, (6,)),
        (_dropout_mlp, _adam, (6,)),
        (_batchnorm_mlp, _sgd, (6,)),
        (lambda: SimpleConvNet((1, 8, 8), hidden_size=10, output_size=3), _adam, (1, 8, 8)),
    ],
    ids=["mlp-sgd", "dropout-adam", "batchnorm", "simple-convnet"],
)
def test_replayed_run_equals_eager_run(build, make_optimizer, features):
    step = _compare(build, make_optimizer, _batches([8] * 6, features))
    assert (step.recordings, step.replays, step.eager_steps) == (2, 4, 0)


def test_last_partial_batch_has_its_own_tape():
    epoch = [8, 8, 8, 5]
    step = _compare(_dropout_mlp, _adam, _batches(epoch * 3))
    assert len(step.tapes) == 2
    assert (step.recordings, step.replays) == (4, 8)  # each size recorded twice


def test_a_batch_size_per_call_keeps_at_most_max_keys_tapes():
    step = _compare(_mlp, _sgd, _batches(range(2, MAX_KEYS + 6)))
    assert len(step.tapes) == MAX_KEYS and step.replays == 0


def test_switching_to_eval_mode_records_again():
    def switch(i, model, optimizer):
        model.train(i < 4)

    step = _compare(_dropout_mlp, _sgd, _batches([8] * 8), switch)
    assert (step.recordings, step.replays) == (4, 4)


def test_replacing_a_parameter_records_again():
    def replace(i, model, optimizer):
        if i == 4:
            model[0].weight = nn.Parameter(model[0].weight.data * 2)
            optimizer.param_groups[0]["params"] = list(model.parameters())

    step = _compare(_mlp, _sgd, _batches([8] * 8), replace)
    assert (step.recordings, step.replays) == (4, 4)


def test_changing_the_dtype_records_again():
    # float64 inputs to a float32 model: the inputs' dtype alone changes (no version does)
    batches = _batches([8] * 4) + [(x.double(), t) for x, t in _batches([8] * 4, seed=1)]
    step = _compare(_mlp, _sgd, batches)
    assert (step.recordings, step.replays) == (4, 4)


def test_casting_the_model_records_again():
    def to_double(i, model, optimizer):
        if i == 4:
            model.double()

    batches = _batches([8] * 4) + [(x.double(), t) for x, t in _batches([8] * 4, seed=1)]
    step = _compare(_mlp, _sgd, batches, to_double)
    assert (step.recordings, step.replays) == (4, 4)


def test_a_change_made_outside_the_step_drops_the_tapes():
    # In eval mode BatchNorm reads 1/√(running_var + ε), a constant of the tape, computed
    # from a buffer: changing the buffer (in place, through scratchdl) must record again.
    def edit(i, model, optimizer):
        model.eval()
        if i == 4:
            model[1].running_var.mul_(4.0)

    step = _compare(_batchnorm_mlp, _sgd, _batches([8] * 8), edit)
    assert (step.recordings, step.replays) == (4, 4)


def test_a_forward_that_depends_on_the_batch_outside_functions_stays_eager():
    class Rescaled(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(6, 3)

        def forward(self, x):
            return self.linear(x) * float(x.data.std())  # a Python number from the batch

    step = _compare(Rescaled, _sgd, _batches([8] * 5))
    assert (step.recordings, step.replays, step.eager_steps) == (2, 0, 3)
    assert "differ" in next(iter(step.reasons.values()))


def test_a_parameter_with_a_gradient_hook_trains_eagerly():
    def hook_from_step_3(i, model, optimizer):
        if i == 3:
            model[0].weight.register_hook(lambda g: g * 0.5)

    step = _compare(_mlp, _sgd, _batches([8] * 6), hook_from_step_3)
    assert (step.recordings, step.replays, step.eager_steps) == (2, 1, 3)


def test_a_gradient_hook_registered_in_the_forward_stays_eager():
    class Hooked(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(6, 3)

        def forward(self, x):
            y = self.linear(x)
            y.register_hook(lambda g: g * 2)
            return y

    step = _compare(Hooked, _sgd, _batches([8] * 4))
    assert (step.recordings, step.replays, step.eager_steps) == (1, 0, 3)
    assert "hook" in next(iter(step.reasons.values()))


def _replaying_step(batches: list) -> tuple[nn.Module, CompiledStep]:
    """A model and its compiled step, trained on ``batches`` (replaying from the third)."""
    sd.manual_seed(0)
    model = _mlp()
    step = compile_step(model, F.cross_entropy, _sgd(model.parameters()))
    for x, t in batches:
        step(x, t)
    return model, step


def test_non_finite_loss_raises_as_eager_and_changes_nothing():
    batches = _batches([8] * 4)
    model, step = _replaying_step(batches)
    before = [p.data.copy() for p in model.parameters()]
    bad = batches[0][0].numpy().copy()
    bad[0, 0] = np.nan
    with pytest.raises(TrainingDiverged, match="the loss became nan"):
        step(sd.tensor(bad), batches[0][1])
    assert step.replays == 3  # the failing call was a replay
    for p, old in zip(model.parameters(), before, strict=True):
        np.testing.assert_array_equal(p.data, old)


def test_replayed_targets_are_checked_as_in_eager():
    batches = _batches([8] * 3)
    _, step = _replaying_step(batches)
    with pytest.raises(ValueError, match="class index 7 is out of range for 3 classes"):
        step(batches[0][0], sd.tensor(np.full(8, 7)))


def test_fit_with_a_compiled_step_equals_fit(loaders):
    def run(compiled):
        sd.manual_seed(0)
        model = nn.Sequential(nn.Linear(2, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))
        history = fit(
            model, loaders[0], F.cross_entropy, _adam(model.parameters()), epochs=3,
            val_loader=loaders[1], compiled=compiled,
        )  # fmt: skip
        return history, model.state_dict()

    (eager, eager_state), (compiled, state) = run(False), run(True)
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        assert compiled[key] == eager[key]
    for name in state:
        np.testing.assert_array_equal(state[name].numpy(), eager_state[name].numpy())
