"""Mistakes: one line on stderr, exit status 2, no traceback, nothing written."""

from __future__ import annotations

import subprocess
import sys

import pytest

from scratchdl.cli import config, run_dir
from scratchdl.cli.errors import one_line

from .conftest import TINY, assert_user_error


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (["--model", "resnet"], ["--model", "invalid choice"]),
        (["--lr", "0"], ["--lr", "greater than 0"]),
        (["--lr", "-0.1"], ["--lr", "greater than 0"]),
        (["--lr", "inf"], ["--lr", "finite"]),
        (["--lr", "nan"], ["--lr", "finite"]),
        (["--weight-decay", "inf"], ["--weight-decay", "finite"]),
        (["--weight-decay", "-1"], ["--weight-decay", "0 or more"]),
        (["--dropout", "nan"], ["--dropout", "[0, 1)"]),
        (["--dropout", "1.5"], ["--dropout", "[0, 1)"]),
        (["--epochs", "0"], ["--epochs", "at least 1"]),
        (["--epochs", "2.5"], ["--epochs", "integer"]),
        (["--hidden", "256,x"], ["--hidden", "integer"]),
        (["--hidden", "0"], ["--hidden", "at least 1"]),
        (["--seed", "-1"], ["--seed", "0 or more"]),
        (["--model", "twolayer", "--dropout", "0.3"], ["twolayer", "dropout"]),
        (["--log-interval", "0"], ["--log-interval", "at least 1"]),
    ],
)
def test_bad_train_options(cli, tmp_path, options, words):
    out = tmp_path / "run"
    assert_user_error(cli("train", *options, "--out", out), *words)
    assert not out.exists()


@pytest.mark.parametrize(
    "command",
    [
        ["train", "--out", ""],
        ["train", "--resume", ""],
        ["train", "--data-dir", ""],
        ["evaluate", ""],
        ["predict", "", "x.npy"],
        ["demo", "softmax", "--out", ""],
    ],
)
def test_an_empty_path_is_refused(cli, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    assert_user_error(cli(*command), "expected a path")
    assert list(tmp_path.iterdir()) == []


def test_missing_data(scratchdl, tmp_path):
    empty = {"SCRATCHDL_DATA": str(tmp_path / "nothing"), "XDG_CACHE_HOME": str(tmp_path / "c")}
    out = tmp_path / "run"
    result = scratchdl("train", "--no-download", "--out", out, env=empty)
    assert_user_error(result, "MNIST", "missing", "SCRATCHDL_DATA")
    assert not out.exists()


@pytest.mark.parametrize(
    "command",
    [["train", "--out", "{tmp}/new"], ["info"], ["gradcheck"], ["evaluate", "{run}"]],
)
def test_a_data_dir_naming_a_file_is_an_error(cli, run_copy, tmp_path, command):
    a_file = tmp_path / "mnist.gz"
    a_file.write_bytes(b"not a folder")
    command = [part.format(tmp=tmp_path, run=run_copy) for part in command]
    assert_user_error(cli(*command, "--data-dir", a_file), "mnist.gz", "is a file, not a folder")
    assert not (tmp_path / "new").exists()


def test_scratchdl_data_naming_a_file_is_an_error(cli, tmp_path, monkeypatch):
    a_file = tmp_path / "data"
    a_file.write_bytes(b"")
    monkeypatch.setenv("SCRATCHDL_DATA", str(a_file))
    assert_user_error(cli("info"), "$SCRATCHDL_DATA", "is a file")


def test_a_network_too_large_for_memory_is_one_line(scratchdl, data_root, tmp_path):
    """In a process of its own: a failed 29 GiB allocation changes glibc's heap settings."""
    out = tmp_path / "run"
    result = scratchdl("train", *TINY, "--hidden", "10000000", "--out", out)
    assert_user_error(result, "not enough memory")
    assert not out.exists()


def test_out_dir_that_is_a_file(cli, tmp_path):
    existing = tmp_path / "notes.txt"
    existing.write_text("keep me")
    assert_user_error(cli("train", "--out", existing), "existing file")
    assert_user_error(cli("train", "--out", existing / "run"), "existing file")
    assert existing.read_text() == "keep me"


def test_an_unwritable_out_is_found_before_training(cli, data_root):
    """/proc refuses new folders even to root (a chmod would not stop root)."""
    result = cli("train", *TINY, "--out", "/proc/scratchdl-test/run")
    assert_user_error(result, "cannot write the run folder /proc/scratchdl-test/run")
    assert "epoch" not in result.stdout


def test_a_read_only_out_is_found_before_training(cli, data_root, tmp_path, monkeypatch):
    def refuse(path, text):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(run_dir, "write_text", refuse)
    out = tmp_path / "a" / "b" / "run"
    result = cli("train", *TINY, "--out", out)
    assert_user_error(result, "cannot write the run folder", "Permission denied")
    assert "epoch" not in result.stdout
    assert list(tmp_path.iterdir()) == []  # the folders created for the run are gone


@pytest.mark.parametrize("variable", ["PMI_SIZE", "OMPI_COMM_WORLD_SIZE"])
def test_mpiexec_without_mpi4py_is_refused_before_anything_is_written(
    cli, tmp_path, monkeypatch, variable
):
    """MPICH's or Open MPI's mpiexec started this process as one of 2: without python -m
    mpi4py they would not train together but each alone, into the same folder."""
    monkeypatch.setenv(variable, "2")
    result = cli("train", "--out", tmp_path / "run")
    launch = "launch: mpiexec -n 2 python -m mpi4py -m scratchdl train"
    assert_user_error(result, "mpiexec started 2 processes, but without mpi4py", launch)
    assert list(tmp_path.iterdir()) == []


def test_out_dir_that_already_holds_a_run(cli, trained_run):
    before = sorted(trained_run.path.iterdir())
    assert_user_error(cli("train", "--out", trained_run.path), "--resume")
    assert sorted(trained_run.path.iterdir()) == before


def test_resume_of_a_folder_that_is_no_run(cli, tmp_path):
    assert_user_error(
        cli("train", "--resume", tmp_path), "no checkpoint.npz", "start the run again"
    )
    assert_user_error(cli("train", "--resume", tmp_path / "absent"), "no such folder")


def test_resume_cannot_change_the_network(cli, trained_run):
    assert_user_error(cli("train", "--resume", trained_run.path, "--lr", "0.1"), "--lr")


def test_resume_of_a_finished_run_needs_more_epochs(cli, trained_run):
    assert_user_error(cli("train", "--resume", trained_run.path), "--epochs", "more than 2")
    assert_user_error(cli("train", "--resume", trained_run.path, "--epochs", "1"), "more than 2")


def test_evaluate_a_folder_that_is_no_run(cli, tmp_path):
    assert_user_error(cli("evaluate", tmp_path), "config.json")
    assert_user_error(cli("evaluate", tmp_path / "absent"), "no such folder")
    (tmp_path / "file").write_text("")
    assert_user_error(cli("predict", tmp_path / "file", "x.npy"), "is a file, not a run folder")


def test_unknown_subcommand(cli):
    assert_user_error(cli("fly"), "invalid choice")


def test_a_multi_line_message_becomes_one_line_with_its_first_details():
    message = "cannot load into MLP; nothing was changed:\n  a: x\n  b: y\n  c: z\n  d: w\n"
    assert (
        one_line(message)
        == "cannot load into MLP; nothing was changed: a: x; b: y; c: z; and 1 more"
    )


def test_every_setting_has_a_rule():
    assert set(config.RULES) == set(config.DEFAULTS)


def test_a_reader_that_leaves_stops_the_command_quietly():
    """``scratchdl info | head -1``: no error line, no traceback, the status of SIGPIPE."""
    process = subprocess.Popen(
        [sys.executable, "-m", "scratchdl", "info"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    process.stdout.close()  # before the command writes its first line
    assert process.wait() == 141
    assert process.stderr.read() == ""
