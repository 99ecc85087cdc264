"""Real-shaped PyTorch programs run on scratchdl with only their imports changed: the
programs in this folder, on subsets of the real MNIST so that the suite stays fast."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import scratchdl as sd

HERE = Path(__file__).parent
pytestmark = pytest.mark.slow


def run(program: str, data: Path, cwd: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(HERE / program), "--data", str(data), *args],
        cwd=cwd, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_pytorch_examples_shaped_convnet_learns_and_saves(mnist_dir, tmp_path):
    output = run(
        "mnist_cnn.py", mnist_dir, tmp_path,
        "--dry-run", "--dry-run-batches", "40", "--test-samples", "1000",
        "--save-model", "mnist_cnn.pt",
    )  # fmt: skip
    assert re.search(r"Train Epoch: 1 \[0/60000 \(0%\)\]\tLoss: 2\.\d{6}", output)
    match = re.search(r"Test set: Average loss: (\d\.\d{4}), Accuracy: (\d+)/1000", output)
    assert match and int(match.group(2)) > 700  # 40 batches are enough for 70%
    state = sd.load(tmp_path / "mnist_cnn.pt")
    assert list(state) == [
        "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
        "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias",
    ]  # fmt: skip
    assert state["fc1.weight"].shape == (64, 16 * 12 * 12)


def test_the_seed_tutorial_shaped_mlp_prints_what_pytorch_prints(mnist_dir, tmp_path):
    output = run("mnist_mlp_tutorial.py", mnist_dir, tmp_path, "--epochs", "1",
                 "--train-samples", "640")  # fmt: skip
    assert "X_train: scratchdl.Size([32, 1, 28, 28]) type: torch.FloatTensor" in output
    assert "y_train: scratchdl.Size([32]) type: torch.LongTensor" in output
    assert (
        "Net(\n"
        "  (fc1): Linear(in_features=784, out_features=512, bias=True)\n"
        "  (fc2): Linear(in_features=512, out_features=256, bias=True)\n"
        "  (fc3): Linear(in_features=256, out_features=10, bias=True)\n"
        ")"
    ) in output
    assert "Train Epoch: 1 [0/640(0%)]\tTrain Loss: 2." in output
    assert re.search(r"\[EPOCH: 1\], \tTest Loss: \d\.\d{4}, \tTest Accuracy: \d+\.\d\d %", output)
