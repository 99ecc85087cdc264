"""The problem-types demo: each head of the note's table learns its problem, and its
outputs have the range its activation promises."""

from __future__ import annotations

import pytest

from scratchdl.demos import run_demo

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def numbers(tmp_path_factory):
    return run_demo("problem-types", tmp_path_factory.mktemp("demo"))


def test_each_problem_has_the_notes_output_layer_and_loss(numbers):
    assert numbers["binary_output_layer"] == 'Dense(1, activation="sigmoid")'
    assert numbers["binary_loss"] == "binary_crossentropy"
    assert numbers["multi_class_output_layer"] == 'Dense(3, activation="softmax")'
    assert numbers["multi_class_loss"] == "categorical_crossentropy"
    assert numbers["regression_output_layer"] == "Dense(1)"
    assert numbers["regression_loss"] == "mse"
    assert (
        "Gaussian" in numbers["regression_why"]
        and "-log P(true class)" in numbers["multi_class_why"]
    )


def test_each_head_learns_its_problem(numbers):
    assert numbers["binary_final_accuracy"] > 0.95
    assert numbers["multi_class_final_accuracy"] > 0.95
    assert numbers["regression_final_mae"] < 0.15  # the noise alone gives 0.08


def test_outputs_have_the_range_of_their_activation(numbers):
    low, high = numbers["binary_output_range"]
    assert low >= 0 and high <= 1
    assert numbers["multi_class_probability_sums"] == pytest.approx([1, 1], abs=1e-5)
    low, high = numbers["regression_output_range"]
    assert low < -0.5 and high > 0.5  # a linear output reaches the targets' negative values
