"""The per-sample accuracies: 1 where a prediction is right, else 0 (on arrays)."""

from __future__ import annotations

from typing import Any

import numpy as np

from scratchdl.autograd import wrap
from scratchdl.backend import get_array_module
from scratchdl.keras import losses


def accuracy(y_true: Any, y_pred: Any) -> Any:
    """1 where the prediction equals the target exactly, else 0."""
    y_true, y_pred = _same_rank(y_true, y_pred)
    return (y_true == y_pred).astype(np.float32)


def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> Any:
    """1 where (y_pred > threshold) equals the 0/1 target, else 0."""
    y_true, y_pred = _same_rank(y_true, y_pred)
    return (y_true == (y_pred > threshold)).astype(np.float32)


def categorical_accuracy(y_true: Any, y_pred: Any) -> Any:
    """1 where the predicted class (the largest score) is the one-hot target's, else 0."""
    return (y_true.argmax(axis=-1) == y_pred.argmax(axis=-1)).astype(np.float32)


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> Any:
    """1 where the predicted class (the largest score) is the class index, else 0."""
    labels = y_true.reshape(y_pred.shape[:-1])
    return (labels == y_pred.argmax(axis=-1)).astype(np.float32)


def top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> Any:
    """1 where the one-hot target's class is among the k largest scores, else 0."""
    return sparse_top_k_categorical_accuracy(y_true.argmax(axis=-1), y_pred, k)


def sparse_top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> Any:
    """1 where the class index is among the k largest scores (fewer than k classes score
    higher), else 0."""
    labels = y_true.reshape(-1).astype(np.int64)
    xp = get_array_module(y_pred)
    target_scores = y_pred[xp.arange(len(labels)), labels]
    higher = (y_pred > target_scores[:, None]).sum(axis=-1)
    return (higher < k).astype(np.float32)


def _same_rank(y_true: Any, y_pred: Any) -> tuple[Any, Any]:
    t, p = losses.same_rank(wrap(y_true), wrap(y_pred))
    return t.data, p.data
