"""conv2d and max-pooling, forward and forward + backward, against PyTorch at MNIST shapes.

Both frameworks run the same float32 inputs in the same process, alternating repeat by
repeat; the figures are medians of the per-call times, in milliseconds, with min–max.

    python bench/conv.py [--repeats 7] [--number 10]
"""

from __future__ import annotations

import argparse
import statistics
import timeit

import numpy as np

import scratchdl as sd
import scratchdl.functional as F

# (name, x shape, weight shape, padding): SimpleConvNet's layer and DeepConvNet's second one.
SHAPES = [
    ("conv 1→30, 5x5, 28x28", (100, 1, 28, 28), (30, 1, 5, 5), 0),
    ("conv 16→16, 3x3 pad 1, 28x28", (100, 16, 28, 28), (16, 16, 3, 3), 1),
]


def workloads(x: np.ndarray, w: np.ndarray, padding: int) -> dict[str, dict]:
    """For each measured operation, a zero-argument call per framework."""
    import torch

    xs, ws = sd.tensor(x, requires_grad=True), sd.tensor(w, requires_grad=True)
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)

    def ours_backward() -> None:
        F.max_pool2d(F.conv2d(xs, ws, padding=padding), 2).sum().backward()
        xs.grad = ws.grad = None

    def theirs_backward() -> None:
        torch.nn.functional.max_pool2d(
            torch.nn.functional.conv2d(xt, wt, padding=padding), 2
        ).sum().backward()
        xt.grad = wt.grad = None

    def ours_forward() -> None:
        with sd.no_grad():
            F.max_pool2d(F.conv2d(xs, ws, padding=padding), 2)

    def theirs_forward() -> None:
        with torch.no_grad():
            torch.nn.functional.max_pool2d(torch.nn.functional.conv2d(xt, wt, padding=padding), 2)

    return {
        "forward": {"scratchdl": ours_forward, "torch": theirs_forward},
        "forward+backward": {"scratchdl": ours_backward, "torch": theirs_backward},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--number", type=int, default=10)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print("| shape (conv + max-pool 2) | pass | scratchdl ms | PyTorch ms | ratio |")
    print("| --- | --- | ---: | ---: | ---: |")
    for name, x_shape, w_shape, padding in SHAPES:
        x = rng.standard_normal(x_shape).astype(np.float32)
        w = (rng.standard_normal(w_shape) * 0.1).astype(np.float32)
        for pass_name, calls in workloads(x, w, padding).items():
            times: dict[str, list[float]] = {fw: [] for fw in calls}
            for _ in range(args.repeats):
                for fw, call in calls.items():
                    seconds = timeit.timeit(call, number=args.number) / args.number
                    times[fw].append(seconds * 1e3)
            ours, theirs = (statistics.median(times[fw]) for fw in ("scratchdl", "torch"))
            cells = [
                f"{statistics.median(t):.2f} ({min(t):.2f}–{max(t):.2f})" for t in times.values()
            ]
            print(f"| {name} | {pass_name} | {cells[0]} | {cells[1]} | {ours / theirs:.2f} |")


if __name__ == "__main__":
    main()
