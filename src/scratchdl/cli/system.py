"""What the machine offers: versions, NumPy's BLAS and its threads, the optional extras."""

from __future__ import annotations

import os
import platform
from importlib import metadata, util
from typing import Any

import numpy as np

import scratchdl
from scratchdl.backend import gpu_available

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")


def versions() -> dict[str, str]:
    """The versions of scratchdl, Python and NumPy."""
    python = f"{platform.python_version()} ({platform.python_implementation()})"
    return {"scratchdl": scratchdl.__version__, "Python": python, "NumPy": np.__version__}


def extra_version(distribution: str) -> str | None:
    """The installed version of an optional package, or None (without importing it)."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def blas_name() -> str:
    """NumPy's BLAS library and version, such as 'scipy-openblas 0.3.31'."""
    config: dict[str, Any] = np.show_config(mode="dicts")
    blas = config.get("Build Dependencies", {}).get("blas", {})
    return " ".join(str(blas[key]) for key in ("name", "version") if key in blas) or "unknown"


def blas_threads() -> int | None:
    """How many threads NumPy's BLAS uses: from threadpoolctl when installed, else from the
    usual environment variables; None when neither says (BLAS then uses every core)."""
    if util.find_spec("threadpoolctl") is not None:
        from threadpoolctl import threadpool_info

        counts = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
        if counts:
            return max(counts)
    for variable in THREAD_VARIABLES:
        if os.environ.get(variable, "").isdigit():
            return int(os.environ[variable])
    return None


def cpu_cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def device_line() -> str:
    """One line naming where training runs, such as
    'device: cpu — NumPy 2.4.6 (scipy-openblas 0.3.31), 2 BLAS threads'."""
    threads = blas_threads()
    parallel = f"{threads} BLAS threads" if threads else f"BLAS on all {cpu_cores()} cores"
    gpu = " (CuPy sees a GPU; the command line trains on the CPU)" if gpu_available() else ""
    return f"device: cpu — NumPy {np.__version__} ({blas_name()}), {parallel}{gpu}"
