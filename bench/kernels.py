"""The compiled kernels (scratchdl[fast]) against the NumPy versions they replace and
PyTorch's operators, at the MNIST shapes of issue 19, in the same process.

Each row times one operation through scratchdl's own entry point — with the kernels
disabled (NumPy), compiled on 1 thread and on 2 — and PyTorch's operator on 1 thread and
on 2, float32, the five sides alternating repeat by repeat. Figures: median of the
per-call milliseconds over the repeats, with min–max. It runs as a user's script does:
NumPy imported first, no environment variables set.

    python -m bench.kernels [--repeats 7] [--number 20] [--only maxpool adam]
    python -m bench.kernels --compile

``--compile`` times each kernel's first call instead, in two fresh processes sharing an
empty cache folder (``NUMBA_CACHE_DIR``): the first compiles, the second loads the cache.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

import numpy as np
import torch
from bench.suite.measure import interleave

import scratchdl as sd
import scratchdl.functional as F
from scratchdl import nn, optim
from scratchdl.backend import kernels, threads
from scratchdl.functional import activation, conv

Call = Callable[[], object]


def max_pool(rng: np.random.Generator) -> tuple[Call, Call]:
    """2x2 max-pool forward + backward of a (100, 30, 24, 24) conv output, first-max rule
    (scratchdl's input channel-major, as its conv2d returns it; PyTorch's in its own)."""
    data = rng.standard_normal((30, 100, 24, 24), dtype=np.float32).swapaxes(0, 1)
    grad = rng.standard_normal((100, 30, 12, 12), dtype=np.float32)
    ours_x, ours_g = sd.tensor(data, requires_grad=True), sd.from_numpy(grad)
    theirs_x = torch.tensor(np.ascontiguousarray(data), requires_grad=True)
    theirs_g = torch.from_numpy(grad)

    def ours() -> None:
        F.max_pool2d(ours_x, 2).backward(ours_g)
        ours_x.grad = None

    def theirs() -> None:
        torch.nn.functional.max_pool2d(theirs_x, 2).backward(theirs_g)
        theirs_x.grad = None

    return ours, theirs


def relu(rng: np.random.Generator) -> tuple[Call, Call]:
    """ReLU forward + backward of a (100, 30, 24, 24) conv output, channel-major as
    scratchdl's conv2d returns it (PyTorch: relu and threshold_backward, what its ReLU's
    backward calls)."""
    data = rng.standard_normal((30, 100, 24, 24), dtype=np.float32).swapaxes(0, 1)
    grad = rng.standard_normal((30, 100, 24, 24), dtype=np.float32).swapaxes(0, 1)
    function = activation.ReLU()
    output = function(sd.from_numpy(data).requires_grad_())  # records its input
    theirs_x, theirs_g = torch.from_numpy(data), torch.from_numpy(grad)
    return (
        lambda: (output, function.forward(data), function.backward_arrays(grad)),
        lambda: (torch.relu(theirs_x), torch.ops.aten.threshold_backward(theirs_g, theirs_x, 0)),
    )


def _conv_shape(rng: np.random.Generator):
    """(100, 16, 28, 28) images, channel-major, and the 3x3 stride-1 pad-1 geometry."""
    images = rng.standard_normal((16, 100, 28, 28), dtype=np.float32)
    return images, conv.Geometry((3, 3), (1, 1), (1, 1))


def im2col(rng: np.random.Generator) -> tuple[Call, Call]:
    """im2col, 3x3 stride 1 pad 1, of (100, 16, 28, 28) images (PyTorch: unfold)."""
    images, geometry = _conv_shape(rng)
    theirs_x = torch.from_numpy(np.ascontiguousarray(images.swapaxes(0, 1)))
    return (
        lambda: conv.im2col_array(images, geometry),
        lambda: torch.nn.functional.unfold(theirs_x, 3, padding=1),
    )


def col2im(rng: np.random.Generator) -> tuple[Call, Call]:
    """col2im, the adjoint of the im2col row (PyTorch: fold)."""
    images, geometry = _conv_shape(rng)
    cols = rng.standard_normal((16, 3, 3, 100, 28, 28), dtype=np.float32)
    theirs_cols = torch.from_numpy(rng.standard_normal((100, 16 * 9, 784), dtype=np.float32))
    return (
        lambda: conv.col2im_array(cols, images.shape, geometry),
        lambda: torch.nn.functional.fold(theirs_cols, (28, 28), 3, padding=1),
    )


def _optimizer_step(build: Callable, torch_build: Callable, sizes: list[tuple[int, ...]]):
    """One step of an optimizer over parameters of ``sizes`` with fixed gradients."""
    rng = np.random.default_rng(1)
    values = [rng.standard_normal(size, dtype=np.float32) for size in sizes]
    ours = [nn.Parameter(sd.tensor(v.copy())) for v in values]
    theirs = [torch.tensor(v.copy(), requires_grad=True) for v in values]
    for ours_p, theirs_p, v in zip(ours, theirs, values, strict=True):
        ours_p.grad, theirs_p.grad = sd.tensor(v * 0.01), torch.from_numpy(v * 0.01)
    return build(ours).step, torch_build(theirs).step


SIMPLE_CONV_NET = [(30, 1, 5, 5), (30,), (100, 4320), (100,), (10, 100), (10,)]  # 432,080
TWO_LAYER_1000 = [(1000, 784), (1000,), (10, 1000), (10,)]  # 795,010


def adam(rng: np.random.Generator) -> tuple[Call, Call]:
    """Adam (lr 1e-3) over SimpleConvNet's 432,080 parameters (PyTorch: its default,
    foreach)."""
    return _optimizer_step(optim.Adam, torch.optim.Adam, SIMPLE_CONV_NET)


def sgd(rng: np.random.Generator) -> tuple[Call, Call]:
    """SGD with momentum 0.9 over MLP 784-1000-10's 795,010 parameters."""
    return _optimizer_step(
        lambda p: optim.SGD(p, lr=0.01, momentum=0.9),
        lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9),
        TWO_LAYER_1000,
    )


CASES = {
    "maxpool": max_pool,
    "relu": relu,
    "im2col": im2col,
    "col2im": col2im,
    "adam": adam,
    "sgd": sgd,
}


def sides(ours: Call, theirs: Call, number: int) -> dict[str, Callable[[int], float]]:
    """The timed sides of one row: ms per call of ``number`` calls. scratchdl's BLAS has
    its default threads throughout (no product runs here)."""

    def timed(call: Call, compiled: bool, count: int) -> Callable[[int], float]:
        def trial(repeat: int) -> float:
            kernels.enabled = compiled
            threads.set_kernel_threads(count)
            torch.set_num_threads(count)
            started = time.perf_counter()
            for _ in range(number):
                call()
            return (time.perf_counter() - started) / number * 1e3

        return trial

    return {
        "NumPy": timed(ours, False, 1),
        "compiled, 1 thread": timed(ours, True, 1),
        "compiled, 2 threads": timed(ours, True, 2),
        "PyTorch, 1 thread": timed(theirs, False, 1),
        "PyTorch, 2 threads": timed(theirs, False, 2),
    }


FIRST_CALLS = """
import time
started = time.perf_counter()
import numpy as np, scratchdl as sd, scratchdl.functional as F
from scratchdl import nn, optim
from scratchdl.backend.kernels import jit
print(f"import numba and scratchdl's kernel options: {time.perf_counter() - started:.2f} s")
x = sd.tensor(np.ones((3, 2, 8, 8), np.float32).swapaxes(0, 1), requires_grad=True)
w = sd.tensor(np.ones((4, 3, 3, 3), np.float32), requires_grad=True)
params = [nn.Parameter(sd.tensor(np.ones(5, np.float32)))]
params[0].grad = sd.tensor(np.ones(5, np.float32))
calls = {
    "max-pool forward": lambda: F.max_pool2d(x, 2),
    "max-pool backward": lambda: F.max_pool2d(x, 2).sum().backward(),
    "ReLU forward and backward": lambda: F.relu(x).sum().backward(),
    "im2col (conv2d forward)": lambda: F.conv2d(x, w, padding=1),
    "col2im (conv2d backward, stride 2)": lambda: F.conv2d(x, w, stride=2).sum().backward(),
    "SGD update": lambda: optim.SGD(params, lr=0.1, momentum=0.9).step(),
    "Adam update": lambda: optim.Adam(params).step(),
}
for name, call in calls.items():
    started = time.perf_counter()
    call()
    print(f"{name}: {time.perf_counter() - started:.2f} s")
"""


def first_calls() -> None:
    """Print each kernel's first-call time, compiling and then from numba's cache."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        for label in ("cold (compiles)", "warm (numba's cache)"):
            print(f"## {label}")
            subprocess.run([sys.executable, "-c", FIRST_CALLS], env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--number", type=int, default=20)
    parser.add_argument("--only", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument("--compile", action="store_true", help="time the first calls")
    args = parser.parse_args()
    if args.compile:
        first_calls()
        return
    rng = np.random.default_rng(0)
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.2f}; ms per call, median (min–max) of {args.repeats}\n"
    )
    names = list(sides(print, print, 0))
    print("| operation | " + " | ".join(names) + " |")
    print("| --- |" + " ---: |" * len(names))
    for name in args.only:
        ours, theirs = CASES[name](rng)
        for side in sides(ours, theirs, args.number).values():
            side(0)  # compile, warm caches
        times = interleave(args.repeats, sides(ours, theirs, args.number), settle=0.05)
        cells = [f"{statistics.median(t):.2f} ({min(t):.2f}–{max(t):.2f})" for t in times.values()]
        print(f"| {CASES[name].__doc__.split(chr(10))[0]} | " + " | ".join(cells) + " |")
    kernels.enabled = True
    threads.set_kernel_threads(threads.KERNEL_THREADS)
    print(f"\nload {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
