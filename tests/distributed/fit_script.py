"""Run on 2 ranks by test_fit.py: ``scratchdl.train.fit`` under a process group against fit
in one process on the same global batches.

    mpiexec -n 2 python -m mpi4py -m tests.distributed.fit_script OUT_DIR

Each rank saves rank<r>.npz (parameters, buffers) and rank<r>.json (histories, what the
callbacks saw, errors). Rank r builds its models and seeds its generator from SEED + r:
only fit's broadcasts make the replicas and the shuffled orders agree. The sizes make the
shares uneven: training batches of 7 (4 + 3 samples) ending with one of a single sample
(a stand-in, weighted 0, on rank 1), and a last validation batch of one sample.
"""

import json
import sys
from pathlib import Path

import numpy as np

import scratchdl as sd
import scratchdl.distributed as dist
import scratchdl.functional as F
from scratchdl import nn, optim
from scratchdl.nn.parallel import DistributedDataParallel
from scratchdl.optim import lr_scheduler
from scratchdl.train import Callback, EarlyStopping, fit
from scratchdl.utils.data import DataLoader, DistributedSampler, TensorDataset

SEED = 1000
EPOCHS = 3
TRAIN_SIZE, BATCH_SIZE = 43, 7
VAL_SIZE, VAL_BATCH_SIZE = 9, 4
CLASSES = 3


def mlp() -> nn.Module:
    return nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, CLASSES))


def cnn() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 3, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(3 * 3 * 3, CLASSES),
    )


def batch_norm_mlp() -> nn.Module:
    return nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, CLASSES))


MODELS = {"mlp": (mlp, (6,)), "cnn": (cnn, (1, 6, 6)), "batch_norm": (batch_norm_mlp, (6,))}


def build(name: str, seed: int) -> nn.Module:
    """The named model in float64, initialised from ``seed``; the library generator is left
    seeded with ``seed`` (it shuffles the training data)."""
    sd.manual_seed(seed)
    model = MODELS[name][0]()
    for parameter in model.parameters():
        parameter.data = parameter.data.astype(np.float64)
    return model


def loaders(name: str) -> tuple[DataLoader, DataLoader]:
    """Shuffled training batches and validation batches in order, the same data on every
    rank. BatchNorm cannot train on one sample: its last training batch is dropped."""
    rng = np.random.default_rng(0)
    shape = MODELS[name][1]

    def dataset(size: int) -> TensorDataset:
        inputs = rng.standard_normal((size, *shape))
        return TensorDataset(inputs, rng.integers(0, CLASSES, size))

    drop_last = name == "batch_norm"
    train = DataLoader(dataset(TRAIN_SIZE), BATCH_SIZE, shuffle=True, drop_last=drop_last)
    return train, DataLoader(dataset(VAL_SIZE), batch_size=VAL_BATCH_SIZE)


class Calls(Callback):
    """Counts the epochs it sees; asks to stop after ``stop_after`` of them, if given."""

    def __init__(self, rank_zero_only: bool, stop_after: int | None = None) -> None:
        self.rank_zero_only = rank_zero_only
        self.stop_after = stop_after
        self.epochs_seen = 0

    def on_epoch_end(self, epoch, record):
        self.epochs_seen += 1
        self.stop_training = epoch == self.stop_after


def train(name: str, seed: int, wrap: bool = False, callbacks=()) -> tuple[nn.Module, list]:
    """fit on ``name`` for EPOCHS epochs: Adam with a step schedule, clipped gradients,
    early stopping that never triggers; the model and the history's records."""
    model = build(name, seed)
    train_loader, val_loader = loaders(name)
    optimizer = optim.Adam(model.parameters(), lr=0.02)
    history = fit(
        DistributedDataParallel(model) if wrap else model,
        train_loader,
        F.cross_entropy,
        optimizer,
        EPOCHS,
        val_loader,
        callbacks=[EarlyStopping(patience=EPOCHS), *callbacks],
        scheduler=lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5),
        gradient_hooks=[lambda m: nn.utils.clip_grad_norm_(m.parameters(), 0.5)],
    )
    return model, history.without_times()


def state_arrays(model: nn.Module, prefix: str) -> dict[str, np.ndarray]:
    return {f"{prefix}/{key}": np.array(value.numpy()) for key, value in model.state_dict().items()}


def distributed_sampler_error() -> str:
    """What fit says to a loader that a DistributedSampler already shards."""
    dataset = loaders("mlp")[0].dataset
    sharded = DataLoader(dataset, batch_size=4, sampler=DistributedSampler(dataset))
    model = build("mlp", SEED)
    try:
        fit(model, sharded, F.cross_entropy, optim.SGD(model.parameters(), lr=0.1), 1)
    except ValueError as error:
        return str(error)
    return ""


def one_sample_history(seed: int) -> list:
    """2 epochs on a dataset of one sample: rank 1 only ever trains on stand-ins."""
    model = build("mlp", seed)
    dataset = TensorDataset(np.ones((1, 6)), np.zeros(1, dtype=np.int64))
    loader = DataLoader(dataset, batch_size=4)
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    return fit(model, loader, F.cross_entropy, optimizer, 2, loader).without_times()


class UnusedBranch(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.used = nn.Linear(6, CLASSES)
        self.unused = nn.Linear(6, CLASSES)

    def forward(self, x):
        return self.used(x)


def unused_parameter_error() -> str:
    """What fit says, on every rank, about parameters the loss never reaches."""
    sd.manual_seed(SEED)
    model = UnusedBranch().double()
    try:
        fit(model, loaders("mlp")[0], F.cross_entropy, optim.SGD(model.parameters(), lr=0.1), 1)
    except RuntimeError as error:
        return str(error)
    return ""


def main(out_dir: Path) -> None:
    dist.init_process_group("mpi")
    rank = dist.get_rank()
    arrays, report = {}, {}
    for name, wrap in (("mlp", False), ("cnn", False), ("mlp", True), ("batch_norm", False)):
        key = f"{name}{'-ddp' if wrap else ''}"
        model, report[key] = train(name, SEED + rank, wrap)
        arrays.update(state_arrays(model, key))
    calls = [Calls(rank_zero_only=True, stop_after=2), Calls(rank_zero_only=False)]
    _, report["stopped"] = train("mlp", SEED + rank, callbacks=calls)
    report["epochs_seen"] = [callback.epochs_seen for callback in calls]
    report["sampler_error"] = distributed_sampler_error()
    report["unused_error"] = unused_parameter_error()
    report["one_sample"] = one_sample_history(SEED + rank)
    dist.destroy_process_group()
    if rank == 0:  # one process, on the same global batches
        for name in ("mlp", "cnn"):
            model, report[f"{name}-alone"] = train(name, SEED)
            arrays.update(state_arrays(model, f"{name}-alone"))
        report["one_sample-alone"] = one_sample_history(SEED)
    np.savez(out_dir / f"rank{rank}.npz", **arrays)
    (out_dir / f"rank{rank}.json").write_text(json.dumps(report))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
