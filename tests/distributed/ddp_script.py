"""Run on 2 ranks by test_ddp.py: DistributedDataParallel against one process.

    mpiexec -n 2 python -m mpi4py -m tests.distributed.ddp_script SCENARIO OUT_DIR [ARGS]

Scenarios (each rank saves rank<r>.npz in OUT_DIR):
    train MODEL OPTIMIZER DTYPE STEPS   DDP training on slices of global batches; rank 0 also
                                        trains one process on the whole batches
    no_sync                             gradients inside no_sync() and after the next backward
    bypass                              gradients of a backward through ddp.module, after a
                                        synchronised step
    unused                              a parameter the loss never uses
    buffers BROADCAST                   a rank's BatchNorm running mean after the next forward

Rank r builds its model from seed SEED + r: only DDP's broadcast makes the replicas equal.
"""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

import scratchdl as sd
import scratchdl.distributed as dist
import scratchdl.functional as F
from scratchdl import nn, optim
from scratchdl.nn import parallel
from scratchdl.nn.parallel import DistributedDataParallel

SEED = 1000
GLOBAL_BATCH = 8
CLASSES = 3


def mlp() -> nn.Module:
    return nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, CLASSES))


def cnn() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 3, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(3 * 4 * 4, CLASSES),
    )


MODELS = {"mlp": (mlp, (6,)), "cnn": (cnn, (1, 8, 8))}
OPTIMIZERS = {
    "sgd": lambda params: optim.SGD(params, lr=0.1, momentum=0.9),
    "adam": lambda params: optim.Adam(params, lr=0.01),
}


def build(model_name: str, dtype: str, seed: int) -> nn.Module:
    """The named model, initialised from ``seed``, its parameters cast to ``dtype``."""
    sd.manual_seed(seed)
    model = MODELS[model_name][0]()
    for parameter in model.parameters():
        parameter.data = parameter.data.astype(dtype)
    return model


def global_batches(model_name: str, dtype: str, steps: int) -> list[tuple[np.ndarray, ...]]:
    """``steps`` batches (inputs, class indices) of GLOBAL_BATCH samples, the same on every
    rank."""
    rng = np.random.default_rng(0)
    shape = MODELS[model_name][1]
    inputs = rng.standard_normal((steps, GLOBAL_BATCH, *shape)).astype(dtype)
    targets = rng.integers(0, CLASSES, (steps, GLOBAL_BATCH))
    return list(zip(inputs, targets, strict=True))


def rank_slice(rank: int, world_size: int) -> slice:
    """This rank's equal share of a global batch."""
    share = GLOBAL_BATCH // world_size
    return slice(rank * share, (rank + 1) * share)


def loss_on(model: nn.Module, inputs: np.ndarray, targets: np.ndarray) -> sd.Tensor:
    return F.cross_entropy(model(sd.from_numpy(inputs)), sd.from_numpy(targets))


def train(model: nn.Module, optimizer_name: str, batches: list, part: slice) -> None:
    """One optimizer step per batch, on the ``part`` of each batch."""
    optimizer = OPTIMIZERS[optimizer_name](model.parameters())
    for inputs, targets in batches:
        optimizer.zero_grad()
        loss_on(model, inputs[part], targets[part]).backward()
        optimizer.step()


def parameter_arrays(model: nn.Module, prefix: str) -> dict[str, np.ndarray]:
    return {f"{prefix}{i}": p.data.copy() for i, p in enumerate(model.parameters())}


def scenario_train(rank: int, model_name: str, optimizer_name: str, dtype: str, steps: str):
    world_size = dist.get_world_size()
    model = build(model_name, dtype, SEED + rank)
    results = parameter_arrays(model, "initial")
    ddp = DistributedDataParallel(model)
    results["state_dict_keys"] = np.array(list(ddp.state_dict()))
    batches = global_batches(model_name, dtype, int(steps))
    with counting_calls(parallel, "all_reduce") as all_reduces:
        train(ddp, optimizer_name, batches, rank_slice(rank, world_size))
    results["all_reduces"] = len(all_reduces)
    results["gradients_own_memory"] = gradients_own_memory(model)
    results.update(parameter_arrays(ddp.module, "ddp"))
    if rank == 0:
        alone = build(model_name, dtype, SEED)
        train(alone, optimizer_name, batches, slice(None))
        results.update(parameter_arrays(alone, "alone"))
    return results


@contextmanager
def counting_calls(module, name: str) -> Iterator[list]:
    """Within the block, ``module.name`` appends its arguments to the yielded list, then
    does its work."""
    original, calls = getattr(module, name), []

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    setattr(module, name, counted)
    try:
        yield calls
    finally:
        setattr(module, name, original)


def gradients_own_memory(model: nn.Module) -> bool:
    """Whether every parameter's gradient is a writable array sharing memory with no other."""
    grads = [p.grad.data for p in model.parameters()]
    return all(g.flags.writeable and g.flags.owndata for g in grads) and not any(
        np.shares_memory(a, b) for i, a in enumerate(grads) for b in grads[i + 1 :]
    )


def gradients(model: nn.Module, prefix: str) -> dict[str, np.ndarray]:
    return {f"{prefix}{i}": p.grad.data.copy() for i, p in enumerate(model.parameters())}


def scenario_no_sync(rank: int):
    """Two global batches: the first's backward inside no_sync(), the second's outside."""
    world_size = dist.get_world_size()
    part = rank_slice(rank, world_size)
    batches = global_batches("mlp", "float64", 2)
    ddp = DistributedDataParallel(build("mlp", "float64", SEED + rank))
    with ddp.no_sync():
        loss_on(ddp, *(array[part] for array in batches[0])).backward()
    results = gradients(ddp, "local")
    loss_on(ddp, *(array[part] for array in batches[1])).backward()
    results.update(gradients(ddp, "synced"))
    if rank == 0:
        alone = build("mlp", "float64", SEED)
        for inputs, targets in batches:
            loss_on(alone, inputs, targets).backward()
        results.update(gradients(alone, "alone"))
    return results


def scenario_bypass(rank: int):
    """A step through the DDP, then a backward of the module called directly."""
    part = rank_slice(rank, dist.get_world_size())
    batches = global_batches("mlp", "float64", 2)
    ddp = DistributedDataParallel(build("mlp", "float64", SEED + rank))
    loss_on(ddp, *(array[part] for array in batches[0])).backward()
    results = gradients(ddp, "synced")
    ddp.zero_grad()
    loss_on(ddp.module, *(array[part] for array in batches[1])).backward()
    results.update(gradients(ddp, "bypassed"))
    return results


class UnusedBranch(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.used = nn.Linear(6, CLASSES)
        self.unused = nn.Linear(6, CLASSES)

    def forward(self, x):
        return self.used(x)


def scenario_unused(rank: int):
    """A backward that gives ``unused`` no gradient, then the next forward."""
    sd.manual_seed(SEED + rank)
    ddp = DistributedDataParallel(UnusedBranch())
    inputs, targets = global_batches("mlp", "float32", 1)[0]
    loss_on(ddp, inputs, targets).backward()
    try:
        ddp(sd.from_numpy(inputs))
    except RuntimeError as error:
        return {"error": str(error)}
    return {}


def scenario_buffers(rank: int, broadcast: str):
    """Rank r adds r to its BatchNorm running mean before wrapping, and again after; then a
    forward that records a graph, in eval mode so that BatchNorm itself updates nothing."""
    sd.manual_seed(SEED + rank)
    model = nn.Sequential(nn.Linear(6, 4), nn.BatchNorm1d(4))
    shift_running_mean(model, rank)
    ddp = DistributedDataParallel(model, broadcast_buffers=broadcast == "broadcast")
    results = {"after_init": as_numpy(model.state_dict()["1.running_mean"])}
    shift_running_mean(model, rank)
    ddp.eval()
    ddp(sd.from_numpy(global_batches("mlp", "float32", 1)[0][0]))
    results["after_forward"] = as_numpy(model.state_dict()["1.running_mean"])
    return results


def shift_running_mean(model: nn.Module, shift: float) -> None:
    state = model.state_dict()
    model.load_state_dict({**state, "1.running_mean": state["1.running_mean"] + shift})


def as_numpy(value) -> np.ndarray:
    """A copy of a state_dict value (which shares the model's memory, as in torch)."""
    return np.array(value.numpy(), copy=True)


SCENARIOS = {
    "train": scenario_train,
    "no_sync": scenario_no_sync,
    "bypass": scenario_bypass,
    "unused": scenario_unused,
    "buffers": scenario_buffers,
}


def main(scenario: str, out_dir: Path, *args: str) -> None:
    dist.init_process_group("mpi")
    rank = dist.get_rank()
    results = SCENARIOS[scenario](rank, *args)
    np.savez(out_dir / f"rank{rank}.npz", **results)
    dist.destroy_process_group()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), *sys.argv[3:])
