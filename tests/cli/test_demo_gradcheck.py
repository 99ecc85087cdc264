"""``scratchdl demo`` and ``scratchdl gradcheck`` through the real entry point."""

from __future__ import annotations

import pytest


def test_demo_writes_its_figure_and_prints_its_numbers(scratchdl, tmp_path):
    image = pytest.importorskip("matplotlib.image")
    result = scratchdl("demo", "softmax", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "sse_correct: 0.0975" in result.stdout
    assert image.imread(tmp_path / "softmax.png").ndim == 3


def test_demo_list_and_errors(scratchdl, tmp_path):
    assert "weight-init" in scratchdl("demo", "--list").stdout.split()
    for args in (["demo"], ["demo", "nope"], ["demo", "softmax", "--out", __file__]):
        result = scratchdl(*args)
        assert result.returncode == 2 and "Traceback" not in result.stderr


def test_gradcheck_prints_tiny_differences(scratchdl):
    result = scratchdl("gradcheck", "--images", "2")
    assert result.returncode == 0, result.stderr
    differences = [float(line.split("=")[1]) for line in result.stdout.splitlines() if "=" in line]
    assert len(differences) == 4 and max(differences) < 1e-7
