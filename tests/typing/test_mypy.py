"""A user's type checker understands the Tensor API: mypy accepts the examples and a typed
file of user code, and rejects a wrong use (so the check can fail)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mypy")

ROOT = Path(__file__).parents[2]
MYPY = [sys.executable, "-m", "mypy", "--follow-imports=silent", "--ignore-missing-imports"]


def run_mypy(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*MYPY, "--no-incremental", *map(str, paths)], cwd=ROOT, capture_output=True, text=True
    )


def test_mypy_accepts_the_examples_and_typed_user_code():
    result = run_mypy(ROOT / "examples", Path(__file__).with_name("typed_user_code.py"))
    assert result.returncode == 0, result.stdout


def test_mypy_rejects_a_tensor_used_as_a_string(tmp_path):
    wrong = tmp_path / "wrong.py"
    wrong.write_text("import scratchdl as torch\nname: str = torch.ones(2) * 2\n")
    result = run_mypy(wrong)
    assert result.returncode == 1
    assert 'Incompatible types in assignment (expression has type "Tensor"' in result.stdout
