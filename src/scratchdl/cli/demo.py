"""Run one demo of the learning track: it draws a figure into --out and prints its key
numbers. `scratchdl demo --list` names them all.

    scratchdl demo softmax                 # writes demos/softmax.png
    scratchdl demo weight-init --out figures
"""

from __future__ import annotations

import argparse
from pathlib import Path

from scratchdl.cli import arguments
from scratchdl.cli.errors import UserError
from scratchdl.cli.extras import require
from scratchdl.demos import DEMOS, run_demo

HELP = "draw a figure of the learning track (gates, softmax, optimizers, ...)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", choices=DEMOS, metavar="NAME", help=", ".join(DEMOS))
    parser.add_argument(
        "--out", type=arguments.path, default="demos", metavar="DIR", help="(default: demos)"
    )
    parser.add_argument("--list", action="store_true", help="list the demos and exit")


def run(args: argparse.Namespace) -> int:
    if args.list:
        print("\n".join(DEMOS))
        return 0
    if args.name is None:
        raise UserError(f"demo: name one of {', '.join(DEMOS)}")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out} is a file, not a folder")
    require("matplotlib", "drawing the demos' figures")  # before --out is created
    numbers = run_demo(args.name, out)
    for key, value in numbers.items():
        print(f"{key}: {_format(value)}")
    print(f"wrote {out / (args.name + '.png')}")
    return 0


def _format(value: object) -> str:
    """Floats to 6 significant digits, lists element by element; the rest as str()."""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_format(item) for item in value) + "]"
    return str(value)
