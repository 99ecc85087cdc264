"""Where a training step's time goes, op by op: each scratchdl Function's forward and
backward rule timed inside the usual training loop, beside PyTorch's profiler on the twin
network (same weights, same batches). With ``--inference``, the same for computing the
logits of the 10,000 test images (batches of 1000, eval mode, no grad).

    SCRATCHDL_DATA=/path/to/datasets python -m bench.step_profile [--workload mlp1000]
        [--steps 250] [--inference]

Both sides pay for being watched (a timer around each call, the profiler's hooks), so read
the figures op by op, not their sum against an epoch's time.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time
from collections import defaultdict
from collections.abc import Iterator

from bench.epoch import WORKLOADS, scratchdl_optimizer, torch_optimizer, torch_steps, torch_twin
from bench.suite.measure import Data, epoch_batches

import scratchdl as sd
import scratchdl.functional as F
from scratchdl.autograd.function import Function

WARMUP_STEPS = 10
INFERENCE_BATCH = 1000


@contextlib.contextmanager
def timed_functions(step_times: dict[str, float]) -> Iterator[None]:
    """While the block runs, add the seconds of every Function call to
    ``step_times["<Function> forward"]`` and of every backward rule to ``"... backward"``."""
    call, input_gradients = Function.__call__, Function.input_gradients

    def timed_call(self: Function, *inputs):
        started = time.perf_counter()
        output = call(self, *inputs)
        step_times[f"{type(self).__name__} forward"] += time.perf_counter() - started
        return output

    def timed_input_gradients(self: Function, gy, create_graph: bool):
        started = time.perf_counter()
        gradients = input_gradients(self, gy, create_graph)
        step_times[f"{type(self).__name__} backward"] += time.perf_counter() - started
        return gradients

    Function.__call__, Function.input_gradients = timed_call, timed_input_gradients
    try:
        yield
    finally:
        Function.__call__, Function.input_gradients = call, input_gradients


def scratchdl_profile(workload, model, images, labels, batches) -> dict[str, float]:
    """Median µs per step of each Function's forward and backward, of gathering the batch
    and of the optimizer's step."""
    optimizer = scratchdl_optimizer(workload, model)
    per_step: dict[str, list[float]] = defaultdict(list)
    for number, index in enumerate(batches):
        step_times: dict[str, float] = defaultdict(float)
        with timed_functions(step_times):
            optimizer.zero_grad()
            started = time.perf_counter()
            x, t = sd.from_numpy(images[index]), sd.from_numpy(labels[index])
            step_times["gather the batch"] = time.perf_counter() - started
            F.cross_entropy(model(x), t).backward()
            started = time.perf_counter()
            optimizer.step()
            step_times["optimizer step"] = time.perf_counter() - started
        if number >= WARMUP_STEPS:
            for name, seconds in step_times.items():
                per_step[name].append(seconds)
    return {name: statistics.median(seconds) * 1e6 for name, seconds in per_step.items()}


def torch_profile(workload, model, images, labels, batches) -> dict[str, float]:
    """Mean µs per step of each PyTorch operator's own CPU time, by torch.profiler."""
    from torch.profiler import ProfilerActivity, profile

    optimizer = torch_optimizer(workload, model)
    torch_steps(model, optimizer, images, labels, batches[:WARMUP_STEPS])
    timed = batches[WARMUP_STEPS:]
    with profile(activities=[ProfilerActivity.CPU]) as profiler:
        torch_steps(model, optimizer, images, labels, timed)
    return {e.key: e.self_cpu_time_total / len(timed) for e in profiler.key_averages()}


def scratchdl_inference_profile(model, images) -> dict[str, float]:
    """ms each Function's forward takes over the logits of ``images`` (batches of 1000),
    after one untimed pass (the first touches fresh memory)."""
    totals: dict[str, float] = defaultdict(float)
    model.eval()
    with sd.no_grad():
        model(sd.from_numpy(images[:INFERENCE_BATCH]))
    with sd.no_grad(), timed_functions(totals):
        for start in range(0, len(images), INFERENCE_BATCH):
            model(sd.from_numpy(images[start : start + INFERENCE_BATCH]))
    return {name: seconds * 1e3 for name, seconds in totals.items()}


def torch_inference_profile(model, images) -> dict[str, float]:
    """ms of each PyTorch operator's own CPU time over the same logits, by torch.profiler,
    after one unprofiled pass."""
    import torch
    from torch.profiler import ProfilerActivity, profile

    model.eval()
    with torch.no_grad():
        model(torch.from_numpy(images[:INFERENCE_BATCH]))
    with torch.no_grad(), profile(activities=[ProfilerActivity.CPU]) as profiler:
        for start in range(0, len(images), INFERENCE_BATCH):
            model(torch.from_numpy(images[start : start + INFERENCE_BATCH]))
    return {e.key: e.self_cpu_time_total / 1e3 for e in profiler.key_averages()}


def print_table(title: str, unit: str, figures: dict[str, float], rows: int) -> None:
    print(f"| {title} | {unit} |\n| --- | ---: |")
    for name, figure in sorted(figures.items(), key=lambda item: -item[1])[:rows]:
        print(f"| {name} | {figure:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", choices=WORKLOADS, default="mlp1000")
    parser.add_argument("--steps", type=int, default=250)
    parser.add_argument("--inference", action="store_true", help="profile inference instead")
    args = parser.parse_args()
    workload = WORKLOADS[args.workload]
    data = Data.load()
    sd.manual_seed(0)
    model = workload.build()
    twin = torch_twin(model)
    if args.inference:
        images, _ = data.test(workload.flat_input)
        network = workload.describe.split(",")[0]
        print(f"{network}: logits of the {len(images)} test images\n")
        ours = scratchdl_inference_profile(model, images)
        print_table("scratchdl Function", "ms", ours, rows=len(ours))
        print()
        print_table("PyTorch operator, self CPU", "ms", torch_inference_profile(twin, images), 8)
        return
    images, labels = data.train(workload.flat_input)
    batches = epoch_batches(len(labels), workload.batch_size, seed=0)[: args.steps]
    print(f"{workload.describe}, {args.steps} steps\n")
    ours = scratchdl_profile(workload, model, images, labels, batches)
    print_table("scratchdl (median over steps)", "µs a step", ours, rows=len(ours))
    print()
    theirs = torch_profile(workload, twin, images, labels, batches)
    print_table("PyTorch operator, self CPU (mean over steps)", "µs a step", theirs, rows=12)


if __name__ == "__main__":
    main()
