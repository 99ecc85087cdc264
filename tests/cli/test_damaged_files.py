"""Damaged or odd files in a run folder: every command that reads them ends in one line
naming the file (and the member), never a traceback."""

from __future__ import annotations

import json

import numpy as np
import pytest

from scratchdl.cli import run_dir

from .conftest import assert_user_error

COMMANDS = {
    "resume": lambda folder: ("train", "--resume", folder, "--epochs", "3", "--no-plots"),
    "evaluate": lambda folder: ("evaluate", folder),
    "predict": lambda folder: ("predict", folder, "digit.npy"),
}
READS = {  # which commands read which file
    run_dir.CHECKPOINT: ["resume"],
    run_dir.MODEL: ["evaluate", "predict"],
    run_dir.CONFIG: ["resume", "evaluate", "predict"],
}


def flip_a_byte_inside(path, member_bytes):
    data = bytearray(path.read_bytes())
    data[data.index(member_bytes) + 7] ^= 0x20
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("command", ["resume"])
def test_a_bit_flip_in_the_checkpoint_names_the_file_and_member(cli, run_copy, command):
    flip_a_byte_inside(run_copy / run_dir.CHECKPOINT, b"model/1.weight.npy")  # a zip header
    result = cli(*COMMANDS[command](run_copy))
    assert_user_error(result, str(run_copy / run_dir.CHECKPOINT))


@pytest.mark.parametrize("command", READS[run_dir.MODEL])
def test_damaged_array_bytes_in_model_npz_name_the_member(cli, run_copy, tmp_path, command):
    np.save(tmp_path / "digit.npy", np.eye(28))
    path = run_copy / run_dir.MODEL
    weights = np.load(path)["1.bias"].tobytes()
    flip_a_byte_inside(path, weights)
    result = cli(*COMMANDS[command](run_copy))
    assert_user_error(result, str(path), "member '1.bias.npy'", "CRC")


@pytest.mark.parametrize("name", [run_dir.CHECKPOINT, run_dir.MODEL])
@pytest.mark.parametrize("damage", ["truncated", "empty", "not_npz"])
def test_truncated_empty_or_foreign_files(cli, run_copy, tmp_path, name, damage):
    np.save(tmp_path / "digit.npy", np.eye(28))
    path = run_copy / name
    damaged = {"truncated": path.read_bytes()[:-100], "empty": b"", "not_npz": b"hello"}
    path.write_bytes(damaged[damage])
    for command in READS[name]:
        result = cli(*COMMANDS[command](run_copy))
        assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"lr": "fast"}, ["'lr' must be a finite number greater than 0"]),
        ({"lr": float("inf")}, ["'lr'"]),
        ({"hidden": [0]}, ["'hidden'"]),
        ({"hidden": "512"}, ["'hidden'"]),
        ({"epochs": -1}, ["'epochs'"]),
        ({"epochs": True}, ["'epochs'"]),
        ({"model": "resnet"}, ["'model' must be one of"]),
        ({"optimizer": None}, ["'optimizer'"]),
        ({"seed": 1.5}, ["'seed'"]),
        ({"limit": 0}, ["'limit'"]),
        ({"dropout": 2}, ["'dropout'"]),
        ({"model": "twolayer", "hidden": [64, 32]}, ["one hidden size"]),
        ({"dataset": None, "batch_size": None}, ["'dataset'", "'batch_size'"]),
    ],
)
def test_damaged_values_in_config_json(cli, run_copy, tmp_path, change, words):
    np.save(tmp_path / "digit.npy", np.eye(28))
    path = run_copy / run_dir.CONFIG
    path.write_text(json.dumps(json.loads(path.read_text()) | change))
    for command in READS[run_dir.CONFIG]:
        assert_user_error(cli(*COMMANDS[command](run_copy)), str(path), "is damaged", *words)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{not json", ["Expecting property name"]),
        ('{"lr": 0.1, "lr": 0.2}', ["'lr' appears twice"]),
        ("[1, 2]", ["no settings object"]),
        ("{}", ["'dataset' is missing"]),
        ("", ["Expecting value"]),
    ],
)
def test_a_config_json_that_is_not_settings(cli, run_copy, text, words):
    (run_copy / run_dir.CONFIG).write_text(text)
    for command in ("resume", "evaluate"):
        assert_user_error(cli(*COMMANDS[command](run_copy)), "config.json is damaged", *words)


def test_a_folder_in_place_of_the_checkpoint(cli, run_copy):
    (run_copy / run_dir.CHECKPOINT).unlink()
    (run_copy / run_dir.CHECKPOINT).mkdir()
    assert_user_error(cli(*COMMANDS["resume"](run_copy)), "no checkpoint.npz to resume")
    assert cli("evaluate", run_copy).returncode == 0  # model.npz holds the weights


def test_a_resume_with_another_architecture_is_one_line(cli, run_copy):
    path = run_copy / run_dir.CONFIG
    path.write_text(json.dumps(json.loads(path.read_text()) | {"hidden": [64, 32]}))
    result = cli(*COMMANDS["resume"](run_copy))
    assert_user_error(result, "cannot resume from", "checkpoint.npz", "shape")
    assert len(result.stderr) < 600


def test_evaluate_with_weights_that_do_not_fit_the_network_is_one_line(cli, run_copy):
    path = run_copy / run_dir.CONFIG
    path.write_text(json.dumps(json.loads(path.read_text()) | {"hidden": [64]}))
    assert_user_error(cli("evaluate", run_copy), "do not fit the network", "model.npz")
