"""What fit and evaluate run for a compiled model: the network the training loop calls, its
loss function and its metric functions.

A softmax (or sigmoid) output layer followed by a crossentropy is folded into the loss:
the loop calls the model up to that layer's logits, and the loss computes log-softmax (or
softplus) from them. That is stable even for a confident wrong prediction (where the
probability form has to clip log 0), and the activation is never applied twice, not even
when the loss was told ``from_logits=True`` after a softmax layer (a warning says so). The
metrics still see the probabilities, as in Keras.
"""

from __future__ import annotations

import warnings
from typing import Any

import scratchdl.nn as nn
from scratchdl.autograd import Tensor, no_grad, wrap
from scratchdl.keras import activations, losses, metrics
from scratchdl.keras.layers.base import as_float_tensor


class Plan:
    """What fit and evaluate run for one model, loss and metrics: the network the loop
    calls (the model, or its logits when the loss folds the output activation in), the
    loss function of the loop (plus the weight penalties) and the metric functions (on the
    model's real outputs)."""

    def __init__(self, model: Any, loss: losses.Loss, compiled: list[Any]) -> None:
        self.model, self.loss = model, loss
        output_activation = _folded_activation(model, loss)
        if output_activation is not None:
            self.network: nn.Module = Logits(model)
            self.loss = loss.with_logits()
        else:
            self.network = model
        self.metric_fns = {
            metric.name: _on_outputs(metric, output_activation) for metric in compiled
        }

    def loss_fn(self, outputs: Tensor, targets: Tensor) -> Tensor:
        loss = self.loss(targets, outputs)
        penalty = self.model.regularization_penalty()
        return loss if penalty is None else loss + penalty


class Logits(nn.Module):
    """A model's output before its last layer's activation."""

    def __init__(self, model: Any) -> None:
        super().__init__()
        self.model = model
        self.training = model.training

    def forward(self, x: Any) -> Tensor:
        return self.model.output_logits(as_float_tensor(x))


def _folded_activation(model: Any, loss: losses.Loss) -> Any:
    """The output activation to fold into ``loss`` (softmax or sigmoid, when the last layer
    applies the one the loss can take the logits of), else None. Warns when a loss that
    expects probabilities follows an output layer that does not give them, and when one
    told to expect logits follows a softmax or sigmoid layer (whose outputs are not)."""
    last = model.output_layer
    if last is None:
        return None
    activation = getattr(last, "activation", None)
    expected = {"softmax": activations.softmax, "sigmoid": activations.sigmoid}.get(
        loss.logits_activation
    )
    if expected is None:
        return None
    if activation is expected and hasattr(last, "pre_activation"):
        if loss.from_logits:
            warnings.warn(
                f'The loss "{loss.name}" was told from_logits=True, but the output layer '
                f'"{last.name}" applies {loss.logits_activation}: its outputs are not logits. '
                f"Training uses that layer's logits (applying {loss.logits_activation} once); "
                "drop from_logits=True, or the output activation.",
                stacklevel=4,
            )
        return activation
    if not loss.from_logits:
        warnings.warn(
            f'The loss "{loss.name}" expects probabilities, but the output layer "{last.name}" '
            f"has no {loss.logits_activation} activation. Add activation="
            f'"{loss.logits_activation}" to it, or pass from_logits=True to the loss.',
            stacklevel=4,
        )
    return None


def _on_outputs(metric: metrics.MeanMetricWrapper, activation: Any) -> Any:
    """The loop's metric function ``fn(outputs, targets) -> float``: the metric's batch
    mean, on the outputs after ``activation`` when the network gives logits."""
    if activation is None:
        return metric.batch_mean

    def on_probabilities(outputs: Any, targets: Any) -> float:
        with no_grad():
            probabilities = activation(wrap(outputs)).data
        return metric.batch_mean(probabilities, targets)

    return on_probabilities
