"""Running the real ``scratchdl`` command, and one small trained run shared by the tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from scratchdl.cli import main

TINY = ("--limit", "300", "--batch-size", "64")
"""Options for a run of a few batches on the first 300 images (a second or two)."""

WITHOUT = (
    "import sys\n"
    "for name in sys.argv.pop(1).split(','): sys.modules[name] = None\n"
    "from scratchdl.cli import main\n"
    "sys.exit(main())\n"
)
"""``scratchdl`` with the packages named in its first argument unimportable, as if they
were not installed."""


def run_command(
    *args: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    without: tuple[str, ...] = (),
):
    """Run ``python -m scratchdl ARGS`` in a fresh process (with the packages ``without``
    made unimportable); return the CompletedProcess."""
    start = ["-m", "scratchdl"]
    if without:
        start = [
            "-c",
            WITHOUT + "from scratchdl.cli import main\nsys.exit(main())",
            ",".join(without),
        ]
    return subprocess.run(
        [sys.executable, *start, *map(str, args)],
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


@pytest.fixture
def cli(capsys):
    """``scratchdl.cli.main`` in this process: ``cli("evaluate", path)`` -> an object with
    ``returncode``, ``stdout`` and ``stderr``, like a CompletedProcess."""

    def run(*args):
        capsys.readouterr()
        returncode = main([str(arg) for arg in args])
        out, err = capsys.readouterr()
        return SimpleNamespace(returncode=returncode, stdout=out, stderr=err)

    return run


def assert_user_error(result, *words):
    """Exit status 2 and exactly one line on stderr, 'scratchdl: error: ...' holding words."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("scratchdl: error: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]


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
    ``.stdout`` what it printed. Tests must not change it (see ``run_copy``)."""
    out = tmp_path_factory.mktemp("cli") / "run"
    result = run_command("train", *TINY, "--epochs", "2", "--out", out)
    assert result.returncode == 0, result.stderr
    return SimpleNamespace(path=out, stdout=result.stdout)


@pytest.fixture
def run_copy(trained_run, tmp_path) -> Path:
    """A copy of the trained run's folder, for a test to change or damage."""
    return Path(shutil.copytree(trained_run.path, tmp_path / "run"))
