"""``--device``: where train, evaluate and predict compute, and ``info``'s list of GPUs."""

from __future__ import annotations

import numpy as np
import pytest

import scratchdl as sd
from scratchdl.cli import main, run_dir

from .conftest import TINY

pytestmark = pytest.mark.host  # each test names its device


@pytest.mark.parametrize("command", ["train", "evaluate", "predict"])
def test_cuda_without_a_gpu_is_one_line_and_exit_status_2(command, tmp_path, capsys):
    if sd.cuda.is_available():  # pragma: no cover - a GPU machine
        pytest.skip("this machine has a GPU")
    place = [str(tmp_path)] if command != "train" else []
    images = [str(tmp_path / "x.png")] if command == "predict" else []
    assert main([command, *place, *images, "--device", "cuda"]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0
    assert error.startswith("scratchdl: error: argument --device: cuda: CUDA is not available")


def test_an_unknown_device_is_refused(capsys):
    assert main(["train", "--device", "tpu"]) == 2
    assert "unknown device type 'tpu'" in capsys.readouterr().err


def test_train_and_evaluate_on_the_strict_device(data_root, tmp_path, capsys):
    out = tmp_path / "run"
    common = ("--data-dir", str(data_root), "--no-download", "--device", "strict")
    assert main(["train", *TINY, *common, "--epochs", "1", "--no-plots", "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith("device: strict — ")
    assert main(["evaluate", str(out), *common]) == 0
    assert "accuracy" in capsys.readouterr().out
    assert sd.get_default_device() == sd.device("cpu")  # restored after each command


def test_auto_keeps_a_default_device_the_caller_chose(data_root, tmp_path, capsys):
    out = tmp_path / "run"
    with sd.device("strict"):
        assert main(
            ["train", *TINY, "--data-dir", str(data_root), "--no-download", "--epochs", "1",
             "--no-plots", "--out", str(out)]
        ) == 0  # fmt: skip
    assert capsys.readouterr().out.startswith("device: strict — ")


def test_info_lists_the_gpus(capsys):
    assert main(["info"]) == 0
    lines = capsys.readouterr().out.splitlines()
    gpus = lines[lines.index("GPUs") + 1]
    if sd.cuda.is_available():  # pragma: no cover - a GPU machine
        assert gpus.startswith("  cuda:0 ")
    else:
        assert gpus.startswith("  none: ")


def test_a_run_begun_on_the_device_goes_on_on_the_cpu_to_the_same_weights(data_root, tmp_path):
    options = (*TINY, "--data-dir", str(data_root), "--no-download", "--seed", "7", "--no-plots")
    straight, moved = tmp_path / "straight", tmp_path / "moved"
    assert (
        main(["train", *options, "--epochs", "2", "--device", "cpu", "--out", str(straight)]) == 0
    )
    assert (
        main(["train", *options, "--epochs", "1", "--device", "strict", "--out", str(moved)]) == 0
    )
    assert main(["train", "--resume", str(moved), "--epochs", "2", "--device", "cpu"]) == 0
    with np.load(straight / run_dir.MODEL) as expected, np.load(moved / run_dir.MODEL) as got:
        for name in expected.files:
            np.testing.assert_array_equal(got[name], expected[name], err_msg=name)
