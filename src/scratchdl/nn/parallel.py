"""DistributedDataParallel: one replica of a model per rank, gradients averaged every step.

    dist.init_process_group("mpi")
    model = nn.parallel.DistributedDataParallel(net)   # every rank now holds rank 0's weights
    loss_fn(model(x_of_this_rank), y_of_this_rank).backward()   # .grad: the ranks' average
    optimizer.step()                                   # the same update on every rank

Each rank computes the gradient of its own slice of the global batch; averaging the ranks'
gradients gives the gradient of the whole batch (for a loss that averages over equal
slices), so N ranks take the steps one process would take on the global batches.

The three collectives DDP is made of are functions of their own, which
``scratchdl.train.fit`` also uses: ``copy_parameters_from_rank_0``,
``copy_buffers_from_rank_0`` and ``average_gradients``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from scratchdl.autograd import Tensor, is_grad_enabled
from scratchdl.backend import get_array_module
from scratchdl.distributed import ReduceOp, all_reduce, broadcast, get_world_size
from scratchdl.nn.module import Module


class DistributedDataParallel(Module):
    """Wrap ``module`` for data-parallel training under ``init_process_group("mpi")``.

    - At construction, rank 0's parameters and buffers are copied to every rank (so ranks
      may build their models from different seeds).
    - ``forward`` calls ``module``; the wrapped model is ``.module``, and ``state_dict``
      names carry the ``module.`` prefix, as in PyTorch.
    - After the backward of a graph this DDP's ``forward`` recorded, once every parameter
      has its ``.grad``, the gradients are averaged across ranks with one all-reduce of a
      flat buffer (one per dtype), and each parameter gets its own new gradient array.
      Calling ``.module`` directly bypasses the DDP: its backward averages nothing (as in
      PyTorch).
    - Inside ``no_sync()`` gradients accumulate locally; the next backward outside it
      averages the accumulated sums.
    - BatchNorm normalises with each rank's own batch statistics (PyTorch's DDP without
      SyncBatchNorm). With ``broadcast_buffers`` (the default, as in PyTorch), rank 0's
      buffers (the running statistics) are copied to every rank before each forward that
      records a graph outside ``no_sync``, so all ranks evaluate with rank 0's statistics.

    Every parameter that requires grad must get a gradient in every synchronised backward:
    a backward that leaves one without makes the next forward raise RuntimeError (PyTorch's
    ``find_unused_parameters=True`` is not supported; freeze such parameters with
    ``requires_grad_(False)`` before wrapping). ``device_ids``, ``output_device``, ``dim``
    and ``bucket_cap_mb`` are accepted, as PyTorch's signature has them, and ignored.
    """

    def __init__(
        self,
        module: Module,
        device_ids: Sequence[Any] | None = None,
        output_device: Any = None,
        dim: int = 0,
        broadcast_buffers: bool = True,
        init_sync: bool = True,
        process_group: Any = None,
        bucket_cap_mb: float | None = None,
        find_unused_parameters: bool = False,
    ) -> None:
        if not isinstance(module, Module):
            raise TypeError(
                f"DistributedDataParallel: expected an nn.Module, got {type(module).__name__}"
            )
        if find_unused_parameters:
            raise NotImplementedError(
                "DistributedDataParallel: find_unused_parameters=True is not supported; "
                "freeze parameters the loss does not use (requires_grad_(False)) instead"
            )
        get_world_size(process_group)  # raises before anything changes when there is no group
        super().__init__()
        self.module = module
        self.broadcast_buffers = broadcast_buffers
        self.require_backward_grad_sync = True  # False inside no_sync()
        self._synchronised = [p for p in module.parameters() if p.requires_grad]
        self._ready: set[Tensor] = set()  # parameters with their gradient since the last sync
        self._sync_next_backward = False  # armed by forward, disarmed by the average
        if init_sync:
            copy_parameters_from_rank_0(module)
            copy_buffers_from_rank_0(module)
        for parameter in self._synchronised:
            parameter.register_post_accumulate_grad_hook(self._gradient_ready)

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        """``module(*inputs, **kwargs)``, after checking that the previous backward gave every
        parameter a gradient (and copying rank 0's buffers, see the class docstring)."""
        self._check_previous_reduction()
        self._sync_next_backward = is_grad_enabled() and self.require_backward_grad_sync
        if self.broadcast_buffers and self._sync_next_backward:
            copy_buffers_from_rank_0(self.module)
        return self.module(*inputs, **kwargs)

    @contextmanager
    def no_sync(self) -> Iterator[None]:
        """Within the block, backward accumulates gradients on this rank only; the first
        backward after it averages the accumulated gradients across ranks."""
        previous = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = previous

    def _gradient_ready(self, parameter: Tensor) -> None:
        """The post-accumulate-grad hook: the last parameter to get its gradient in a
        synchronised backward (all gradients are then written) triggers the average."""
        if not self._sync_next_backward:
            return
        self._ready.add(parameter)
        if len(self._ready) == len(self._synchronised):
            self._ready.clear()
            self._sync_next_backward = False
            average_gradients(self._synchronised)

    def _check_previous_reduction(self) -> None:
        """Raise if the last synchronised backward left some parameters without a
        gradient: their ranks never averaged, and the replicas would drift apart."""
        if not self._ready:
            return
        names = {id(p): name for name, p in self.module.named_parameters()}
        missing = [names[id(p)] for p in self._synchronised if p not in self._ready]
        raise RuntimeError(
            "DistributedDataParallel: expected to have finished reduction in the prior "
            "iteration before starting a new one: its backward gave no gradient to "
            f"{', '.join(missing)}, so no rank averaged its gradients. Every parameter that "
            "requires grad must take part in computing the loss on every rank; freeze the "
            "others (requires_grad_(False)) before wrapping the model"
        )


def copy_parameters_from_rank_0(module: Module) -> None:
    """Copy rank 0's parameters into ``module`` on every rank (in place, one broadcast per
    dtype). A collective: every rank calls it with the same architecture."""
    _broadcast_arrays([p.data for p in module.parameters()])


def copy_buffers_from_rank_0(module: Module) -> None:
    """Copy rank 0's buffers (BatchNorm's running statistics, ...) into ``module`` on every
    rank, as ``copy_parameters_from_rank_0`` does for the parameters."""
    _broadcast_arrays([b.data if isinstance(b, Tensor) else b for b in module.buffers()])


def average_gradients(parameters: Sequence[Tensor], weight: float = 1.0) -> None:
    """grad ← (1/N) Σ_ranks weight · grad for every parameter, over the N ranks, in one
    all-reduce per dtype. A collective: every rank passes the same parameters, each with a
    gradient.

    ``weight`` scales this rank's gradient before the sum: 1 (DDP) averages the ranks
    equally; N·n_r/n for a rank holding n_r of a global batch's n samples gives the
    gradient of the mean loss over the whole batch even when the shares differ in size
    (``fit`` does this). Each gradient gets a fresh array of its own (never a view of the
    flat buffer, which would share memory with the other gradients).
    """

    def weighted_average(flat: Any) -> None:
        if weight != 1:
            flat *= weight
        all_reduce(flat, ReduceOp.AVG)

    averaged = _coalesced([p.grad.data for p in parameters], weighted_average)
    for parameter, gradient in zip(parameters, averaged, strict=True):
        parameter.grad.data = gradient.copy()


def _broadcast_arrays(arrays: list[Any]) -> None:
    """Overwrite ``arrays`` in place with rank 0's values, one broadcast per dtype."""
    received = _coalesced(arrays, lambda flat: broadcast(flat, src=0))
    for array, value in zip(arrays, received, strict=True):
        array[...] = value


def _coalesced(arrays: list[Any], collective: Callable[[Any], None]) -> list[Any]:
    """Run ``collective`` in place on the concatenation of ``arrays`` (one flat buffer per
    dtype) and return each array's part of the result, shaped like it (views of the
    flat buffers)."""
    results: list[Any] = [None] * len(arrays)
    for dtype in dict.fromkeys(array.dtype for array in arrays):
        members = [i for i, array in enumerate(arrays) if array.dtype == dtype]
        xp = get_array_module(arrays[members[0]])
        flat = xp.concatenate([arrays[i].ravel() for i in members])
        collective(flat)
        start = 0
        for i in members:
            stop = start + arrays[i].size
            results[i] = flat[start:stop].reshape(arrays[i].shape)
            start = stop
    return results
