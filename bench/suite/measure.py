"""Timing helpers: interleaved repeats, summaries, index batches, the data and the machine."""

from __future__ import annotations

import itertools
import os
import platform
import resource
import statistics
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

import scratchdl
from scratchdl.utils.data import to_arrays
from scratchdl.vision.datasets import MNIST
from scratchdl.vision.transforms import ToTensor

T = TypeVar("T")
REPO = Path(__file__).resolve().parents[2]


# OpenBLAS's worker threads keep spinning for ~0.1 s after a matmul, and PyTorch's OpenMP
# threads for a while too: on a 2-core machine that steals a core from whatever runs next.
# Measured here: PyTorch's 128x784x512 matmul ran at 119 GFLOP/s right after NumPy's,
# 160 after its own; with this pause before each trial, 170 and 168.
SETTLE_SECONDS = 0.25


def interleave(
    repeats: int, trials: dict[str, Callable[[int], T]], settle: float = SETTLE_SECONDS
) -> dict[str, list[T]]:
    """Run each trial ``trials[name](repeat)`` once per repeat, alternating between them.

    The order flips every repeat, so neither side always runs first (warm caches, clock
    boost), and drift in the machine's speed hits both alike. Each trial starts after a
    pause of ``settle`` seconds, so that the previous trial's threads are asleep.
    """
    results: dict[str, list[T]] = {name: [] for name in trials}
    names = list(trials)
    for repeat in range(repeats):
        for name in names if repeat % 2 == 0 else names[::-1]:
            time.sleep(settle)
            results[name].append(trials[name](repeat))
    return results


def summarise(samples: dict[str, list[float]]) -> dict[str, Any]:
    """Medians and min–max of each side's samples, and the ratio first side / second side."""
    medians = {name: statistics.median(values) for name, values in samples.items()}
    first, *others = medians.values()
    return {
        "values": samples,
        "median": medians,
        "min": {name: min(values) for name, values in samples.items()},
        "max": {name: max(values) for name, values in samples.items()},
        "ratio": first / others[0] if others else None,
    }


def timed(function: Callable[..., Any], *args: Any) -> float:
    """Seconds that ``function(*args)`` takes."""
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def epoch_batches(size: int, batch_size: int, seed: int, drop_last: bool = False) -> list:
    """One epoch of index batches over ``size`` samples, shuffled by ``seed``."""
    order = np.random.default_rng(seed).permutation(size)
    stop = size - size % batch_size if drop_last else size
    return [order[i : i + batch_size] for i in range(0, stop, batch_size)]


def batch_stream(size: int, batch_size: int, seed: int, drop_last: bool = False) -> Iterator:
    """Index batches epoch after epoch, each epoch shuffled by its own seed."""
    for epoch in itertools.count():
        yield from epoch_batches(size, batch_size, seed * 1000 + epoch, drop_last)


@dataclass
class Data:
    """MNIST in memory: images (N, 1, 28, 28) float32 and int64 labels."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    root: str | None = None  # where it came from (None: $SCRATCHDL_DATA or the cache)

    @classmethod
    def load(cls, root: str | None = None) -> Data:
        train, test = (
            MNIST(root, split, download=True, transform=ToTensor()) for split in (True, False)
        )
        return cls(*to_arrays(train), *to_arrays(test), root)

    def train(self, flat: bool) -> tuple[np.ndarray, np.ndarray]:
        """Training images (flattened to (N, 784) when ``flat``) and labels."""
        return _shaped(self.train_images, flat), self.train_labels

    def test(self, flat: bool) -> tuple[np.ndarray, np.ndarray]:
        """Test images (flattened to (N, 784) when ``flat``) and labels."""
        return _shaped(self.test_images, flat), self.test_labels


def _shaped(images: np.ndarray, flat: bool) -> np.ndarray:
    return images.reshape(len(images), -1) if flat else images


def peak_rss_mib() -> float:
    """This process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> list[float]:
    """The 1, 5 and 15-minute load averages: above 0.5 or so, other work was running."""
    return [round(x, 2) for x in os.getloadavg()]


def environment(use_torch: bool) -> dict[str, Any]:
    """The machine and software the figures come from, and how loaded the machine is."""
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    info: dict[str, Any] = {
        "time": datetime.now().isoformat(timespec="seconds"),
        "cpu": _cpu_model(),
        "cpus": len(os.sched_getaffinity(0)),
        "load_average": load_average(),
        "python": platform.python_version(),
        "scratchdl": scratchdl.__version__,
        "commit": _git_commit(),
        "numpy": np.__version__,
        "blas": f"{blas['name']} {blas['version']}",
        "threads_env": {k: v for k, v in os.environ.items() if k.endswith("_NUM_THREADS")},
    }
    if use_torch:
        import torch

        info.update(torch=torch.__version__, torch_threads=torch.get_num_threads())
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        )
    except OSError:
        return None
    return out.stdout.strip() or None
