"""Demos for the learning track: each draws one figure and returns its key numbers.

    from scratchdl.demos import DEMOS, run_demo
    numbers = run_demo("softmax", "figures")   # writes figures/softmax.png

A demo is a function ``run(out_dir) -> dict`` that writes ``<out_dir>/<name>.png`` and
returns the figures it illustrates (floats, ints, strings or short lists of them). Adding a
demo is one module with such a function and one entry in ``DEMOS``. Drawing needs the
optional matplotlib (``pip install scratchdl[plot]``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from scratchdl.demos import (
    activations,
    batchnorm,
    bayes,
    entropy,
    gates,
    gradient,
    learning_rate,
    optimizers,
    overfitting,
    problem_types,
    softmax,
    weight_init,
)

DEMOS: dict[str, Callable[[Path], dict]] = {
    "gates": gates.run,
    "activations": activations.run,
    "softmax": softmax.run,
    "gradient": gradient.run,
    "entropy": entropy.run,
    "bayes": bayes.run,
    "optimizers": optimizers.run,
    "weight-init": weight_init.run,
    "batchnorm": batchnorm.run,
    "overfitting": overfitting.run,
    "learning-rate": learning_rate.run,
    "problem-types": problem_types.run,
}
"""Every demo by name, in the order of the learning track."""


def run_demo(name: str, out_dir: str | Path) -> dict:
    """Run the demo ``name``: write ``<out_dir>/<name>.png`` (creating out_dir) and return
    its key numbers. Raises ValueError listing the demos for an unknown name."""
    if name not in DEMOS:
        raise ValueError(f"run_demo: unknown demo {name!r}; expected one of {', '.join(DEMOS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return DEMOS[name](out_dir)


__all__ = ["DEMOS", "run_demo"]
