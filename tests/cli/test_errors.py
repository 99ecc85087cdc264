"""User mistakes: one line on stderr, exit status 2, no traceback, nothing written."""

from __future__ import annotations

import pytest

from scratchdl.cli import config, run_dir


def assert_user_error(result, *words):
    """Exit status 2 and exactly one line on stderr, 'scratchdl: error: ...' holding words."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("scratchdl: error: "), result.stderr
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (["--model", "resnet"], ["--model", "invalid choice"]),
        (["--lr", "0"], ["--lr", "greater than 0"]),
        (["--lr", "-0.1"], ["--lr", "greater than 0"]),
        (["--epochs", "0"], ["--epochs", "at least 1"]),
        (["--hidden", "256,x"], ["--hidden", "integer"]),
        (["--dropout", "1.5"], ["--dropout", "[0, 1)"]),
        (["--model", "twolayer", "--dropout", "0.3"], ["twolayer", "dropout"]),
    ],
)
def test_bad_train_options(scratchdl, tmp_path, options, words):
    out = tmp_path / "run"
    assert_user_error(scratchdl("train", *options, "--out", out), *words)
    assert not out.exists()


def test_missing_data(scratchdl, tmp_path):
    empty = {"SCRATCHDL_DATA": str(tmp_path / "nothing"), "XDG_CACHE_HOME": str(tmp_path / "c")}
    out = tmp_path / "run"
    result = scratchdl("train", "--no-download", "--out", out, env=empty)
    assert_user_error(result, "MNIST", "missing", "SCRATCHDL_DATA")
    assert not out.exists()


def test_out_dir_that_is_a_file(scratchdl, tmp_path):
    existing = tmp_path / "notes.txt"
    existing.write_text("keep me")
    assert_user_error(scratchdl("train", "--out", existing), "existing file")
    assert existing.read_text() == "keep me"


def test_out_dir_that_already_holds_a_run(scratchdl, trained_run):
    before = sorted(trained_run.path.iterdir())
    assert_user_error(scratchdl("train", "--out", trained_run.path), "--resume")
    assert sorted(trained_run.path.iterdir()) == before


def test_resume_without_a_checkpoint(scratchdl, tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    run_dir.write_settings(folder, config.resolve_settings({}))
    assert_user_error(scratchdl("train", "--resume", folder), "checkpoint.npz")
    assert sorted(folder.iterdir()) == [folder / run_dir.CONFIG]


def test_resume_of_a_folder_that_is_no_run(scratchdl, tmp_path):
    assert_user_error(scratchdl("train", "--resume", tmp_path), "no config.json")


def test_resume_cannot_change_the_network(scratchdl, trained_run):
    assert_user_error(scratchdl("train", "--resume", trained_run.path, "--lr", "0.1"), "--lr")


def test_resume_of_a_finished_run_needs_more_epochs(scratchdl, trained_run):
    assert_user_error(scratchdl("train", "--resume", trained_run.path), "--epochs")


def test_unreadable_image(scratchdl, trained_run, tmp_path):
    not_an_image = tmp_path / "digit.png"
    not_an_image.write_text("not a PNG")
    assert_user_error(scratchdl("predict", trained_run.path, not_an_image), "digit.png")
    assert_user_error(scratchdl("predict", trained_run.path, tmp_path / "absent.png"), "absent")


def test_evaluate_a_folder_that_is_no_run(scratchdl, tmp_path):
    assert_user_error(scratchdl("evaluate", tmp_path), "config.json")


def test_unknown_subcommand(scratchdl):
    assert_user_error(scratchdl("fly"), "invalid choice")
