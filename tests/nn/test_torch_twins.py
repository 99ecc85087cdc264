"""nn against torch.nn: the same constructions print the same, hold parameters of the same
names and shapes, and the loss modules compute torch's values and gradients."""

from __future__ import annotations

import numpy as np
import pytest

import scratchdl as sd
from scratchdl import nn

MODULES = [
    "Linear(784, 10)", "Linear(3, 2, bias=False)", "Conv2d(1, 32, 3, 1)",
    "Conv2d(3, 8, (3, 5), stride=2, padding=1, bias=False)", "Conv2d(4, 4, 3, padding='same')",
    "MaxPool2d(2)", "MaxPool2d(3, stride=1, padding=1)", "AvgPool2d(2)", "AvgPool2d(3, 2, 1)",
    "AdaptiveAvgPool2d((1, 1))", "BatchNorm1d(4)", "BatchNorm2d(8, momentum=None)",
    "BatchNorm2d(3, affine=False, track_running_stats=False)", "Dropout(0.25)", "Dropout()",
    "ReLU()", "ReLU(inplace=True)", "Sigmoid()", "Tanh()", "Softmax(dim=1)", "LogSoftmax(dim=1)",
    "LeakyReLU(0.2)", "GELU()", "GELU(approximate='tanh')", "ELU()", "SiLU()", "Softplus()",
    "Flatten()", "Flatten(0, 2)", "Unflatten(1, (1, 28, 28))", "Identity()",
    "CrossEntropyLoss()", "NLLLoss()", "MSELoss()", "L1Loss()", "BCELoss()",
    "BCEWithLogitsLoss()", "SmoothL1Loss()", "HuberLoss()", "KLDivLoss()",
    "Sequential(Linear(2, 3), ReLU(), Sequential(Dropout(0.5), Linear(3, 1)))",
    "ModuleList([Linear(1, 1), Tanh()])", "ModuleDict({'a': Linear(1, 2), 'b': ReLU()})",
]  # fmt: skip


def build(namespace, text):
    """The module ``text`` describes, built from ``namespace`` (scratchdl.nn or torch.nn)."""
    return eval(text, dict(vars(namespace)))


@pytest.mark.parametrize("text", MODULES)
def test_module_prints_and_holds_what_torch_does(torch, text):
    ours, theirs = build(nn, text), build(torch.nn, text)
    assert repr(ours) == repr(theirs)
    assert [(name, tuple(p.shape)) for name, p in ours.named_parameters()] == [
        (name, tuple(p.shape)) for name, p in theirs.named_parameters()
    ]
    assert [(name, tuple(b.shape)) for name, b in ours.named_buffers()] == [
        (name, tuple(b.shape)) for name, b in theirs.named_buffers()
    ]


LOSSES = [
    ("CrossEntropyLoss", {}, "indices"), ("CrossEntropyLoss", {"label_smoothing": 0.1}, "indices"),
    ("CrossEntropyLoss", {"reduction": "sum"}, "probabilities"),
    ("NLLLoss", {"reduction": "none"}, "log_probabilities"), ("MSELoss", {}, "values"),
    ("L1Loss", {"reduction": "sum"}, "values"), ("SmoothL1Loss", {"beta": 0.5}, "values"),
    ("HuberLoss", {"delta": 0.3}, "values"), ("BCELoss", {}, "probability_pairs"),
    ("BCEWithLogitsLoss", {}, "values01"), ("KLDivLoss", {"reduction": "batchmean"}, "kl"),
]  # fmt: skip


def loss_inputs(kind, rng):
    x = rng.normal(size=(4, 3))
    targets = {
        "indices": (x, np.array([0, 2, 1, 2])),
        "probabilities": (x, rng.dirichlet(np.ones(3), 4)),
        "log_probabilities": (x - np.log(np.exp(x).sum(1, keepdims=True)), np.array([1, 0, 2, 2])),
        "values": (x, rng.normal(size=(4, 3))),
        "probability_pairs": (1 / (1 + np.exp(-x)), rng.uniform(0, 1, (4, 3))),
        "values01": (x, rng.uniform(0, 1, (4, 3))),
        "kl": (x - np.log(np.exp(x).sum(1, keepdims=True)), rng.dirichlet(np.ones(3), 4)),
    }
    return targets[kind]


@pytest.mark.parametrize(("name", "kwargs", "kind"), LOSSES)
def test_loss_modules_match_torch(torch, rng, name, kwargs, kind):
    prediction, target = loss_inputs(kind, rng)
    ours_x = sd.tensor(prediction, requires_grad=True)
    theirs_x = torch.tensor(prediction, requires_grad=True)
    ours = getattr(nn, name)(**kwargs)(ours_x, sd.tensor(target))
    theirs = getattr(torch.nn, name)(**kwargs)(theirs_x, torch.tensor(target))
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-10)
    ours.sum().backward()
    theirs.sum().backward()
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_module_utilities_match_torch(torch):
    ours = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    seen = []
    assert ours.apply(lambda m: seen.append(type(m).__name__)) is ours
    assert seen == ["Linear", "ReLU", "Linear", "Sequential"]  # children first, as torch
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert ours.get_submodule("2") is ours[2] and ours.get_parameter("0.bias") is ours[0].bias
    ours.requires_grad_(False)
    assert not any(p.requires_grad for p in ours.parameters())
    result = ours.load_state_dict({k: sd.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    assert repr(result) == repr(theirs.load_state_dict(theirs.state_dict()))
    x = np.ones((1, 2), np.float32)
    np.testing.assert_allclose(ours(x).numpy(), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-6)
    outputs = []
    handle = ours[0].register_forward_hook(lambda module, inputs, output: outputs.append(output))
    ours(x)
    handle.remove()
    ours(x)
    assert len(outputs) == 1 and outputs[0].shape == (1, 3)
