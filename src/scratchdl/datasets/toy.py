"""Small built-in datasets for first experiments: logic-gate truth tables and spirals."""

from __future__ import annotations

import numpy as np

from scratchdl.random import get_rng

GATE_INPUTS = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=np.float32)
GATE_OUTPUTS = {
    "AND": [0, 0, 0, 1],
    "OR": [0, 1, 1, 1],
    "NAND": [1, 1, 1, 0],
    "XOR": [0, 1, 1, 0],
}


def logic_gates(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The truth table of a two-input gate: X (4, 2) float32 and y (4,) int64.

    ``name`` is 'AND', 'OR', 'NAND' or 'XOR' (any case). XOR is the classic example a
    single perceptron cannot learn.
    """
    key = name.upper() if isinstance(name, str) else name
    if key not in GATE_OUTPUTS:
        raise ValueError(
            f"logic_gates: unknown gate {name!r}, expected one of {list(GATE_OUTPUTS)}"
        )
    return GATE_INPUTS.copy(), np.array(GATE_OUTPUTS[key], dtype=np.int64)


def spiral(
    n_per_class: int = 100, n_classes: int = 3, noise: float = 0.2, seed: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms, one per class (the CS231n / DeZero toy problem).

    Point i of class k lies at radius r = i / (n - 1) and angle
    t = 4k + 4r + noise * N(0, 1), i.e. (r sin t, r cos t). Returns X (N, 2) float32 and
    y (N,) int64 with N = n_per_class * n_classes, ordered by class. The noise comes from
    ``np.random.default_rng(seed)``, or from the library generator when ``seed`` is None.
    """
    for arg, value in (("n_per_class", n_per_class), ("n_classes", n_classes)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"spiral: {arg} must be a positive integer, got {value!r}")
    if noise < 0:
        raise ValueError(f"spiral: noise must be non-negative, got {noise}")
    rng = get_rng() if seed is None else np.random.default_rng(seed)
    radius = np.tile(np.linspace(0.0, 1.0, n_per_class), n_classes)
    labels = np.repeat(np.arange(n_classes), n_per_class)
    angle = 4.0 * labels + 4.0 * radius + noise * rng.standard_normal(radius.shape)
    X = np.stack([radius * np.sin(angle), radius * np.cos(angle)], axis=1)
    return X.astype(np.float32), labels.astype(np.int64)
