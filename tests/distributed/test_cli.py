"""``scratchdl train`` on 2 ranks: one table, one writer, resuming on any number of ranks,
and failures that end the whole job."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from scratchdl.cli import main, run_dir
from scratchdl.cli.run_dir import RunFolder, State

pytestmark = pytest.mark.slow

RUN = ("--model", "twolayer", "--limit", "300", "--batch-size", "64", "--no-plots")
"""Five steps an epoch (the last one of 44 images) of the book's small network; no dropout,
so 2 ranks and one process train on the same numbers."""


@pytest.fixture(autouse=True)
def mnist():
    """The tests train on the real MNIST: skipped unless $SCRATCHDL_DATA holds it."""
    root = os.environ.get("SCRATCHDL_DATA")
    if not root or not (Path(root) / "mnist").is_dir():
        pytest.skip("SCRATCHDL_DATA does not point at the datasets folder")


def weights(folder: Path) -> dict[str, np.ndarray]:
    with np.load(folder / run_dir.MODEL) as saved:
        return dict(saved)


def history(folder: Path) -> dict[str, list]:
    return json.loads((folder / run_dir.HISTORY_JSON).read_text())


def test_two_ranks_print_one_table_and_rank_0_alone_writes_the_folder(mpiexec, tmp_path):
    rank_dirs = [tmp_path / "rank0", tmp_path / "rank1"]  # the relative --out lands apart
    for folder in rank_dirs:
        folder.mkdir()
    job = mpiexec("scratchdl", "train", *RUN, "--epochs", "2", "--out", "run", rank_dirs=rank_dirs)
    lines = job.stdout.splitlines()
    assert lines[0].startswith("device: cpu")
    assert "batch 64 split over 2 ranks" in lines[3]
    assert sum(line.startswith("epoch  train loss") for line in lines) == 1
    assert [line.split()[0] for line in lines[6:8]] == ["1", "2"]
    assert lines[-2].startswith("test accuracy ") and len(lines) == 10
    assert job.stderr == ""
    assert list(rank_dirs[1].iterdir()) == []
    folder = RunFolder(rank_dirs[0] / "run")
    assert folder.state is State.FINISHED and folder.epochs_done == 2
    assert sorted(path.name for path in folder.path.iterdir()) == sorted(run_dir.RECORDS)


def test_a_checkpoint_of_two_ranks_resumes_on_one_and_on_two_as_one_straight_process(
    mpiexec, tmp_path
):
    options = (*RUN, "--scheduler", "exponential", "--seed", "3")
    straight, on_two = tmp_path / "straight", tmp_path / "on_two"
    assert main(["train", *options, "--epochs", "3", "--out", str(straight), "-q"]) == 0
    mpiexec("scratchdl", "train", *options, "--epochs", "1", "--out", on_two, "-q")
    on_one = Path(shutil.copytree(on_two, tmp_path / "on_one"))
    assert main(["train", "--resume", str(on_one), "--epochs", "3", "-q"]) == 0
    mpiexec("scratchdl", "train", "--resume", on_two, "--epochs", "3", "-q")

    expected = weights(straight)
    for resumed in (on_one, on_two):
        got = weights(resumed)
        assert list(got) == list(expected)
        for name, value in expected.items():
            np.testing.assert_allclose(got[name], value, rtol=1e-4, atol=1e-6, err_msg=name)
        records, reference = history(resumed), history(straight)
        assert records["epoch"] == [1, 2, 3]
        assert records["val_accuracy"] == reference["val_accuracy"]
        np.testing.assert_allclose(records["val_loss"], reference["val_loss"], rtol=1e-5)


@pytest.mark.parametrize(
    ("how", "message"),
    [("raise", "RuntimeError: rank 1 fails on purpose at step 8"), ("kill", "signal 9")],
)
def test_a_rank_that_fails_during_training_ends_the_job_and_leaves_it_resumable(
    mpiexec, tmp_path, how, message
):
    out = tmp_path / "run"
    args = ("train", *RUN, "--epochs", "3", "--out", out)
    job = mpiexec("tests.distributed.cli_script", how, 8, *args, check=False)  # in epoch 2
    assert job.returncode != 0
    assert message in job.stdout + job.stderr
    assert RunFolder(out).state is State.RESUMABLE and RunFolder(out).epochs_done == 1
    assert main(["train", "--resume", str(out), "-q"]) == 0


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (  # the same mistake on every rank
            ("--batch-size", "0"),
            "argument --batch-size: expected an integer of at least 1, got '0' (see "
            "'scratchdl train --help')",
        ),
        (("--resume", "/nowhere"), "/nowhere: no such folder"),  # every rank, in its set-up
        (  # rank 0 alone writes, so it alone fails
            ("--out", "/proc/scratchdl-run"),
            "cannot write the run folder /proc/scratchdl-run: No such file or directory",
        ),
    ],
)
def test_an_error_before_training_ends_every_rank_with_one_line(mpiexec, args, error):
    job = mpiexec("scratchdl", "train", *args, check=False)
    assert job.returncode == 2
    assert job.stderr.splitlines() == [f"scratchdl: error: {error}"]  # no MPI_Abort either
    assert job.stdout == ""
