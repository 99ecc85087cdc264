"""How every kernel is compiled: ``@kernel`` is numba's ``njit`` with the options below.

- ``parallel=True``: a kernel's outer ``prange`` loop runs on numba's thread pool, as many
  threads as ``backend.threads.set_num_threads`` allows (1 runs it on the calling thread).
  Each iteration writes its own outputs, so results never depend on the thread count.
- ``error_model="numpy"``: division by zero gives inf or nan as in NumPy instead of
  raising, which also lets loops with a division vectorise.
- ``cache=True``: machine code is saved beside the module and reused by later processes;
  numba keys the cache on a function's name and line, not on these options, so each
  kernel is compiled with one set of options only.
- no ``fastmath``: floating-point operations happen exactly as written (no fused
  multiply-add, no reassociation), which is what makes kernels bit-equal to NumPy.

Scalars that take part in float32 arithmetic are passed as the arrays' dtype
(``np.float32(lr)``): a Python float would make numba compute in float64.
"""

from __future__ import annotations

import numba

from scratchdl.backend.threads import apply_kernel_threads

kernel = numba.njit(parallel=True, error_model="numpy", cache=True)
"""The decorator of every compiled kernel."""

helper = numba.njit(error_model="numpy", cache=True)
"""The decorator of a small function that kernels call (compiled into them; no loop of
its own to run in parallel)."""

prange = numba.prange

apply_kernel_threads(numba)
