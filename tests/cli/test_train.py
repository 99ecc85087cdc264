"""``scratchdl train``: what it prints, the files it writes, and resuming exactly."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import scratchdl as sd
from scratchdl.cli import main, plots, run_dir
from scratchdl.cli.training import EpochTable, ResumedEarlyStopping
from scratchdl.demos.plotting import DPI, PANEL_SIZE

from .conftest import TINY


def pixels(inches):
    """(height, width) in pixels of a figure ``inches`` = (width, height) wide."""
    width, height = inches
    return round(height * DPI), round(width * DPI)


def test_prints_device_data_model_a_row_per_epoch_and_the_result(trained_run):
    lines = trained_run.stdout.splitlines()
    auto = "cuda — " if sd.cuda.is_available() else "cpu — NumPy"  # --device auto, a new process
    assert lines[0].startswith(f"device: {auto}")
    assert "MNIST" in lines[1] and "300 training and 300 test images" in lines[1]
    assert "784-512-10" in lines[2] and "407,050 parameters" in lines[2]
    header = next(i for i, line in enumerate(lines) if line.startswith("epoch"))
    assert [line.split()[0] for line in lines[header + 1 : header + 3]] == ["1", "2"]
    assert lines[-2].startswith("test accuracy ")
    assert lines[-1].startswith(f"files in {trained_run.path}: model.npz, checkpoint.npz")


def test_the_run_folder_holds_every_file(trained_run):
    pytest.importorskip("matplotlib")
    folder = trained_run.path
    figures = [run_dir.CURVES, run_dir.CONFUSION, run_dir.MISCLASSIFIED]
    assert sorted(path.name for path in folder.iterdir()) == sorted([*run_dir.RECORDS, *figures])
    assert trained_run.stdout.splitlines()[-1].endswith(", ".join(figures))
    config = json.loads((folder / run_dir.CONFIG).read_text())
    assert config["model"] == "mlp" and config["hidden"] == [512] and config["lr"] == 0.001
    rows = list(csv.DictReader((folder / run_dir.HISTORY_CSV).open()))
    assert [int(row["epoch"]) for row in rows] == [1, 2]
    columns = json.loads((folder / run_dir.HISTORY_JSON).read_text())
    assert columns["val_accuracy"] == [float(row["val_accuracy"]) for row in rows]
    with np.load(folder / run_dir.MODEL) as weights:
        assert weights["1.weight"].shape == (512, 784)


@pytest.mark.parametrize(
    ("name", "inches"),
    [
        (run_dir.CURVES, (2 * PANEL_SIZE[0], PANEL_SIZE[1])),
        (run_dir.CONFUSION, plots.CONFUSION_INCHES),
        (run_dir.MISCLASSIFIED, plots.GRID_INCHES),
    ],
)
def test_the_figures_are_pngs_of_the_expected_size(trained_run, name, inches):
    image = pytest.importorskip("matplotlib.image").imread(trained_run.path / name)
    assert image.shape[:2] == pixels(inches)
    assert image.std() > 0.05  # something is drawn


def test_resume_after_an_interruption_ends_with_the_weights_of_a_straight_run(
    scratchdl, data_root, tmp_path
):
    """Shuffling, dropout and the scheduler all draw on state the checkpoint must restore."""
    options = (*TINY, "--scheduler", "exponential", "--seed", "7", "--no-plots")
    straight, resumed = tmp_path / "straight", tmp_path / "resumed"
    assert scratchdl("train", *options, "--epochs", "2", "--out", straight).returncode == 0
    assert scratchdl("train", *options, "--epochs", "1", "--out", resumed).returncode == 0
    result = scratchdl("train", "--resume", resumed, "--epochs", "2")
    assert result.returncode == 0, result.stderr

    with np.load(straight / run_dir.MODEL) as expected, np.load(resumed / run_dir.MODEL) as got:
        assert expected.files == got.files
        for name in expected.files:
            np.testing.assert_array_equal(got[name], expected[name], err_msg=name)
    losses = [json.loads((f / run_dir.HISTORY_JSON).read_text()) for f in (straight, resumed)]
    assert losses[0]["val_loss"] == losses[1]["val_loss"]


def test_ctrl_c_keeps_the_last_finished_epoch_and_says_how_to_resume(
    data_root, tmp_path, monkeypatch, capsys
):
    finish_epoch = EpochTable.on_epoch_end

    def interrupt_epoch_2(self, epoch, record):
        if epoch == 2:
            raise KeyboardInterrupt
        finish_epoch(self, epoch, record)

    monkeypatch.setattr(EpochTable, "on_epoch_end", interrupt_epoch_2)
    out = tmp_path / "run"
    assert main(["train", *TINY, "--epochs", "3", "--no-plots", "--out", str(out)]) == 130
    assert f"scratchdl train --resume {out}" in capsys.readouterr().err
    assert json.loads((out / run_dir.HISTORY_JSON).read_text())["epoch"] == [1]

    monkeypatch.undo()
    assert main(["train", "--resume", str(out)]) == 0
    assert json.loads((out / run_dir.HISTORY_JSON).read_text())["epoch"] == [1, 2, 3]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_real_ctrl_c_exits_130_with_the_resume_command(data_root, tmp_path):
    out = tmp_path / "run"
    command = [sys.executable, "-m", "scratchdl", "train", *TINY, "--epochs", "1000"]
    process = subprocess.Popen(
        [*command, "--no-plots", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # even if ignored here
    )
    while not (out / run_dir.CHECKPOINT).exists() and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate()
    assert process.returncode == 130, stderr
    assert f"scratchdl train --resume {out}" in stderr and "Traceback" not in stderr


def test_early_stopping_resumes_its_count_of_epochs_without_improvement():
    records = [{"epoch": 1, "val_loss": 0.5}, {"epoch": 2, "val_loss": 0.6}]
    callback = ResumedEarlyStopping(patience=2, past_records=records)
    callback.on_train_begin()
    assert (callback.best_epoch, callback.stop_training) == (1, False)
    callback.on_epoch_end(3, {"epoch": 3, "val_loss": 0.7})
    assert callback.stopped_epoch == 3
