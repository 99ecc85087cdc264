"""Without an optional package, a command says which extra to install, in one line, and
what does not need the package still works."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from scratchdl import io
from scratchdl.cli import main
from scratchdl.cli.extras import install_hint

from .conftest import TINY, assert_user_error


def test_demo_without_matplotlib_says_what_to_install_and_writes_nothing(scratchdl, tmp_path):
    out = tmp_path / "figures"
    result = scratchdl("demo", "softmax", "--out", out, without=("matplotlib",))
    assert_user_error(result, "pip install 'scratchdl[plot]'")
    assert not out.exists()


def test_predict_without_pillow_still_reads_npy(scratchdl, trained_run, tmp_path):
    npy, png = tmp_path / "seven.npy", tmp_path / "seven.png"
    np.save(npy, np.eye(28))
    png.write_bytes(b"\x89PNG")
    result = scratchdl("predict", trained_run.path, npy, png, without=("PIL",))
    assert result.stdout.startswith(f"{npy}: ")
    assert_user_error(result, str(png), "pip install 'scratchdl[image]'")


def test_train_without_matplotlib_or_tqdm_trains_and_notes_the_skipped_figures(
    scratchdl, data_root, tmp_path
):
    out = tmp_path / "run"
    result = scratchdl(
        "train", *TINY, "--epochs", "1", "--out", out, without=("matplotlib", "tqdm")
    )
    assert result.returncode == 0, result.stderr
    assert "figures skipped" in result.stderr and "scratchdl[plot]" in result.stderr
    assert (out / "model.npz").is_file()


def test_safetensors_files_need_no_safetensors_package(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "safetensors", None)
    io.save({"w": np.arange(3.0)}, tmp_path / "w.safetensors")
    np.testing.assert_array_equal(io.load(tmp_path / "w.safetensors")["w"].numpy(), np.arange(3.0))


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (ImportError("No module named 'matplotlib'", name="matplotlib"), "scratchdl[plot]"),
        (ImportError("halted", name="PIL.Image"), "scratchdl[image]"),
        (ImportError("needs it: pip install 'scratchdl[x]'", name="x"), "scratchdl[x]"),
        (ImportError("No module named 'scratchdl.gone'", name="scratchdl.gone"), None),
    ],
)
def test_only_a_missing_optional_package_is_an_expected_failure(error, expected):
    hint = install_hint(error)
    assert hint is None if expected is None else expected in hint


def test_a_bug_keeps_its_traceback(monkeypatch):
    from scratchdl.cli import info

    def broken(args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(info, "run", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        main(["info"])
