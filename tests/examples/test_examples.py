"""Every script in examples/ runs to the end (exit status 0) and prints something.

Scripts that read MNIST (``MNIST(...)`` or Keras's ``load_data()``) are skipped unless
SCRATCHDL_DATA points at the data files.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.py"))


def test_there_is_one_example_per_concept():
    assert len(EXAMPLES) >= 10
    numbers = [path.name.split("_")[0] for path in EXAMPLES]
    assert numbers == [f"{n:02d}" for n in range(1, len(EXAMPLES) + 1)]


@pytest.mark.parametrize("script", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_example_runs(script, tmp_path, request):
    text = script.read_text(encoding="utf-8")
    if "MNIST(" in text or "load_data()" in text:
        request.getfixturevalue("mnist_dir")  # skips without the MNIST files
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert not list(tmp_path.iterdir())  # an example writes no files
