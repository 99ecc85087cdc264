"""The benchmark suite: scratchdl against PyTorch on MNIST workloads, in the same process.

    SCRATCHDL_DATA=/path/to/datasets python -m bench [--only SECTION ...] [--repeats 5]
        [--quick] [--long] [--steps N] [--threads N] [--no-torch] [--device cuda]

Sections: epoch (training epochs of five networks), inference (10,000 test images),
batch (step time against batch size), width (step time against hidden width), accuracy
(time to 98% test accuracy; with --long also DeepConvNet to 99.3%), gemm (the machine's
matmul GFLOP/s) and memory (peak RSS per workload and framework). Both frameworks use the
same threads, float32, batch size, data order and initial weights; they alternate repeat by
repeat. Writes bench/results/<date>.json (every raw figure), <date>.md (the tables for
bench/README.md) and the plots step_vs_batch.png and step_vs_width.png. A section run again
the same day replaces its figures in those files and keeps the other sections'.
"""

from __future__ import annotations

import argparse
import importlib
import os

from bench.suite import SECTION_NAMES

# Read by the BLAS libraries when NumPy loads them, so they are set before NumPy is imported.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        nargs="+",
        choices=SECTION_NAMES,
        metavar="SECTION",
        help=f"run these sections only: {', '.join(SECTION_NAMES)}",
    )
    parser.add_argument("--repeats", type=int, help="runs per figure (5; 2 with --quick)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny settings for development: few repeats and steps, noisy; "
        "writes <date>-quick.* files",
    )
    parser.add_argument(
        "--long",
        action="store_true",
        help="also time DeepConvNet to 99.3%% test accuracy: one run per framework, "
        "most of an hour in scratchdl",
    )
    parser.add_argument(
        "--steps",
        type=int,
        help="time the first N steps of each epoch and scale to the epoch "
        "(default: whole epochs, DeepConvNet 100 steps; 20 with --quick)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        help="threads for NumPy's BLAS and PyTorch (default: all usable CPUs)",
    )
    parser.add_argument("--no-torch", action="store_true", help="measure scratchdl only")
    parser.add_argument(
        "--device",
        default="cpu",
        help="cuda: training epochs of the five networks on the GPU, against PyTorch there "
        "and scratchdl on the CPU (bench/devices.py); the sections run on the CPU",
    )
    parser.add_argument("--data-dir", help="folder holding mnist/ (default: $SCRATCHDL_DATA)")
    parser.add_argument(
        "--out",
        default=os.path.join(os.path.dirname(__file__), "results"),
        help="folder for the results (bench/results)",
    )
    args = parser.parse_args(argv)
    for name in ("repeats", "steps", "threads"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    threads = args.threads or len(os.sched_getaffinity(0))
    for variable in THREAD_VARIABLES:
        os.environ[variable] = str(threads)
    # scratchdl sets OpenBLAS's spin at run time whatever comes first (see
    # scratchdl.backend.threads); imported here as before, ahead of the runner
    importlib.import_module("scratchdl")
    if args.device != "cpu":
        from bench import devices

        devices.main(args)
        return
    from bench.suite.runner import run

    run(args, threads)


if __name__ == "__main__":
    main()
