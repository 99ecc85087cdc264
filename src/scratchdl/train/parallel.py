"""How ``fit`` trains on several processes: data parallelism over the default process group.

    # train.py, run on every rank by: mpiexec -n 2 python -m mpi4py train.py
    dist.init_process_group("mpi")
    history = fit(model, DataLoader(train_set, batch_size=128, shuffle=True), ...)

When a process group of more than one rank is initialised, ``fit`` trains data-parallel
(``data_parallel`` returns a ``DataParallel``; alone, a ``OneProcess`` that changes nothing).
The loaders yield the *global* batches, the same on every rank; rank r of N trains on
samples r, r + N, r + 2N, ... of each (DistributedSampler's split, applied to the batch), so
N ranks train on exactly the batches one process would:

- at the start, every rank gets rank 0's parameters and buffers;
- before each pass over a loader, every rank gets rank 0's library generator state, so a
  loader shuffled from it (``DataLoader(shuffle=True)``) yields the same batches everywhere;
- after backward, a gradient hook (run before the caller's) averages the gradients over the
  ranks, each weighted by its share of the batch: the gradient of the loss's mean over the
  whole global batch (the loss must be a mean over its batch, as with DDP). A rank whose
  share is empty (a last batch with fewer samples than ranks) trains on a stand-in sample
  with weight 0, so every rank takes every step and no rank waits;
- after the epoch's steps, every rank gets rank 0's buffers (BatchNorm's running
  statistics, which each rank updates from its own share), so all ranks validate, and
  checkpoint, the same model;
- the epoch's losses and metrics are summed over the ranks (weighted by samples): the same
  global record on every rank, so EarlyStopping and schedulers decide alike; a stop asked
  by a callback on any rank stops every rank (``on_batch_end``'s running means are the
  rank's own);
- callbacks whose ``rank_zero_only`` is True (those that print or write files) run on
  rank 0 alone.

A ``DistributedDataParallel`` model is trained through its ``.module``: this averaging,
weighted by shares, replaces DDP's equal one. Dropout draws the masks of each rank's
samples from that rank's generator, which starts every pass from rank 0's state: equal
streams on every rank, not one process's stream.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np

import scratchdl.distributed as dist
from scratchdl.autograd import Tensor
from scratchdl.nn.parallel import (
    DistributedDataParallel,
    average_gradients,
    copy_buffers_from_rank_0,
    copy_parameters_from_rank_0,
)
from scratchdl.random import get_rng_state, set_rng_state
from scratchdl.train.callbacks import Callback
from scratchdl.train.step import GradientHook
from scratchdl.utils.data import DistributedSampler


class Share(NamedTuple):
    """This rank's part of a global batch: ``samples`` of its samples (0 for a stand-in),
    whose gradient is weighted by ``weight`` = N·samples / (the batch's size)."""

    inputs: Tensor
    targets: Tensor
    samples: int
    weight: float


class OneProcess:
    """Training in this process alone: every batch is this process's, nothing is sent."""

    rank = 0

    def __init__(self, model: Any) -> None:
        self.model = model

    def callbacks_here(self, callbacks: Sequence[Callback]) -> list[Callback]:
        """The callbacks this rank runs."""
        return list(callbacks)

    def batches(self, loader: Iterable) -> Iterator:
        """One pass over ``loader``."""
        return iter(loader)

    def share(self, inputs: Tensor, targets: Tensor) -> Share:
        """This rank's part of the batch."""
        return Share(inputs, targets, inputs.shape[0], 1.0)

    def gradient_hooks(self, share: Share, hooks: Sequence[GradientHook]) -> Sequence[GradientHook]:
        """The hooks ``train_step`` runs after the backward of ``share``."""
        return hooks

    def finish_epoch(self) -> None:
        """Called after an epoch's training steps."""

    def sum_over_ranks(self, means: Any) -> Any:
        """``means`` (fit's running sums, weighted by samples) summed over the ranks."""
        return means

    def agree_to_stop(self, stop: bool) -> bool:
        """Whether every rank stops training now."""
        return stop


class DataParallel(OneProcess):
    """Training on every rank of the default process group (see the module docstring)."""

    def __init__(self, model: Any) -> None:
        network = model.module if isinstance(model, DistributedDataParallel) else model
        super().__init__(network)
        self.rank = dist.get_rank()
        self.world_size = dist.get_world_size()
        self.parameters = [(n, p) for n, p in network.named_parameters() if p.requires_grad]
        copy_parameters_from_rank_0(network)
        copy_buffers_from_rank_0(network)

    def callbacks_here(self, callbacks: Sequence[Callback]) -> list[Callback]:
        return [c for c in callbacks if self.rank == 0 or not c.rank_zero_only]

    def batches(self, loader: Iterable) -> Iterator:
        state = [get_rng_state()]
        dist.broadcast_object_list(state, src=0)
        set_rng_state(state[0])
        return iter(loader)

    def share(self, inputs: Tensor, targets: Tensor) -> Share:
        """Samples rank, rank + N, ... of the batch; the first sample, weighted 0, when
        that leaves none."""
        size = inputs.shape[0]
        samples = len(range(self.rank, size, self.world_size))
        if samples == 0:
            return Share(inputs[:1], targets[:1], 0, 0.0)
        mine = slice(self.rank, None, self.world_size)
        return Share(inputs[mine], targets[mine], samples, self.world_size * samples / size)

    def gradient_hooks(self, share: Share, hooks: Sequence[GradientHook]) -> Sequence[GradientHook]:
        return (lambda model: self._average_gradients(share.weight), *hooks)

    def _average_gradients(self, weight: float) -> None:
        """Each gradient replaced by the share-weighted average over the ranks
        (``nn.parallel.average_gradients``); RuntimeError naming the parameters that the
        loss did not reach, whose ranks could not average."""
        missing = [name for name, p in self.parameters if p.grad is None]
        if missing:
            raise RuntimeError(
                f"fit: {', '.join(missing)} got no gradient on rank {self.rank}; training "
                "data-parallel averages the gradient of every parameter that requires grad, "
                "so each must take part in the loss (freeze the others with "
                "requires_grad_(False))"
            )
        average_gradients([p for _, p in self.parameters], weight)

    def finish_epoch(self) -> None:
        copy_buffers_from_rank_0(self.model)

    def sum_over_ranks(self, means: Any) -> Any:
        totals = np.array([*means.sums.values(), means.count], dtype=np.float64)
        dist.all_reduce(totals)
        means.sums = dict(zip(means.sums, totals[:-1].tolist(), strict=True))
        means.count = totals[-1].item()
        return means

    def agree_to_stop(self, stop: bool) -> bool:
        flag = np.array([stop], dtype=np.int64)
        dist.all_reduce(flag, op=dist.ReduceOp.MAX)
        return bool(flag[0])


def data_parallel(model: Any, *loaders: Iterable | None) -> OneProcess:
    """``DataParallel`` when a process group of several ranks is initialised (a collective:
    rank 0's parameters and buffers are copied to every rank), else ``OneProcess``.

    Raises ValueError, on every rank and before anything is sent, for a loader whose
    sampler is a DistributedSampler: fit splits the global batches itself.
    """
    if not dist.is_initialized() or dist.get_world_size() == 1:
        return OneProcess(model)
    for loader in loaders:
        if isinstance(getattr(loader, "sampler", None), DistributedSampler):
            raise ValueError(
                "fit: a loader's sampler is a DistributedSampler, but fit splits every "
                "batch across the ranks itself; give fit loaders of the global batches, "
                "the same on every rank (DataLoader(dataset, batch_size, shuffle=True))"
            )
    return DataParallel(model)
