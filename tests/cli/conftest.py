"""Running the real ``scratchdl`` command, and one small trained run shared by the tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

TINY = ("--limit", "300", "--batch-size", "64")
"""Options for a run of a few batches on the first 300 images (a second or two)."""


def run_command(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    """Run ``python -m scratchdl ARGS`` in a fresh process; return the CompletedProcess."""
    return subprocess.run(
        [sys.executable, "-m", "scratchdl", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        check=False,
    )


@pytest.fixture
def scratchdl():
    """The command: ``scratchdl("train", "--epochs", "1")`` -> CompletedProcess."""
    return run_command


@pytest.fixture(scope="session")
def data_root() -> Path:
    """$SCRATCHDL_DATA, holding the real MNIST; tests that train are skipped without it."""
    root = os.environ.get("SCRATCHDL_DATA")
    if not root or not (Path(root) / "mnist").is_dir():
        pytest.skip("SCRATCHDL_DATA does not point at the datasets folder")
    return Path(root)


@pytest.fixture(scope="session")
def trained_run(data_root, tmp_path_factory) -> SimpleNamespace:
    """``scratchdl train`` for two epochs on 300 images, run once: ``.path`` is its folder,
    ``.stdout`` what it printed."""
    out = tmp_path_factory.mktemp("cli") / "run"
    result = run_command("train", *TINY, "--epochs", "2", "--out", out)
    assert result.returncode == 0, result.stderr
    return SimpleNamespace(path=out, stdout=result.stdout)
