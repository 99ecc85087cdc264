"""Run folder states: whatever stops a run (kill -9, Ctrl-C, a full disk, at any instant),
the folder is restartable, resumable or finished, every command agrees, and following
their advice ends with exactly the weights of an uninterrupted run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import scratchdl.nn as nn
from scratchdl import io
from scratchdl.cli import run_dir
from scratchdl.cli.errors import UserError
from scratchdl.cli.run_dir import RunFolder, State
from scratchdl.cli.training import Training
from scratchdl.io import atomic

from .conftest import TINY, assert_user_error

SMALL = (*TINY, "--hidden", "16", "--no-plots", "--seed", "3")
"""A small network, so that the folders copied below stay small."""


def temporaries(folder):
    return [path.name for path in folder.iterdir() if path.name.endswith(".tmp")]


def same_weights(folder, expected_folder):
    got, expected = io.load(folder / run_dir.MODEL), io.load(expected_folder / run_dir.MODEL)
    return list(got) == list(expected) and all(
        np.array_equal(got[name].numpy(), expected[name].numpy()) for name in expected
    )


def finished_process_id():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def answers(folder):
    """What each command makes of ``folder``: (new run accepted, --resume accepted,
    evaluate finds weights)."""

    def accepted(check, *args):
        try:
            check(*args)
        except UserError:
            return False
        return True

    run = RunFolder(folder)
    return (
        accepted(run_dir.check_new_run_dir, folder),
        accepted(run_dir.check_resumable, run, None),
        accepted(run_dir.load_trained_model, folder),
    )


EXPECTED_ANSWERS = {
    # state, model.npz present -> (new run, --resume, evaluate)
    (State.RESTARTABLE, False): (True, False, False),
    (State.RESUMABLE, False): (False, True, False),
    (State.FINISHED, False): (False, True, True),  # --resume writes the missing model.npz
    (State.FINISHED, True): (False, False, True),
}


@pytest.fixture(scope="module")
def kill_points(data_root, tmp_path_factory):
    """One straight run of two epochs, and a copy of its folder at every instant a kill
    could matter: before each rename of an atomic write (the temporary file cut in half,
    as a kill in mid-write leaves it) and after it."""
    base = tmp_path_factory.mktemp("kill")
    out, snapshots = base / "run", []
    real_replace = os.replace

    dead_writer = f"{atomic._host()}-{finished_process_id()}"

    def snapshot(label):
        copy = base / f"{len(snapshots):02d}-{label}"
        shutil.copytree(out, copy)
        for name in temporaries(copy):
            path = copy / name
            cut = path.read_bytes()[: path.stat().st_size // 2]
            path.unlink()
            (copy / name.replace(atomic._writer(), dead_writer)).write_bytes(cut)
        snapshots.append(copy)

    def replace(source, target):
        target = Path(target)
        if target.parent == out:
            snapshot(f"before-{target.name}")
        real_replace(source, target)
        if target.parent == out:
            snapshot(f"after-{target.name}")

    atomic.os.replace = replace
    try:
        from scratchdl.cli import main

        assert main(["train", *SMALL, "--epochs", "2", "--out", str(out)]) == 0
    finally:
        atomic.os.replace = real_replace
    return out, snapshots


def test_every_kill_point_leaves_a_state_that_every_command_agrees_on(kill_points):
    _, snapshots = kill_points
    assert len(snapshots) == 2 * (1 + 2 * 3 + 1)  # config; 2 x (checkpoint, 2 histories); model
    seen = set()
    for folder in snapshots:
        run = RunFolder(folder)
        key = (run.state, run.has_model)
        assert answers(folder) == EXPECTED_ANSWERS[key], folder.name
        seen.add(key)
    assert seen == set(EXPECTED_ANSWERS)


def test_following_the_advice_at_every_kill_point_ends_with_the_straight_runs_weights(
    kill_points, cli
):
    straight, snapshots = kill_points
    for folder in snapshots:
        run = RunFolder(folder)
        state, advice = run.state, run.advice()
        if state is State.RESTARTABLE:
            assert "start the run again" in advice
            result = cli("train", *SMALL, "--epochs", "2", "--out", folder)
        elif state is State.RESUMABLE or not run.has_model:
            assert f"scratchdl train --resume {folder}" in advice
            result = cli("train", "--resume", folder, "--no-plots")
        else:
            assert "finished" in advice
            result = cli("evaluate", folder)
        assert result.returncode == 0, (folder.name, result.stderr)
        assert same_weights(folder, straight), folder.name
        assert temporaries(folder) == [], folder.name


STALL_IN_SAVE = """
import os, sys, time
watched = sys.argv.pop(1)
real_fsync = os.fsync

def fsync(descriptor):  # the temporary file is written; the process is killed before the rename
    if watched in os.readlink(f"/proc/self/fd/{descriptor}"):
        print("stalled", flush=True)
        time.sleep(60)
    real_fsync(descriptor)

os.fsync = fsync
from scratchdl.cli import main
sys.exit(main())
"""


def kill_9_while_saving(watched, *args):
    """Run ``scratchdl ARGS`` and kill -9 it while it saves the file named ``watched``."""
    child = subprocess.Popen(
        [sys.executable, "-c", STALL_IN_SAVE, f".{watched}.", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    for line in child.stdout:
        if line == "stalled\n":
            break
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
def test_a_real_kill_9_during_the_first_checkpoint_leaves_a_restartable_folder(
    data_root, tmp_path, cli
):
    out = tmp_path / "run"
    kill_9_while_saving(run_dir.CHECKPOINT, "train", *SMALL, "--epochs", "1", "--out", out)
    assert RunFolder(out).state is State.RESTARTABLE and len(temporaries(out)) == 1
    assert_user_error(cli("train", "--resume", out), "no epoch is saved", "start the run again")
    assert_user_error(cli("evaluate", out), "no epoch is saved")
    assert cli("train", *SMALL, "--epochs", "1", "--out", out).returncode == 0
    assert temporaries(out) == [] and RunFolder(out).state is State.FINISHED


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
def test_a_real_kill_9_while_model_npz_is_written_keeps_the_finished_weights(
    data_root, tmp_path, cli
):
    out = tmp_path / "run"
    kill_9_while_saving(run_dir.MODEL, "train", *SMALL, "--epochs", "1", "--out", out)
    folder = RunFolder(out)
    assert folder.state is State.FINISHED and not folder.has_model
    evaluated = cli("evaluate", out)
    assert evaluated.returncode == 0, evaluated.stderr  # from the checkpoint's weights
    assert_user_error(cli("train", "--out", out), "--resume")
    resumed = cli("train", "--resume", out, "--no-plots")
    assert resumed.returncode == 0, resumed.stderr
    assert folder.has_model and temporaries(out) == []
    assert cli("evaluate", out).stdout == evaluated.stdout


def interrupt_saving_checkpoint(monkeypatch, epoch, after_rename):
    """Ctrl-C while the checkpoint of ``epoch`` is saved: before its rename, or just after."""
    real_replace = os.replace

    def replace(source, target):
        saving = Path(target).name == run_dir.CHECKPOINT
        saving = saving and io.read_checkpoint(source)["epoch"] == epoch
        if saving and not after_rename:
            raise KeyboardInterrupt
        real_replace(source, target)
        if saving:
            raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", replace)


@pytest.mark.parametrize(("after_rename", "saved"), [(False, 1), (True, 2)])
def test_ctrl_c_while_a_checkpoint_is_saved_names_the_epoch_that_is_saved(
    data_root, tmp_path, monkeypatch, cli, after_rename, saved
):
    out = tmp_path / "run"
    interrupt_saving_checkpoint(monkeypatch, 2, after_rename)
    result = cli("train", *SMALL, "--epochs", "3", "--out", out)
    assert result.returncode == 130
    assert f"epoch {saved} of 3 is saved" in result.stderr
    assert f"scratchdl train --resume {out}" in result.stderr
    assert temporaries(out) == [] and RunFolder(out).epochs_done == saved


def test_ctrl_c_in_the_first_epoch_says_to_start_again_and_the_folder_is_reused(
    data_root, tmp_path, monkeypatch, cli
):
    out = tmp_path / "run"
    interrupt_saving_checkpoint(monkeypatch, 1, after_rename=False)
    result = cli("train", *SMALL, "--epochs", "1", "--out", out)
    assert result.returncode == 130 and "no epoch is saved" in result.stderr
    monkeypatch.undo()
    assert cli("train", *SMALL, "--epochs", "1", "--out", out).returncode == 0


@pytest.mark.parametrize("name", [run_dir.CHECKPOINT, run_dir.HISTORY_CSV, run_dir.MODEL])
def test_a_full_disk_during_training_is_one_line_with_the_folders_advice(
    data_root, tmp_path, monkeypatch, cli, name
):
    real_replace = os.replace

    def full_for_name(source, target):
        if Path(target).name == name:
            raise OSError(28, "No space left on device", str(source))
        real_replace(source, target)

    out = tmp_path / "run"
    monkeypatch.setattr(atomic.os, "replace", full_for_name)
    result = cli("train", *SMALL, "--epochs", "1", "--out", out)
    monkeypatch.undo()
    advice = RunFolder(out).advice()
    assert_user_error(result, "No space left on device", advice)
    assert temporaries(out) == []
    if name == run_dir.CHECKPOINT:
        assert "start the run again" in advice
        assert cli("train", *SMALL, "--epochs", "1", "--out", out).returncode == 0
    else:
        assert cli("train", "--resume", out, "--no-plots").returncode == 0
    assert RunFolder(out).state is State.FINISHED and RunFolder(out).has_model


def test_a_finished_run_trained_further_is_resumable_until_it_finishes_again(
    trained_run, run_copy, monkeypatch, cli
):
    """model.npz goes before the first new checkpoint, so evaluate never shows old weights
    as the result of the longer run."""
    from scratchdl.cli.training import EpochTable

    finish_epoch = EpochTable.on_epoch_end

    def interrupt_epoch_3(self, epoch, record):
        if epoch == 3:
            raise KeyboardInterrupt
        finish_epoch(self, epoch, record)

    monkeypatch.setattr(EpochTable, "on_epoch_end", interrupt_epoch_3)
    assert cli("train", "--resume", run_copy, "--epochs", "3").returncode == 130
    monkeypatch.undo()
    assert RunFolder(run_copy).state is State.RESUMABLE and not RunFolder(run_copy).has_model
    assert_user_error(cli("evaluate", run_copy), "epoch 2 of 3 is saved", "--resume")
    assert cli("train", "--resume", run_copy, "--no-plots").returncode == 0
    assert RunFolder(run_copy).state is State.FINISHED


def checkpoint_folder(tmp_path, epochs_done, planned, stopped_epoch=None, model=False):
    """A run folder written by hand: config.json and a checkpoint of a tiny network."""
    from scratchdl.cli import config

    folder = tmp_path / "run"
    folder.mkdir()
    settings = config.resolve_settings({"epochs": planned, "patience": 1})
    run_dir.write_settings(folder, settings)
    records = [{"epoch": e, "val_loss": 1.0} for e in range(1, epochs_done + 1)]
    extra = {"records": records, "stopped_epoch": stopped_epoch}
    io.save_checkpoint(folder / run_dir.CHECKPOINT, nn.Linear(2, 2), epoch=epochs_done, extra=extra)
    if model:
        io.save(nn.Linear(2, 2), folder / run_dir.MODEL)
    return RunFolder(folder)


@pytest.mark.parametrize(
    ("done", "planned", "stopped", "model", "state"),
    [
        (1, 3, None, False, State.RESUMABLE),
        (3, 3, None, False, State.FINISHED),
        (2, 3, 2, False, State.FINISHED),  # early stopping ended it
        (3, 3, None, True, State.FINISHED),
    ],
)
def test_the_state_comes_from_the_checkpoint_and_model_npz(
    tmp_path, done, planned, stopped, model, state
):
    assert checkpoint_folder(tmp_path, done, planned, stopped, model).state is state


def test_a_run_stopped_early_resumes_only_to_write_its_model(tmp_path):
    folder = checkpoint_folder(tmp_path, 2, 5, stopped_epoch=2)
    run_dir.check_resumable(folder, None)  # model.npz is missing: --resume writes it
    io.save(nn.Linear(2, 2), folder.path / run_dir.MODEL)
    with pytest.raises(UserError, match="stopped early at epoch 2"):
        run_dir.check_resumable(RunFolder(folder.path), 9)


def test_records_that_do_not_match_the_epoch_count_make_the_checkpoint_corrupt(tmp_path):
    folder = checkpoint_folder(tmp_path, 2, 3)
    io.save_checkpoint(
        folder.path / run_dir.CHECKPOINT, nn.Linear(2, 2), epoch=3, extra={"records": []}
    )
    with pytest.raises(io.CorruptFileError, match="records"):
        _ = RunFolder(folder.path).state


def test_a_training_restored_from_a_folder_continues_its_records(trained_run, data_root):
    folder = RunFolder(trained_run.path)
    from scratchdl.cli import config

    settings = folder.settings
    train_set, test_set = config.load_datasets(settings, download=False)
    training = Training.build(settings, train_set, test_set)
    assert [record["epoch"] for record in training.restore(folder)] == [1, 2]
