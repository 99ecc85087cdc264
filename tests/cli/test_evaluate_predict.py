"""``scratchdl evaluate``, ``predict`` and ``info`` on a trained run."""

from __future__ import annotations

import re

import numpy as np
import pytest

from scratchdl.cli import main
from scratchdl.vision.datasets import MNIST


def test_evaluate_prints_loss_accuracy_per_class_and_the_confusion_matrix(trained_run, capsys):
    assert main(["evaluate", str(trained_run.path)]) == 0
    out = capsys.readouterr().out
    accuracy = re.search(r"accuracy (\d+\.\d\d)%", out).group(1)
    assert f"test accuracy {accuracy}%" in trained_run.stdout  # the last epoch's figure
    assert "300 images" in out
    matrix = out[out.index("confusion matrix") :].splitlines()[2:12]
    counts = np.array([[int(cell) for cell in row.split()[1:]] for row in matrix])
    assert counts.shape == (10, 10) and counts.sum() == 300


def draw_seven(path):
    """A thick black 7 on white paper, as a PNG."""
    Image = pytest.importorskip("PIL.Image")
    from PIL import ImageDraw

    image = Image.new("L", (120, 160), "white")
    ImageDraw.Draw(image).line([(25, 30), (95, 30), (50, 135)], fill="black", width=14)
    image.save(path)


def test_predict_a_png_and_a_npy(trained_run, tmp_path, capsys):
    png, npy = tmp_path / "seven.png", tmp_path / "test0.npy"
    draw_seven(png)
    np.save(npy, MNIST(train=False).data.numpy()[0])
    assert main(["predict", str(trained_run.path), str(png), str(npy)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    for line, path in zip(lines, (png, npy), strict=True):
        match = re.fullmatch(rf"{re.escape(str(path))}: (\d)   top 3: (\d) [\d.]+%, .*", line)
        assert match and match.group(1) == match.group(2), line


def test_info_lists_versions_and_verified_dataset_files(scratchdl, data_root):
    result = scratchdl("info")
    assert result.returncode == 0, result.stderr
    assert "NumPy" in result.stdout and "device: cpu" in result.stdout
    for name in ("train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        assert re.search(rf"{name}\s+MD5 ok\s+{re.escape(str(data_root))}", result.stdout)


def test_predict_reports_each_bad_file_by_name_and_predicts_the_rest(cli, trained_run, tmp_path):
    good, words, empty, missing = (
        tmp_path / name for name in ("good.npy", "words.npy", "empty.npy", "gone.png")
    )
    np.save(good, MNIST(train=False, download=False).data[0].numpy())
    np.save(words, np.array([["a", "b"], ["c", "d"]]))
    np.save(empty, np.zeros((0, 0)))
    result = cli("predict", trained_run.path, words, good, missing, empty, good)
    assert result.returncode == 2
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [str(good)] * 2
    errors = result.stderr.splitlines()
    assert len(errors) == 3 and all(line.startswith("scratchdl: error: ") for line in errors)
    for line, path in zip(errors, (words, missing, empty), strict=True):
        assert str(path) in line
