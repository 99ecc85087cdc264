"""The learning-track demos: each writes a decodable PNG and returns its key numbers."""

from __future__ import annotations

import itertools
import math
import sys

import numpy as np
import pytest

from scratchdl.demos import DEMOS, run_demo
from scratchdl.demos.plotting import new_figure, save_figure

image = pytest.importorskip("matplotlib.image")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """demo(name) -> (path of its PNG, its numbers), each demo run once per module.

    MNIST is hidden (no data folder, an empty cache), so ``learning-rate`` takes its
    quick spiral fallback here; ``test_learning_rate_on_mnist`` covers the real data.
    """
    out_dir = tmp_path_factory.mktemp("demos")
    results = {}

    def run(name):
        if name not in results:
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("SCRATCHDL_DATA", str(out_dir / "no-datasets"))
                patch.setenv("XDG_CACHE_HOME", str(out_dir / "no-cache"))
                results[name] = run_demo(name, out_dir)
        return out_dir / f"{name}.png", results[name]

    return run


@pytest.mark.parametrize("name", list(DEMOS))
def test_demo_writes_a_png_and_returns_numbers(demo, name):
    path, numbers = demo(name)
    pixels = image.imread(path)
    height, width = pixels.shape[:2]
    assert height >= 300 and width >= 400
    assert numbers and all(isinstance(key, str) for key in numbers)
    assert not [p.name for p in path.parent.iterdir() if p.suffix != ".png"]  # no temp files


def test_run_demo_rejects_an_unknown_name_listing_the_demos(tmp_path):
    with pytest.raises(ValueError, match=r"unknown demo 'nope'.*gates, activations"):
        run_demo("nope", tmp_path)


def test_run_demo_creates_the_output_folder(tmp_path):
    out_dir = tmp_path / "a" / "b"
    run_demo("softmax", out_dir)
    assert (out_dir / "softmax.png").is_file()


def test_gates_truth_tables_and_xor_needs_two_layers(demo):
    _, numbers = demo("gates")
    assert numbers["truth_table_AND"] == [0, 0, 0, 1]
    assert numbers["truth_table_OR"] == [0, 1, 1, 1]
    assert numbers["truth_table_NAND"] == [1, 1, 1, 0]
    assert numbers["truth_table_XOR"] == [0, 1, 1, 0]
    assert numbers["xor_single_perceptron_errors"] > 0


def test_activation_derivatives_from_autograd(demo):
    _, numbers = demo("activations")
    assert numbers["max_derivative_step"] == 0.0
    assert numbers["max_derivative_sigmoid"] == pytest.approx(0.25)
    assert numbers["max_derivative_tanh"] == pytest.approx(1.0)
    assert numbers["max_derivative_relu"] == pytest.approx(1.0)
    assert numbers["max_derivative_softplus"] == pytest.approx(1 / (1 + math.exp(-5)))


def test_softmax_losses_match_the_book(demo):
    _, numbers = demo("softmax")
    assert numbers["sse_correct"] == pytest.approx(0.0975, abs=1e-4)
    assert numbers["sse_wrong"] == pytest.approx(0.5975, abs=1e-4)
    assert numbers["cross_entropy_correct"] == pytest.approx(0.5108, abs=1e-4)
    assert numbers["cross_entropy_wrong"] == pytest.approx(2.3026, abs=1e-4)
    np.testing.assert_allclose(numbers["softmax_small"], [0.01821, 0.24519, 0.73660], atol=1e-5)
    large = numbers["softmax_large"]
    assert np.all(np.isfinite(large)) and sum(large) == pytest.approx(1.0)
    assert large[0] == pytest.approx(1 / (1 + math.exp(-10) + math.exp(-20)))


def test_gradient_descent_end_points(demo):
    _, numbers = demo("gradient")
    np.testing.assert_allclose(numbers["end_point_lr_0.1"], [0.0, 0.0], atol=1e-8)
    assert np.linalg.norm(numbers["end_point_lr_10"]) > 1e10
    np.testing.assert_allclose(numbers["end_point_lr_1e-10"], [-3.0, 4.0], atol=1e-6)


def test_entropy_of_yut_and_the_cross_entropy_identity(demo):
    _, numbers = demo("entropy")
    assert numbers["yut_entropy_bits"] == pytest.approx(2.0306, abs=1e-4)
    assert numbers["fair_die_entropy_bits"] == pytest.approx(math.log2(6))
    np.testing.assert_allclose(
        numbers["yut_self_information_bits"], [2.0, math.log2(16 / 6), 2.0, 4.0, 4.0]
    )
    assert numbers["cross_entropy_yut_vs_uniform_bits"] == pytest.approx(math.log2(5))
    assert numbers["cross_entropy_yut_vs_uniform_bits"] == pytest.approx(
        numbers["yut_entropy_bits"] + numbers["kl_yut_vs_uniform_bits"]
    )


def test_bayes_iris_accuracy(demo):
    _, numbers = demo("bayes")
    assert numbers["test_accuracy"] == pytest.approx(43 / 45)
    assert (numbers["n_train"], numbers["n_test"]) == (105, 45)


def test_every_optimizer_gets_close_to_the_minimum(demo):
    _, numbers = demo("optimizers")
    start_f = 7.0**2 / 20 + 2.0**2
    final_f = {key: value for key, value in numbers.items() if key.startswith("final_f_")}
    assert len(final_f) == 6
    assert all(value < 0.03 * start_f for value in final_f.values())


def test_weight_init_activation_scales(demo):
    _, numbers = demo("weight-init")
    he = numbers["activation_std_relu_he"]
    assert len(he) == 5 and max(he) / min(he) < 1.5  # He keeps ReLU activations level
    tiny = numbers["activation_std_relu_std_0.01"]
    assert all(later < earlier / 5 for earlier, later in itertools.pairwise(tiny))  # collapse
    assert max(numbers["activation_std_sigmoid_std_0.01"]) < 0.05  # all near 0.5


def test_learning_rate_spiral_fallback(demo):
    _, numbers = demo("learning-rate")
    assert numbers["dataset"] == "spiral"
    assert numbers["final_loss_lr_0.001"] > numbers["final_loss_lr_0.1"] > 0


@pytest.mark.slow
def test_learning_rate_on_mnist(mnist_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("SCRATCHDL_DATA", str(mnist_dir))
    numbers = run_demo("learning-rate", tmp_path)
    assert numbers["dataset"] == "MNIST"
    assert numbers["final_loss_lr_0.001"] > numbers["final_loss_lr_0.01"]
    assert numbers["final_loss_lr_0.01"] > numbers["final_loss_lr_0.1"]
    assert numbers["final_loss_lr_0.1"] < 0.5
    assert image.imread(tmp_path / "learning-rate.png").shape[0] >= 300


def test_save_figure_is_atomic_and_creates_the_folder(tmp_path):
    figure, axes = new_figure(1, 2, title="two panels")
    assert axes.shape == (1, 2)
    path = save_figure(figure, tmp_path / "new" / "figure.png")
    assert path.read_bytes().startswith(b"\x89PNG")
    assert [p.name for p in path.parent.iterdir()] == ["figure.png"]


def test_missing_matplotlib_gives_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"pip install scratchdl\[plot\]"):
        new_figure()
