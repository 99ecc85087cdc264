"""Measure a trained run on its test set: loss, accuracy, accuracy per class, and the
confusion matrix (how often each class is taken for each other).

    scratchdl evaluate runs/mnist-mlp-20250101-120000
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import numpy as np

from scratchdl.cli import arguments, config
from scratchdl.cli.results import evaluate_on
from scratchdl.cli.run_dir import load_trained_model

HELP = "test loss, accuracy per class and confusion matrix of a trained run"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "run_dir", type=arguments.path, metavar="DIR", help="a folder written by train"
    )
    arguments.add_data_options(parser)


def run(args: argparse.Namespace) -> int:
    settings, model = load_trained_model(args.run_dir)
    if args.data_dir is not None:
        settings["data_dir"] = args.data_dir
    test_set = config.load_split(settings, train=False, download=not args.no_download)
    evaluation = evaluate_on(model, test_set)
    labels = config.class_labels(settings)
    counts = evaluation.confusion_matrix()
    dataset = config.DATASETS[settings["dataset"]].files.name
    print(f"{dataset} test set, {len(test_set):,} images, {args.run_dir}")
    print(f"test loss {evaluation.loss:.4f}, accuracy {evaluation.accuracy:.2%}")
    print()
    print(per_class_table(counts, labels))
    print()
    print(confusion_table(counts, labels))
    return 0


def per_class_table(counts: np.ndarray, labels: Sequence[str]) -> str:
    """Accuracy per true class (the confusion matrix's diagonal over its row sums)."""
    width = max(len(label) for label in [*labels, "class"])
    lines = [f"{'class':<{width}}  accuracy  correct"]
    for label, row, correct in zip(labels, counts, np.diag(counts), strict=True):
        total = row.sum()
        accuracy = f"{correct / total:.2%}" if total else "-"
        lines.append(f"{label:<{width}}  {accuracy:>8}  {correct}/{total}")
    return "\n".join(lines)


def confusion_table(counts: np.ndarray, labels: Sequence[str]) -> str:
    """The confusion matrix as text: a row per true class, a column per predicted class."""
    width = max(len(label) for label in labels)
    cell = max(5, len(str(counts.max())) + 1)
    header = " " * width + "".join(f"{index:>{cell}}" for index in range(len(labels)))
    rows = [
        f"{label:<{width}}" + "".join(f"{count:>{cell}}" for count in row)
        for label, row in zip(labels, counts, strict=True)
    ]
    title = "confusion matrix (rows: true class, columns: predicted class)"
    return "\n".join([title, header, *rows])
