"""Show what scratchdl runs on: versions, NumPy's BLAS and its threads, the optional
extras, and the dataset files (where each was found, and whether its MD5 matches).

    scratchdl info
    scratchdl info --data-dir ~/data
"""

from __future__ import annotations

import argparse
import os

from scratchdl.cli import arguments, config, system
from scratchdl.cli.extras import EXTRAS
from scratchdl.datasets import find_dataset_files
from scratchdl.datasets.files import DATA_ENV, cache_dir

HELP = "versions, BLAS threads, optional extras and dataset files"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", type=arguments.data_folder, metavar="DIR",
        help="also look for the datasets in DIR (as train --data-dir does)",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    print("  ".join(f"{name} {version}" for name, version in system.versions().items()))
    print(system.device_line())
    print()
    print("optional extras")
    for extra in EXTRAS:
        version = system.extra_version(extra.distribution) or "not installed"
        print(f"  {extra.distribution:<12} {version:<14} {extra.purpose} (extra: {extra.extra})")
    print()
    print("dataset folders, searched in this order")
    downloads = "  (downloads go here)"
    if args.data_dir:
        print(f"  --data-dir      {args.data_dir}{downloads}")
    print(f"  ${DATA_ENV:<14} {os.environ.get(DATA_ENV) or '(not set)'}")
    print(f"  cache           {cache_dir()}{'' if args.data_dir else downloads}")
    for name, dataset in config.DATASETS.items():
        print()
        print(dataset.files.name)
        for status in find_dataset_files(name, args.data_dir):
            state = "MD5 ok" if status.verified else "MD5 MISMATCH" if status.path else "missing"
            print(f"  {status.filename:<28} {state:<12} {status.path or ''}")
    return 0
