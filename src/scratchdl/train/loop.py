"""The training loop: ``fit`` trains for some epochs, ``evaluate`` measures, ``predict`` runs.

One epoch of ``fit`` runs ``train_step`` (forward, loss, backward, update) on every batch
of the training loader, then the validation pass (``evaluate``), one scheduler step, and the
epoch's record in the History. Every other way to train (Keras's ``fit`` in
``scratchdl.keras``, the CLI) calls this one.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from scratchdl.autograd import Tensor, as_tensor, no_grad
from scratchdl.optim.lr_scheduler import ReduceLROnPlateau
from scratchdl.train.callbacks import Callback
from scratchdl.train.compiled import CompiledStep, compile_step
from scratchdl.train.history import History
from scratchdl.train.metrics import Metric, get_metrics
from scratchdl.train.parallel import OneProcess, data_parallel
from scratchdl.train.step import GradientHook, LossFn, TrainingDiverged, train_step


def fit(
    model: Any,
    train_loader: Iterable,
    loss_fn: LossFn,
    optimizer: Any,
    epochs: int,
    val_loader: Iterable | None = None,
    metrics: Sequence[str | Metric] = ("accuracy",),
    callbacks: Sequence[Callback] = (),
    scheduler: Any = None,
    log_interval: int | None = None,
    start_epoch: int = 0,
    gradient_hooks: Sequence[GradientHook] = (),
    compiled: bool = False,
) -> History:
    """Train ``model`` until epoch ``epochs``; return the History of the epochs run.

    Args:
        train_loader, val_loader: iterables of ``(inputs, targets)`` batches, such as
            DataLoaders; ``val_loader`` adds ``val_loss`` and ``val_<metric>`` to each record.
        loss_fn: ``loss_fn(outputs, targets)`` -> a one-element Tensor (the batch mean).
        metrics: names ('accuracy') or functions ``metric(outputs, targets) -> float``,
            computed from the training batches' outputs during the epoch.
        scheduler: stepped once per epoch; a ReduceLROnPlateau is given ``val_loss`` (or
            ``val_accuracy`` when its mode is 'max'; the training value without a
            ``val_loader``).
        log_interval: print the epoch's mean loss so far every this many steps.
        start_epoch: epochs already done (from a checkpoint); training runs epochs
            ``start_epoch + 1 .. epochs``, numbered from 1.
        gradient_hooks: passed to every ``train_step`` (called after backward, before the
            update).
        compiled: train with a compiled step (``scratchdl.train.compiled``), which records
            the step's Functions and replays them on later batches: the same results, with
            less Python per step.

    Under ``scratchdl.distributed.init_process_group`` with several ranks (``mpiexec -n N
    python -m mpi4py ...``), or with a ``DistributedDataParallel`` model, every rank calls
    fit with loaders of the same global batches and trains on its share of each; the
    records are the global ones, the same on every rank (see ``scratchdl.train.parallel``).

    Raises TrainingDiverged, naming the epoch and step, when the loss is NaN or infinite.
    """
    _check_epochs(epochs, start_epoch, log_interval)
    metric_fns = get_metrics(metrics)
    parallel = data_parallel(model, train_loader, val_loader)
    compiled_step = compile_step(parallel.model, loss_fn, optimizer) if compiled else None
    callbacks = parallel.callbacks_here(callbacks)
    history = History()
    for callback in callbacks:
        callback.set_context(model, epochs, _length(train_loader))
    _notify(callbacks, "on_train_begin")
    for epoch in range(start_epoch + 1, epochs + 1):
        _notify(callbacks, "on_epoch_begin", epoch)
        started = time.perf_counter()
        lr = current_lr(optimizer)
        record = {"epoch": epoch}
        scores = _train_epoch(
            parallel, train_loader, loss_fn, optimizer, metric_fns, callbacks, epoch,
            log_interval, gradient_hooks, compiled_step,
        )  # fmt: skip
        record.update(scores)
        if val_loader is not None:
            scores = _evaluate(parallel, val_loader, loss_fn, metric_fns)
            record.update({f"val_{name}": value for name, value in scores.items()})
        record["lr"] = lr
        _step_scheduler(scheduler, record)
        record["time"] = time.perf_counter() - started
        history.append(record)
        _notify(callbacks, "on_epoch_end", epoch, record)
        if parallel.agree_to_stop(any(callback.stop_training for callback in callbacks)):
            break
    _notify(callbacks, "on_train_end", history)
    return history


def _train_epoch(
    parallel: OneProcess,
    loader: Iterable,
    loss_fn: LossFn,
    optimizer: Any,
    metric_fns: Mapping[str, Metric],
    callbacks: Sequence[Callback],
    epoch: int,
    log_interval: int | None,
    gradient_hooks: Sequence[GradientHook],
    compiled_step: CompiledStep | None,
) -> dict[str, float]:
    """One pass over ``loader`` with a training step per batch (on this rank's share of
    it; ``compiled_step`` when given, else ``train_step``); the epoch's mean loss and
    metrics."""
    parallel.model.train()
    device = model_device(parallel.model)
    means = _RunningMeans()
    for step, batch in enumerate(parallel.batches(loader), start=1):
        inputs, targets = _unpack(batch, "fit", device)
        _notify(callbacks, "on_batch_begin", step)
        try:
            share = parallel.share(inputs, targets)
            hooks = parallel.gradient_hooks(share, gradient_hooks)
            if compiled_step is None:
                loss_value, outputs = train_step(
                    parallel.model, share.inputs, share.targets, loss_fn, optimizer, hooks
                )
            else:
                loss_value, outputs = compiled_step(share.inputs, share.targets, hooks)
        except TrainingDiverged as error:
            raise TrainingDiverged(
                f"fit: {error} at epoch {epoch}, step {step}; training diverged. Lower the "
                f"learning rate (it is {current_lr(optimizer):g}) or check the data for NaN "
                "or infinite values"
            ) from None
        _add_batch(means, loss_value, outputs, share.targets, metric_fns, share.samples)
        _notify(callbacks, "on_batch_end", step, means.means())
        if log_interval and step % log_interval == 0 and parallel.rank == 0:
            print(f"epoch {epoch} step {step}: loss {means.mean('loss'):.4f}")
    parallel.finish_epoch()
    return parallel.sum_over_ranks(means).means("fit", "train_loader")


def evaluate(
    model: Any,
    loader: Iterable,
    loss_fn: LossFn | None,
    metrics: Iterable[str | Metric] | Mapping[str, Metric] = ("accuracy",),
) -> dict[str, float]:
    """The mean loss and metrics of ``model`` over ``loader``: ``{"loss": ..., "accuracy": ...}``.

    Runs in evaluation mode without recording a graph, then restores the model's previous
    mode. With ``loss_fn=None`` only the metrics are computed. It runs in this process
    alone, on every batch, also under a process group (fit's validation is split).
    """
    return _evaluate(OneProcess(model), loader, loss_fn, get_metrics(metrics))


def _evaluate(
    parallel: OneProcess,
    loader: Iterable,
    loss_fn: LossFn | None,
    metric_fns: Mapping[str, Metric],
) -> dict[str, float]:
    """``evaluate``, each rank on its share of every batch, the means summed over ranks."""
    means, device = _RunningMeans(), model_device(parallel.model)
    with eval_mode(parallel.model), no_grad():
        for batch in parallel.batches(loader):
            share = parallel.share(*_unpack(batch, "evaluate", device))
            outputs = parallel.model(share.inputs)
            loss = None if loss_fn is None else float(loss_fn(outputs, share.targets).item())
            _add_batch(means, loss, outputs, share.targets, metric_fns, share.samples)
    return parallel.sum_over_ranks(means).means("evaluate", "loader")


def predict(model: Any, x: Any, batch_size: int = 256) -> np.ndarray:
    """The model's outputs (logits for a classifier) for inputs ``x``, as one array.

    ``x`` (an array or Tensor, first axis = samples) is fed in batches of ``batch_size`` in
    evaluation mode without a graph; the model's previous mode is restored afterwards.
    """
    inputs = x.data if isinstance(x, Tensor) else np.asarray(x)
    if inputs.ndim == 0 or len(inputs) == 0:
        raise ValueError(
            f"predict: x must hold at least one sample, got shape {tuple(inputs.shape)}"
        )
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"predict: batch_size must be a positive integer, got {batch_size!r}")
    device = model_device(model)
    with eval_mode(model), no_grad():
        outputs = [
            model(as_tensor(inputs[start : start + batch_size], device=device)).numpy()
            for start in range(0, len(inputs), batch_size)
        ]
    return np.concatenate(outputs)


@contextmanager
def eval_mode(model: Any):
    """Put ``model`` in evaluation mode for a block, then restore its previous mode."""
    was_training = model.training
    model.eval()
    try:
        yield model
    finally:
        model.train(was_training)


def current_lr(optimizer: Any) -> float:
    """The learning rate of the optimizer's first parameter group (which schedulers set)."""
    return float(optimizer.param_groups[0]["lr"])


class _RunningMeans:
    """Means of per-batch values weighted by batch size: Σ nᵢ·vᵢ / Σ nᵢ for each name."""

    def __init__(self) -> None:
        self.sums: dict[str, float] = {}
        self.count = 0

    def add(self, values: Mapping[str, float], batch_size: int) -> None:
        for name, value in values.items():
            self.sums[name] = self.sums.get(name, 0.0) + value * batch_size
        self.count += batch_size

    def mean(self, name: str) -> float:
        return self.sums[name] / self.count

    def means(self, op: str | None = None, loader_name: str = "loader") -> dict[str, float]:
        """Every mean (none before the first sample); with ``op``, a ValueError naming it
        if no sample was seen."""
        if self.count == 0:
            if op is not None:
                raise ValueError(f"{op}: {loader_name} yielded no batches")
            return {}
        return {name: self.mean(name) for name in self.sums}


def _add_batch(
    means: _RunningMeans,
    loss_value: float | None,
    outputs: Tensor,
    targets: Tensor,
    metric_fns: Mapping[str, Metric],
    samples: int,
) -> None:
    """Add one batch's loss (unless None) and metrics, weighted by its number of
    ``samples``."""
    values = {} if loss_value is None else {"loss": loss_value}
    values.update({name: metric(outputs.data, targets.data) for name, metric in metric_fns.items()})
    means.add(values, samples)


def model_device(model: Any) -> Any:
    """Where the model's parameters live (None for a model without any)."""
    return next((p.device for p in model.parameters()), None)


def _unpack(batch: Any, op: str, device: Any) -> tuple[Tensor, Tensor]:
    """A batch's (inputs, targets) as Tensors on ``device`` (one copy a batch, if any)."""
    if not (isinstance(batch, (tuple, list)) and len(batch) == 2):
        raise ValueError(
            f"{op}: each batch must be a pair (inputs, targets), got a {type(batch).__name__}"
            + (f" of {len(batch)} items" if isinstance(batch, (tuple, list)) else "")
        )
    inputs, targets = batch
    return as_tensor(inputs, device=device), as_tensor(targets, device=device)


def _step_scheduler(scheduler: Any, record: Mapping[str, Any]) -> None:
    if scheduler is None:
        return
    if isinstance(scheduler, ReduceLROnPlateau):
        watched = "loss" if scheduler.mode == "min" else "accuracy"
        scheduler.step(record.get(f"val_{watched}", record[watched]))
    else:
        scheduler.step()


def _notify(callbacks: Sequence[Callback], hook: str, *args: Any) -> None:
    for callback in callbacks:
        getattr(callback, hook)(*args)


def _length(loader: Iterable) -> int | None:
    try:
        return len(loader)
    except TypeError:
        return None


def _check_epochs(epochs: Any, start_epoch: Any, log_interval: Any) -> None:
    for name, value, minimum in (("epochs", epochs, 1), ("start_epoch", start_epoch, 0)):
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ValueError(f"fit: {name} must be an integer >= {minimum}, got {value!r}")
    if start_epoch > epochs:
        raise ValueError(
            f"fit: start_epoch ({start_epoch}) is past the last epoch ({epochs}); "
            "epochs counts from the start of training, not from start_epoch"
        )
    if log_interval is not None and (not isinstance(log_interval, int) or log_interval < 1):
        raise ValueError(
            f"fit: log_interval must be a positive integer or None, got {log_interval!r}"
        )
