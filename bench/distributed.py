"""Data parallelism: 2 ranks × 1 BLAS thread against 1 process × 2 threads, then a model of
what the same step would do on many ranks.

    SCRATCHDL_DATA=/path/to/datasets python -m bench.distributed
        [--workloads twolayer mlp1000 mlp512 cnn deepcnn] [--steps 40] [--repeats 3]

For each workload of bench/epoch.py, the same global batches (the workload's batch size)
are trained for --steps steps (after a warm-up) by
  - one process with 2 BLAS threads, a plain training loop (and, for reference, with 1);
  - ``mpiexec -n 2 python -m mpi4py`` with 1 BLAS thread per rank, DistributedDataParallel,
    each rank taking every other sample of each batch;
each in a fresh process, taking turns repeat by repeat. The 2-rank job also times the
all-reduce of one step's gradients (a float32 buffer of every parameter) on its own.

The scaling table models p ranks, each with the per-rank batch of the 2-rank run (weak
scaling: the global batch grows with p), on links of 10 and 100 Gb/s. A ring all-reduce
of b bytes takes 2(p − 1)/p · b / bandwidth + 2(p − 1) · latency; with no overlap of
communication and computation (DDP here averages after backward), the efficiency is
compute / (compute + all-reduce), the compute being the 2-rank step time measured here
less its all-reduce.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
from bench.epoch import WORKLOADS, scratchdl_optimizer, scratchdl_steps
from bench.suite.measure import (
    REPO,
    SETTLE_SECONDS,
    Data,
    environment,
    epoch_batches,
    load_average,
)

import scratchdl as sd
import scratchdl.distributed as dist
from scratchdl.nn.parallel import DistributedDataParallel

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
WARMUP_STEPS = 3
STEP_CAPS = {"deepcnn": 10}  # a DeepConvNet step takes a tenth of a second or more
RANKS = (8, 64, 512)
LINKS = {  # bandwidth in bytes/s, latency per message in seconds (assumed, see README)
    "10 Gb/s": (10e9 / 8, 10e-6),
    "100 Gb/s": (100e9 / 8, 2e-6),
}


def ring_all_reduce_seconds(nbytes: int, ranks: int, bandwidth: float, latency: float) -> float:
    """2(p − 1)/p · bytes / bandwidth + 2(p − 1) · latency: a ring all-reduce's
    reduce-scatter and all-gather, each p − 1 messages of bytes / p."""
    return 2 * (ranks - 1) / ranks * nbytes / bandwidth + 2 * (ranks - 1) * latency


def scaling_table(result: dict) -> dict[str, dict[int, float]]:
    """Modelled efficiency at each link and rank count for one workload's measurements."""
    compute = result["step"]["2x1"] - result["all_reduce"]
    return {
        link: {
            p: compute / (compute + ring_all_reduce_seconds(result["bytes"], p, *parameters))
            for p in RANKS
        }
        for link, parameters in LINKS.items()
    }


# ------------------------------------------------------------------ the timed processes
def worker(mode: str, workload_name: str, steps: int, data_dir: str | None) -> None:
    """Time ``steps`` steps of one workload (after a warm-up) in this process and print a
    JSON line: 1 process on whole batches, or this rank's share under DDP."""
    workload = WORKLOADS[workload_name]
    images, labels = Data.load(data_dir).train(workload.flat_input)
    batches = epoch_batches(len(labels), workload.batch_size, seed=0, drop_last=True)
    batches = batches[: WARMUP_STEPS + steps]
    sd.manual_seed(0)
    model = workload.build()
    result: dict = {}
    if mode == "ddp":
        dist.init_process_group("mpi")
        rank, world_size = dist.get_rank(), dist.get_world_size()
        batches = [batch[rank::world_size] for batch in batches]
        model = DistributedDataParallel(model)
    optimizer = scratchdl_optimizer(workload, model)
    scratchdl_steps(model, optimizer, images, labels, batches[:WARMUP_STEPS])
    if mode == "ddp":
        dist.barrier()
    started = time.perf_counter()
    scratchdl_steps(model, optimizer, images, labels, batches[WARMUP_STEPS:])
    result["step"] = (time.perf_counter() - started) / steps
    if mode == "ddp":
        result.update(all_reduce_seconds(model, steps))
        dist.destroy_process_group()
        if rank != 0:
            return
    print(json.dumps(result), flush=True)


def all_reduce_seconds(model: DistributedDataParallel, repeats: int) -> dict:
    """The median time of one all-reduce (AVG) of a float32 buffer holding every gradient,
    and its size in bytes."""
    flat = np.ones(sum(p.data.size for p in model.parameters()), dtype=np.float32)
    times = []
    for _ in range(repeats):
        dist.barrier()
        started = time.perf_counter()
        dist.all_reduce(flat, op=dist.ReduceOp.AVG)
        times.append(time.perf_counter() - started)
    return {"all_reduce": statistics.median(times), "bytes": flat.nbytes}


SETUPS = {  # name: (worker mode, BLAS threads per process)
    "1x1": ("single", 1),
    "1x2": ("single", 2),
    "2x1": ("ddp", 1),
}


def launch(setup: str, workload: str, steps: int, data_dir: str | None) -> dict:
    """Run ``worker`` in a fresh process, or on 2 ranks, with the setup's BLAS threads."""
    mode, threads = SETUPS[setup]
    env = {**os.environ, **dict.fromkeys(THREAD_VARIABLES, str(threads))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "bench.distributed", "--worker", mode, "--workloads"]
    command += [workload, "--steps", str(steps)] + (["--data-dir", data_dir] if data_dir else [])
    if mode == "ddp":
        mpiexec = Path(sys.executable).parent / "mpiexec"
        command = [str(mpiexec), "-n", "2", sys.executable, "-m", "mpi4py", *command[1:]]
    time.sleep(SETTLE_SECONDS)
    output = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, check=True, timeout=600
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure(workload: str, steps: int, repeats: int, data_dir: str | None) -> dict:
    """Medians over ``repeats`` of each setup's step time; the setups take turns, in an
    order rotated every repeat."""
    runs: dict[str, list[dict]] = {setup: [] for setup in SETUPS}
    for repeat in range(repeats):
        order = list(SETUPS)[repeat % len(SETUPS) :] + list(SETUPS)[: repeat % len(SETUPS)]
        for setup in order:
            runs[setup].append(launch(setup, workload, steps, data_dir))
    result = {
        "workload": WORKLOADS[workload].describe,
        "steps": steps,
        "step": {setup: statistics.median(r["step"] for r in runs[setup]) for setup in SETUPS},
        "all_reduce": statistics.median(r["all_reduce"] for r in runs["2x1"]),
        "bytes": runs["2x1"][0]["bytes"],
        "runs": runs,
    }
    result["efficiency"] = scaling_table(result)
    return result


# ------------------------------------------------------------------------ the report
def markdown(results: dict[str, dict]) -> str:
    """The measured table (step times in ms) and the modelled scaling table."""
    lines = [
        "| workload | 1 process × 1 thread (ms) | 1 process × 2 threads (ms) | "
        "2 ranks × 1 thread (ms) | 2 ranks against 1 × 2 | all-reduce (ms) | bytes per step |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results.values():
        step = r["step"]
        times = " | ".join(f"{step[setup] * 1e3:.2f}" for setup in SETUPS)
        lines.append(
            f"| {r['workload']} | {times} | {step['1x2'] / step['2x1']:.2f}x | "
            f"{r['all_reduce'] * 1e3:.3f} | {r['bytes'] / 1e6:.2f} MB |"
        )
    head = [f"{p} ranks, {link}" for link in LINKS for p in RANKS]
    lines += ["", "| workload | compute per step | " + " | ".join(head) + " |"]
    lines.append("| --- | ---: | " + " | ".join("---:" for _ in head) + " |")
    for r in results.values():
        cells = [f"{r['efficiency'][link][p]:.0%}" for link in LINKS for p in RANKS]
        compute = (r["step"]["2x1"] - r["all_reduce"]) * 1e3
        lines.append(f"| {r['workload']} | {compute:.2f} ms | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.distributed", description=__doc__)
    parser.add_argument("--workloads", nargs="+", choices=list(WORKLOADS), default=list(WORKLOADS))
    parser.add_argument("--steps", type=int, default=40, help="timed steps (DeepConvNet: 10)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--data-dir", help="folder holding mnist/ (default: $SCRATCHDL_DATA)")
    parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
    parser.add_argument("--worker", choices=("single", "ddp"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.worker:
        worker(args.worker, args.workloads[0], args.steps, args.data_dir)
        return
    results = {}
    for name in args.workloads:
        steps = min(args.steps, STEP_CAPS.get(name, args.steps))
        print(f"== {name}: {steps} steps, {args.repeats} repeats", flush=True)
        results[name] = measure(name, steps, args.repeats, args.data_dir)
    record = {"environment": environment(use_torch=False), "results": results}
    record["environment"]["load_average_after"] = load_average()
    out = Path(args.out) / f"distributed-{date.today().isoformat()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=1))
    print(f"\n{markdown(results)}\n\nwrote {out}")


if __name__ == "__main__":
    main()
