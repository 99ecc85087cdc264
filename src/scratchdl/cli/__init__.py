"""The ``scratchdl`` command: train, evaluate and predict on MNIST from the shell.

    scratchdl train                          # train the default network, write runs/...
    scratchdl evaluate runs/mnist-mlp-...    # test accuracy, per class, confusion matrix
    scratchdl predict runs/mnist-mlp-... digit.png
    scratchdl info                           # versions, BLAS, dataset files
    scratchdl demo softmax                   # a figure of the learning track
    scratchdl gradcheck                      # backprop vs numerical gradients

Each subcommand is a module with ``HELP`` (one line), ``add_arguments(parser)`` and
``run(args) -> int`` (the exit status); its docstring is its ``--help`` description.
Adding a subcommand is one such module and one entry in ``SUBCOMMANDS``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

import scratchdl
from scratchdl.backend import device
from scratchdl.cli import demo, evaluate, gradcheck, info, predict, train
from scratchdl.cli.errors import BROKEN_PIPE, INTERRUPTED, USAGE_ERROR, UsageError, error_lines
from scratchdl.cli.job import launched_rank

PROG = "scratchdl"

SUBCOMMANDS: dict[str, ModuleType] = {
    "train": train,
    "evaluate": evaluate,
    "predict": predict,
    "info": info,
    "demo": demo,
    "gradcheck": gradcheck,
}


DESCRIPTION = (
    "scratchdl: deep learning from scratch on NumPy; train, evaluate and predict on MNIST."
)
EPILOG = "'scratchdl COMMAND --help' describes a command's options."


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose mistakes become UsageError, printed as one line by ``main``."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> Parser:
    """The parser of ``scratchdl`` with one subparser per entry of ``SUBCOMMANDS``."""
    parser = Parser(prog=PROG, description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"%(prog)s {scratchdl.__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module in SUBCOMMANDS.items():
        subparser = subparsers.add_parser(
            name,
            help=module.HELP,
            description=module.__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(subparser)
        subparser.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``scratchdl`` with ``argv`` (default: the process's arguments); return the exit
    status. Every expected failure (see ``errors.error_lines``) prints one line
    ``scratchdl: error: ...`` to stderr and returns 2; Ctrl-C returns 130; any other
    exception is a bug and propagates with its traceback."""
    try:
        args = build_parser().parse_args(argv)
        target = getattr(args, "device", None)
        with device(target) if target else contextlib.nullcontext():
            return args.run(args)
    except KeyboardInterrupt:
        print(f"\n{PROG}: interrupted", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:  # the reader left (scratchdl info | head): stop quietly, as cat does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return BROKEN_PIPE
    except Exception as error:
        lines = error_lines(error)
        if lines is None:
            raise
        if isinstance(error, UsageError) and launched_rank() > 0:
            lines = []  # every rank made the same mistake; rank 0 says it
        for line in lines:
            print(f"{PROG}: error: {line}", file=sys.stderr)
        return USAGE_ERROR
