"""Per-operation overhead of the autograd engine against PyTorch, in the same process.

Two workloads on a (100, 100) float32 tensor that requires grad:
  - one op:   y = (x * w).sum(); y.backward()
  - a chain:  10 elementwise ops (mul, add, exp, tanh, ...), then sum and backward
Both frameworks run interleaved, each timing the median of several repeats.

    python bench/overhead.py [--repeats 7] [--number 2000]
"""

from __future__ import annotations

import argparse
import statistics
import timeit

import numpy as np

import scratchdl as sd


def one_op(x, w, tanh):
    (x * w).sum().backward()
    x.grad = None


def chain(x, w, tanh):
    """Ten elementwise operations, then sum and backward."""
    y = x
    for _ in range(2):
        y = tanh(y * w + 1.0)
        y = (y - 0.5) * 2.0
        y = y.exp() / 3.0
    y.sum().backward()
    x.grad = None


def scratchdl_inputs(data: np.ndarray):
    return sd.tensor(data, requires_grad=True), sd.tensor(data), sd.functional.tanh


def torch_inputs(data: np.ndarray):
    import torch

    return torch.tensor(data, requires_grad=True), torch.tensor(data), torch.tanh


def measure(workload, inputs, repeats: int, number: int) -> list[float]:
    """Microseconds per call, one figure per repeat."""
    timer = timeit.Timer(lambda: workload(*inputs))
    return [t / number * 1e6 for t in timer.repeat(repeat=repeats, number=number)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--number", type=int, default=2000)
    args = parser.parse_args()
    data = np.random.default_rng(0).standard_normal((100, 100)).astype(np.float32)
    frameworks = {"scratchdl": scratchdl_inputs(data)}
    try:
        frameworks["torch"] = torch_inputs(data)
    except ImportError:
        print("torch is not installed: scratchdl figures only")

    print(f"{'workload':<10} {'framework':<10} {'median µs':>10} {'min–max µs':>16}")
    for name, workload in {"one op": one_op, "10-op chain": chain}.items():
        results = {fw: [] for fw in frameworks}
        for _ in range(args.repeats):  # interleave so drift hits both alike
            for fw, inputs in frameworks.items():
                results[fw] += measure(workload, inputs, 1, args.number)
        for fw, times in results.items():
            spread = f"{min(times):.1f}–{max(times):.1f}"
            print(f"{name:<10} {fw:<10} {statistics.median(times):>10.1f} {spread:>16}")
        if "torch" in results:
            ratio = statistics.median(results["scratchdl"]) / statistics.median(results["torch"])
            print(f"{name:<10} ratio scratchdl / torch = {ratio:.2f}")


if __name__ == "__main__":
    main()
