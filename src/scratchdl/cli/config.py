"""A run's settings (the dict saved as ``config.json``) and the objects built from them.

``train`` fills the settings from its options and saves them; ``--resume``, ``evaluate``
and ``predict`` read them back and call the same builders, so all four rebuild one network.
Settings left as None take a default that may depend on another setting (the learning rate
on the optimizer, the hidden sizes and dropout on the model): ``resolve_settings`` fills
them in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import scratchdl
import scratchdl.nn as nn
from scratchdl import optim
from scratchdl.cli import arguments
from scratchdl.cli.errors import UserError
from scratchdl.datasets import DatasetError
from scratchdl.models import MLP, DeepConvNet, SimpleConvNet, TwoLayerNet
from scratchdl.optim import lr_scheduler
from scratchdl.utils.data import DataLoader, Dataset, Subset
from scratchdl.vision.datasets import MNIST, FashionMNIST
from scratchdl.vision.transforms import ToTensor

DATASETS: dict[str, type[MNIST]] = {"mnist": MNIST, "fashion-mnist": FashionMNIST}
INPUT_SIZE, NUM_CLASSES = 28 * 28, 10
TEST_BATCH_SIZE = 1000


@dataclass(frozen=True)
class OptimizerChoice:
    """How to build one ``--optimizer`` choice, and its default learning rate."""

    build: Callable[..., optim.Optimizer]
    lr: float
    weight_decay: float = 0.0


OPTIMIZERS: dict[str, OptimizerChoice] = {
    "sgd": OptimizerChoice(optim.SGD, lr=0.1),
    "momentum": OptimizerChoice(partial(optim.SGD, momentum=0.9), lr=0.01),
    "nesterov": OptimizerChoice(partial(optim.SGD, momentum=0.9, nesterov=True), lr=0.01),
    "adagrad": OptimizerChoice(optim.Adagrad, lr=0.01),
    "adadelta": OptimizerChoice(optim.Adadelta, lr=1.0),
    "rmsprop": OptimizerChoice(optim.RMSprop, lr=0.001),
    "adam": OptimizerChoice(optim.Adam, lr=0.001),
    "adamw": OptimizerChoice(optim.AdamW, lr=0.001, weight_decay=0.01),
}

SCHEDULERS: dict[str, str] = {
    "none": "keep the learning rate",
    "step": "multiply it by 0.1 every third of the epochs",
    "exponential": "multiply it by 0.9 every epoch",
    "cosine": "lower it to 0 along half a cosine over the epochs",
    "plateau": "halve it after 2 epochs without a lower test loss",
}

MODELS: dict[str, str] = {
    "mlp": "Flatten, then Linear-ReLU-Dropout per hidden size, then Linear (any depth)",
    "twolayer": "the book's TwoLayerNet: Linear-ReLU-Linear (one hidden size, no dropout)",
    "cnn": "the book's SimpleConvNet: conv 30x5x5-ReLU-max-pool, Linear-ReLU-Linear (no dropout)",
    "deepcnn": "the book's DeepConvNet: six 3x3 conv layers (He init), pooling, Linear-Dropout",
}
MODEL_NAMES = {
    "mlp": "MLP",
    "twolayer": "TwoLayerNet",
    "cnn": "SimpleConvNet",
    "deepcnn": "DeepConvNet",
}
DEFAULT_HIDDEN = {"mlp": [512], "twolayer": [50], "cnn": [100], "deepcnn": [50]}
DEFAULT_DROPOUT = {"mlp": 0.2, "twolayer": 0.0, "cnn": 0.0, "deepcnn": 0.5}
ONE_HIDDEN_SIZE = {"twolayer", "cnn", "deepcnn"}
WITHOUT_DROPOUT = {"twolayer", "cnn"}

DEFAULTS: dict[str, Any] = {
    "dataset": "mnist",
    "model": "mlp",
    "hidden": None,
    "dropout": None,
    "epochs": 8,
    "batch_size": 128,
    "optimizer": "adam",
    "lr": None,
    "weight_decay": None,
    "scheduler": "none",
    "patience": 0,
    "seed": 0,
    "limit": None,
    "data_dir": None,
}
"""Every setting of a run; None means 'the default for the chosen model or optimizer'."""

RULES: dict[str, arguments.Rule] = {
    "dataset": arguments.choice(DATASETS),
    "model": arguments.choice(MODELS),
    "hidden": arguments.SIZES,
    "dropout": arguments.PROBABILITY,
    "epochs": arguments.POSITIVE_INT,
    "batch_size": arguments.POSITIVE_INT,
    "optimizer": arguments.choice(OPTIMIZERS),
    "lr": arguments.POSITIVE_NUMBER,
    "weight_decay": arguments.NON_NEGATIVE_NUMBER,
    "scheduler": arguments.choice(SCHEDULERS),
    "patience": arguments.NON_NEGATIVE_INT,
    "seed": arguments.NON_NEGATIVE_INT,
    "limit": arguments.POSITIVE_INT,
    "data_dir": arguments.PATH,
}
"""What each setting must be: the train options' types, and the checks of config.json."""

UNSET_ALLOWED = {"limit", "data_dir"}
"""The settings that stay None in a resolved run (all images; the default data folders)."""


def resolve_settings(given: Mapping[str, Any]) -> dict[str, Any]:
    """``DEFAULTS`` updated with the non-None ``given`` values, every None filled in.

    Raises UserError for a combination the model cannot take.
    """
    settings = DEFAULTS | {name: value for name, value in given.items() if value is not None}
    model, choice = settings["model"], OPTIMIZERS[settings["optimizer"]]
    defaults = {
        "hidden": DEFAULT_HIDDEN[model],
        "dropout": DEFAULT_DROPOUT[model],
        "lr": choice.lr,
        "weight_decay": choice.weight_decay,
    }
    settings |= {name: value for name, value in defaults.items() if settings[name] is None}
    if model in ONE_HIDDEN_SIZE and len(settings["hidden"]) != 1:
        raise UserError(f"--model {model} takes one hidden size, got {settings['hidden']}")
    if model in WITHOUT_DROPOUT and settings["dropout"] > 0:
        raise UserError(f"--model {model} has no dropout; use --model mlp or deepcnn for --dropout")
    return settings


def checked_settings(saved: Any, source: str) -> dict[str, Any]:
    """The settings read from ``source`` (config.json), every value checked by ``RULES``;
    UserError naming the file and each bad setting."""
    if not isinstance(saved, dict):
        raise UserError(f"{source} is damaged: it holds no settings object")
    problems = []
    for name, rule in RULES.items():
        if name not in saved:
            problems.append(f"{name!r} is missing")
        elif not (rule.check(saved[name]) or (saved[name] is None and name in UNSET_ALLOWED)):
            problems.append(f"{name!r} must be {rule.expected}, got {_short(saved[name])}")
    if problems:
        raise UserError(f"{source} is damaged: {'; '.join(problems)}")
    try:
        return resolve_settings({name: saved[name] for name in RULES})
    except UserError as error:
        raise UserError(f"{source} is damaged: {error}") from None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def build_model(settings: Mapping[str, Any]) -> nn.Module:
    """The network the settings describe (freshly initialised from the library RNG)."""
    hidden, dropout = settings["hidden"], settings["dropout"]
    builders: dict[str, Callable[[], nn.Module]] = {
        "mlp": lambda: MLP([INPUT_SIZE, *hidden, NUM_CLASSES], dropout=dropout),
        "twolayer": lambda: TwoLayerNet(INPUT_SIZE, hidden[0], NUM_CLASSES),
        "cnn": lambda: SimpleConvNet(hidden_size=hidden[0], output_size=NUM_CLASSES),
        "deepcnn": lambda: DeepConvNet(
            hidden_size=hidden[0], output_size=NUM_CLASSES, dropout=dropout
        ),
    }
    return builders[settings["model"]]()


def describe_model(settings: Mapping[str, Any], model: nn.Module) -> str:
    """One line such as 'MLP 784-512-10, ReLU, dropout 0.2: 407,050 parameters'."""
    name = MODEL_NAMES[settings["model"]]
    sizes = "-".join(str(size) for size in [INPUT_SIZE, *settings["hidden"], NUM_CLASSES])
    if settings["model"] in ("cnn", "deepcnn"):
        sizes = f"(hidden {settings['hidden'][0]})"
    dropout = f", dropout {settings['dropout']:g}" if settings["dropout"] else ""
    return f"{name} {sizes}, ReLU{dropout}: {model.num_parameters():,} parameters"


def build_optimizer(settings: Mapping[str, Any], model: nn.Module) -> optim.Optimizer:
    """The optimizer the settings name, on the model's parameters."""
    choice = OPTIMIZERS[settings["optimizer"]]
    return choice.build(
        model.parameters(), lr=settings["lr"], weight_decay=settings["weight_decay"]
    )


def build_scheduler(settings: Mapping[str, Any], optimizer: optim.Optimizer) -> Any:
    """The learning-rate scheduler the settings name (see ``SCHEDULERS``), or None."""
    epochs = settings["epochs"]
    builders: dict[str, Callable[[], Any]] = {
        "none": lambda: None,
        "step": lambda: lr_scheduler.StepLR(optimizer, step_size=max(1, epochs // 3)),
        "exponential": lambda: lr_scheduler.ExponentialLR(optimizer, gamma=0.9),
        "cosine": lambda: lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs),
        "plateau": lambda: lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=1),
    }
    return builders[settings["scheduler"]]()


def load_datasets(settings: Mapping[str, Any], download: bool = True) -> tuple[Dataset, Dataset]:
    """The training and test sets (see ``load_split``)."""
    return load_split(settings, True, download), load_split(settings, False, download)


def load_split(settings: Mapping[str, Any], train: bool, download: bool = True) -> Dataset:
    """The training or test set, cut to its first ``limit`` images when that is set; its
    samples are images (1, 28, 28) float32 in [0, 1] and int labels.

    Raises UserError (one line) when the files are missing and cannot be downloaded, or
    are corrupt.
    """
    dataset_class = DATASETS[settings["dataset"]]
    try:
        dataset = dataset_class(
            settings["data_dir"], train=train, download=download, transform=ToTensor()
        )
    except DatasetError as error:
        raise UserError(" ".join(str(error).split())) from None
    limit = settings["limit"]
    return dataset if limit is None else Subset(dataset, range(min(limit, len(dataset))))


def class_names(settings: Mapping[str, Any]) -> tuple[str, ...]:
    """The names of the ten classes: '0'..'9' for MNIST (torchvision's '7 - seven' cut to
    its digit), Fashion-MNIST's as they are."""
    return tuple(name.split(" - ")[0] for name in DATASETS[settings["dataset"]].classes)


def class_labels(settings: Mapping[str, Any]) -> list[str]:
    """Each class as printed: '7' for MNIST's class 7, '7 Sneaker' for Fashion-MNIST's."""
    names = class_names(settings)
    return [name if name == str(index) else f"{index} {name}" for index, name in enumerate(names)]


def train_loader(settings: Mapping[str, Any], dataset: Dataset) -> DataLoader:
    """Shuffled mini-batches drawn from the library RNG (so a checkpoint restores them)."""
    return DataLoader(dataset, batch_size=settings["batch_size"], shuffle=True)


def test_loader(dataset: Dataset) -> DataLoader:
    """The test set in order, in large batches (evaluation keeps no graph)."""
    return DataLoader(dataset, batch_size=TEST_BATCH_SIZE)


def saved_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The settings as written to config.json, with the version that wrote them."""
    return {**settings, "scratchdl_version": scratchdl.__version__}
