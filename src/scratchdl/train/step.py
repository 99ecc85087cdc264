"""The training step: the one place where a model learns from one batch.

    outputs = model(inputs); loss = loss_fn(outputs, targets)
    optimizer.zero_grad(); loss.backward()
    for hook in gradient_hooks: hook(model)        # clipping, noise, ...
    optimizer.step()

``fit``, the Keras front end, the command line and the benchmarks all call ``train_step``;
a faster step (a compiled one, say) replaces its body, never its callers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from scratchdl.autograd import Tensor

LossFn = Callable[[Tensor, Tensor], Tensor]
GradientHook = Callable[[Any], None]


class TrainingDiverged(RuntimeError):  # noqa: N818 - names an event, like StopIteration
    """The loss became NaN or infinite; the step changed no parameter."""


class StepResult(NamedTuple):
    """What one training step measured: the batch's loss as a float and the model's outputs
    (computed before the update)."""

    loss: float
    outputs: Tensor


def train_step(
    model: Any,
    inputs: Tensor,
    targets: Tensor,
    loss_fn: LossFn,
    optimizer: Any,
    gradient_hooks: Sequence[GradientHook] = (),
) -> StepResult:
    """Train ``model`` on one batch: forward, loss, backward, ``gradient_hooks``, update.

    Each hook is called as ``hook(model)`` after backward and before the optimizer step,
    when every gradient is in place (``lambda m: nn.utils.clip_grad_norm_(m.parameters(),
    1.0)`` clips). Raises TrainingDiverged, before any gradient or parameter changes, when
    the loss is NaN or infinite.
    """
    outputs = model(inputs)
    loss = loss_fn(outputs, targets)
    loss_value = finite_loss(loss.item())
    update(model, optimizer, loss.backward, gradient_hooks)
    return StepResult(loss_value, outputs)


def finite_loss(value: Any) -> float:
    """The loss as a float; TrainingDiverged when it is NaN or infinite."""
    loss_value = float(value)
    if not math.isfinite(loss_value):
        raise TrainingDiverged(f"the loss became {loss_value}")
    return loss_value


def update(
    model: Any,
    optimizer: Any,
    backward: Callable[[], None],
    gradient_hooks: Sequence[GradientHook] = (),
) -> None:
    """The step after the loss: reset the gradients, ``backward()`` (which writes them),
    the hooks, the optimizer's update."""
    optimizer.zero_grad()
    backward()
    for hook in gradient_hooks:
        hook(model)
    optimizer.step()
