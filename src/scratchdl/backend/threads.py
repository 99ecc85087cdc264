"""The process's two thread pools, set at run time whatever was imported first: OpenBLAS's
(NumPy's matrix products) and numba's (the compiled kernels of ``scratchdl[fast]``).

OpenBLAS reads its environment variables once, when NumPy loads it, and a user's script
imports NumPy before scratchdl. So this module calls into the library NumPy loaded
(ctypes; Linux, where ``/proc/self/maps`` names it): ``openblas_set_num_threads`` for the
thread count, and for the spin of idle threads a re-read of the environment followed by a
restart of the threads, which take the new value when they start again.

numba's pool (the compiled kernels) is set with numba's own run-time call,
``numba.set_num_threads``, when the kernels load: it runs them on ``KERNEL_THREADS``.

``import scratchdl`` calls ``tune()`` unless ``SCRATCHDL_TUNE_THREADS=0``. A program that
manages threads itself switches that off, or calls ``set_blas_spin``, ``set_num_threads``
and ``set_kernel_threads`` after the import.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable
from functools import cache
from typing import Any

BLAS_SPIN = 20
"""OpenBLAS's idle threads spin 2^N CPU cycles before they sleep (``OPENBLAS_THREAD_TIMEOUT``).
The default, N = 28 (about 0.1 s), keeps a thread spinning through the work between two
matrix products and takes a core from it: with 2 cores, the SGD update of MLP 784-1000-10
ran 2x slower and its epoch 1.3x slower. 2^20 cycles (about 0.4 ms) still bridges the gaps
between the products of one step. Where other programs keep the cores busy, a second BLAS
thread waits for a core at every product, however it spins: there ``set_num_threads(1)``
made training steps 2–9x faster (bench/README.md, "Compiled kernels and thread pools")."""

_SYMBOL_FORMS = ("{}", "scipy_{}64_", "{}64_")  # plain, NumPy's wheels, other 64-bit builds
_PTHREADS = 1  # openblas_get_parallel(): 0 sequential, 1 its own pthreads pool, 2 OpenMP

KERNEL_THREADS = 1
"""The compiled kernels run on the calling thread unless ``set_kernel_threads`` says more.
They are memory-bound: one core streams most of what two do, a second pool of threads
would fight OpenBLAS's for the same cores, and waking idle threads costs more than many
kernels take (bench/README.md, "Compiled kernels and thread pools")."""

_kernel_threads = KERNEL_THREADS


def tune() -> None:
    """What ``import scratchdl`` does: OpenBLAS's idle threads spin 2^``BLAS_SPIN`` cycles,
    unless ``OPENBLAS_THREAD_TIMEOUT`` is set (the user's choice wins)."""
    if "OPENBLAS_THREAD_TIMEOUT" not in os.environ:
        set_blas_spin(BLAS_SPIN)


def set_blas_spin(exponent: int) -> bool:
    """Make OpenBLAS's idle threads spin 2^``exponent`` cycles (clamped to 4..30) before
    they sleep, by restarting them; call it while no other thread is in a BLAS call.
    Returns whether it took effect (False, changing nothing, without a pthreads OpenBLAS).
    """
    library = openblas()
    read_env = _find(library, "openblas_read_env")
    shutdown = _find(library, "blas_thread_shutdown_")
    parallel = _find(library, "openblas_get_parallel")
    if read_env is None or shutdown is None or parallel is None or parallel() != _PTHREADS:
        return False
    saved = os.environ.get("OPENBLAS_THREAD_TIMEOUT")
    os.environ["OPENBLAS_THREAD_TIMEOUT"] = str(exponent)
    try:
        read_env()  # re-reads every OPENBLAS_* variable: the others are as NumPy loaded them
    finally:
        if saved is None:
            del os.environ["OPENBLAS_THREAD_TIMEOUT"]
        else:
            os.environ["OPENBLAS_THREAD_TIMEOUT"] = saved
    shutdown()  # the next parallel product starts the threads again, with the new spin
    return True


def blas_spin() -> int | None:
    """The exponent set by ``set_blas_spin`` or ``OPENBLAS_THREAD_TIMEOUT`` (None: OpenBLAS's
    built-in 28, or no OpenBLAS)."""
    timeout = _find(openblas(), "openblas_thread_timeout")
    return (timeout() or None) if timeout is not None else None


def set_num_threads(count: int) -> None:
    """Use ``count`` threads for matrix products (OpenBLAS's pool): the role of
    torch.set_num_threads."""
    count = _checked_count(count, "set_num_threads")
    set_blas_threads = _find(openblas(), "openblas_set_num_threads")
    if set_blas_threads is not None:
        set_blas_threads(count)


def get_num_threads() -> int:
    """The threads matrix products use (1 where no OpenBLAS is found)."""
    get_blas_threads = _find(openblas(), "openblas_get_num_threads")
    return int(get_blas_threads()) if get_blas_threads is not None else 1


def set_kernel_threads(count: int) -> None:
    """Run the compiled kernels on ``count`` threads (numba's pool, for kernels called from
    this thread; at most the cores numba found). The default is 1 (see ``KERNEL_THREADS``)."""
    global _kernel_threads
    _kernel_threads = _checked_count(count, "set_kernel_threads")
    if "scratchdl.backend.kernels.jit" in sys.modules:  # else applied when the kernels load
        apply_kernel_threads(sys.modules["numba"])


def kernel_threads() -> int:
    """The threads the compiled kernels run on."""
    return _kernel_threads


def apply_kernel_threads(numba: Any) -> None:
    """Give numba's pool ``kernel_threads()`` threads (at most the ones it started with)."""
    numba.set_num_threads(min(_kernel_threads, numba.config.NUMBA_NUM_THREADS))


def _checked_count(count: Any, op: str) -> int:
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"{op}: expected an int >= 1, got {count!r}")
    return count


@cache
def openblas() -> ctypes.CDLL | None:
    """The OpenBLAS library this process loaded (NumPy's), or None: another BLAS, none
    loaded yet, or a system without ``/proc/self/maps``."""
    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower()})
    except OSError:
        return None
    for path in paths:
        library = ctypes.CDLL(path)  # already loaded: the same library, not a second copy
        if _find(library, "openblas_set_num_threads") is not None:
            return library
    return None


def _find(library: ctypes.CDLL | None, name: str) -> Callable[..., Any] | None:
    """``library``'s function ``name`` under whichever name its build exports, or None."""
    for form in _SYMBOL_FORMS:
        function = getattr(library, form.format(name), None)
        if function is not None:
            return function
    return None
