"""Metrics computed from a batch's outputs and targets, averaged over an epoch by ``fit``.

A metric is a function ``metric(outputs, targets) -> float`` on arrays, the mean over the
batch; ``fit`` and ``evaluate`` weight each batch by its size. Name one by string
('accuracy') or pass your own function (it is reported under its ``__name__``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from scratchdl.backend import get_array_module

Metric = Callable[..., float]


def accuracy(outputs, targets) -> float:
    """The fraction of samples whose highest score is the target class:
    mean(argmax(outputs, axis=1) == t).

    outputs: scores (logits or probabilities) of shape (N, C). targets: class indices (N,),
    or one-hot / probabilities (N, C), compared through their argmax.
    """
    if outputs.ndim != 2:
        raise ValueError(
            f"accuracy: expected class scores of shape (N, C), got outputs of shape "
            f"{tuple(outputs.shape)}; for regression pass metrics=()"
        )
    labels = targets.argmax(axis=1) if targets.ndim == 2 else targets
    if labels.shape != (len(outputs),):
        raise ValueError(
            f"accuracy: targets of shape {tuple(targets.shape)} do not match outputs "
            f"{tuple(outputs.shape)}; "
            "expected class indices (N,) or one-hot (N, C)"
        )
    xp = get_array_module(outputs)
    return float(xp.mean(outputs.argmax(axis=1) == labels))


METRICS: dict[str, Metric] = {"accuracy": accuracy}


def get_metrics(metrics: Iterable[str | Metric] | Mapping[str, Metric]) -> dict[str, Metric]:
    """Map each metric's reported name to its function (a mapping is taken as already
    resolved). Raises ValueError for an unknown name or two metrics with the same name."""
    if isinstance(metrics, Mapping):
        return dict(metrics)
    if isinstance(metrics, str):
        metrics = (metrics,)
    resolved: dict[str, Metric] = {}
    for metric in metrics:
        if isinstance(metric, str):
            if metric not in METRICS:
                raise ValueError(
                    f"metrics: unknown metric {metric!r}; expected one of {sorted(METRICS)} "
                    "or a function metric(outputs, targets) -> float"
                )
            name, function = metric, METRICS[metric]
        else:
            name, function = metric.__name__, metric
        if name in resolved or name == "loss":
            raise ValueError(f"metrics: the name {name!r} is used twice (the loss is 'loss')")
        resolved[name] = function
    return resolved
