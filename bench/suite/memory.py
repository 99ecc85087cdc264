"""Peak resident memory of training one workload in one framework, in this process alone.

    python -m bench.suite.memory WORKLOAD FRAMEWORK STEPS [DATA_DIR]

prints one JSON line: ``baseline_mib`` (resident memory after importing the framework and
loading MNIST), ``peak_mib`` (the highest resident memory during STEPS training steps) and
their difference, ``training_mib``. Loading MNIST briefly needs more memory than training
the small networks, so the heap's free pages are given back and the peak is reset (Linux's
/proc/self/clear_refs) before training.
The suite's memory section runs this once per workload and framework.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import re
import sys
from pathlib import Path

from bench.epoch import WORKLOADS
from bench.suite.frameworks import SCRATCHDL, TORCH
from bench.suite.measure import Data, epoch_batches

STATUS = Path("/proc/self/status")


def resident_mib(field: str) -> float:
    """VmRSS (resident now) or VmHWM (peak since the last reset) from /proc, in MiB."""
    return int(re.search(rf"{field}:\s+(\d+) kB", STATUS.read_text()).group(1)) / 1024


def release_free_memory() -> None:
    """Give the heap's free pages back to the system (glibc's malloc_trim), so that memory
    freed after loading and reused by training does not hide training's growth."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: the growth may read low
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def main(argv: list[str]) -> None:
    name, framework, steps, *data_dir = argv
    fw = {"scratchdl": SCRATCHDL, "torch": TORCH}[framework]
    workload = WORKLOADS[name]
    if fw is TORCH:
        import torch  # noqa: F401  (counted in the baseline, as scratchdl's import is)
    images, labels = Data.load(*data_dir).train(workload.flat_input)
    release_free_memory()
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak to the present size
    baseline = resident_mib("VmRSS")
    model = fw.model(workload, seed=0)
    optimizer = fw.optimizer(workload, model)
    batches = epoch_batches(len(labels), workload.batch_size, seed=0)[: int(steps)]
    fw.steps(model, optimizer, images, labels, batches)
    peak = resident_mib("VmHWM")
    figures = {"baseline_mib": baseline, "peak_mib": peak, "training_mib": peak - baseline}
    print(json.dumps(figures))


if __name__ == "__main__":
    main(sys.argv[1:])
