"""The book's gradient check: backprop against the numerical gradient (central
differences, float64) of a TwoLayerNet 784-50-10 on a few MNIST training images; prints
each parameter's mean |backprop − numerical| (the book reports about 1e-10).

    scratchdl gradcheck
    scratchdl gradcheck --images 10 --slow   # the book's one-weight-at-a-time loop
"""

from __future__ import annotations

import argparse

from scratchdl.classic import run_gradient_check
from scratchdl.cli import arguments

HELP = "backprop vs numerical gradients of the book's TwoLayerNet"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--images", type=arguments.POSITIVE_INT, default=3, metavar="N",
        help="MNIST training images to use (default: 3, as in the book)",
    )  # fmt: skip
    parser.add_argument(
        "--slow", action="store_true",
        help="perturb one weight at a time, as the book does (the same numbers, slower)",
    )  # fmt: skip
    parser.add_argument("--data-dir", type=arguments.data_folder, metavar="DIR")


def run(args: argparse.Namespace) -> int:
    result = run_gradient_check(args.images, data_root=args.data_dir, fast=not args.slow)
    print(f"TwoLayerNet 784-50-10 on {result['n']} {result['dataset']} images, float64")
    for name in ("W1", "b1", "W2", "b2"):
        print(f"  {name}: mean |backprop - numerical| = {result[name]:.3e}")
    return 0
