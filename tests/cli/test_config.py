"""Settings -> network, optimizer and scheduler, for every choice the command offers."""

from __future__ import annotations

import numpy as np
import pytest

import scratchdl as sd
from scratchdl.cli import config
from scratchdl.cli.errors import UserError


@pytest.mark.parametrize("name", config.OPTIMIZERS)
def test_every_optimizer_builds_with_its_default_learning_rate(name):
    settings = config.resolve_settings({"optimizer": name})
    optimizer = config.build_optimizer(settings, config.build_model(settings))
    assert optimizer.param_groups[0]["lr"] == config.OPTIMIZERS[name].lr
    assert optimizer.param_groups[0]["weight_decay"] == (0.01 if name == "adamw" else 0)


@pytest.mark.parametrize("name", config.SCHEDULERS)
def test_every_scheduler_builds(name):
    settings = config.resolve_settings({"scheduler": name})
    model = config.build_model(settings)
    scheduler = config.build_scheduler(settings, config.build_optimizer(settings, model))
    assert (scheduler is None) == (name == "none")


def test_defaults_depend_on_the_model():
    mlp, twolayer = config.resolve_settings({}), config.resolve_settings({"model": "twolayer"})
    assert (mlp["hidden"], mlp["dropout"]) == ([512], 0.2)
    assert (twolayer["hidden"], twolayer["dropout"]) == ([50], 0.0)
    assert config.build_model(twolayer).num_parameters() == 784 * 50 + 50 + 50 * 10 + 10


def test_a_deeper_mlp():
    settings = config.resolve_settings({"hidden": [64, 32], "dropout": 0.0})
    assert "784-64-32-10" in config.describe_model(settings, config.build_model(settings))


def test_twolayer_takes_one_hidden_size():
    with pytest.raises(UserError, match="one hidden size"):
        config.resolve_settings({"model": "twolayer", "hidden": [64, 32]})


@pytest.mark.parametrize("name", config.MODELS)
def test_every_model_builds_and_maps_images_to_ten_logits(name):
    settings = config.resolve_settings({"model": name})
    model = config.build_model(settings)
    assert model(sd.tensor(np.zeros((2, 1, 28, 28)))).shape == (2, 10)
    assert config.MODEL_NAMES[name] in config.describe_model(settings, model)


@pytest.mark.parametrize("name", sorted(config.WITHOUT_DROPOUT))
def test_models_without_dropout_refuse_it(name):
    with pytest.raises(UserError, match=f"--model {name} has no dropout"):
        config.resolve_settings({"model": name, "dropout": 0.5})
