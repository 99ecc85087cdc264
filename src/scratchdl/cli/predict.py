"""Classify images with a trained run: PNG or JPEG files (read with Pillow, the optional
``image`` extra) or .npy arrays.

Each image is first made to look like an MNIST digit: white on black, scaled to fit a 20x20
box and centred by its centre of mass in a 28x28 field (see scratchdl.cli.images). A digit
drawn in dark ink on light paper therefore works as well as one cut from MNIST.

    scratchdl predict runs/mnist-mlp-20250101-120000 digit.png seven.npy
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np

import scratchdl.functional as F
from scratchdl.cli import arguments, config
from scratchdl.cli.errors import UserError
from scratchdl.cli.images import ImageError, read_image, to_mnist_format
from scratchdl.cli.run_dir import load_trained_model
from scratchdl.functional.creation import from_numpy
from scratchdl.train import predict

HELP = "classify PNG/JPEG/.npy images with a trained run"
TOP = 3  # how many classes to show per image, most probable first


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "run_dir", type=arguments.path, metavar="DIR", help="a folder written by train"
    )
    parser.add_argument(
        "images", type=arguments.path, nargs="+", metavar="IMAGE", help=".png, .jpg, .npy"
    )


def run(args: argparse.Namespace) -> int:
    """Predict every readable image; report each unreadable one by name (exit status 2)."""
    settings, model = load_trained_model(args.run_dir)
    readable, images, problems = [], [], []
    for path in args.images:
        try:
            images.append(_mnist_image(path))
            readable.append(path)
        except ImageError as error:
            problems.append(str(error))
    if images:
        batch = np.stack(images)[:, np.newaxis]
        probabilities = F.softmax(from_numpy(predict(model, batch)), dim=1).numpy()
        labels = config.class_labels(settings)
        for path, row in zip(readable, probabilities, strict=True):
            print(prediction_line(path, row, labels))
    if problems:
        raise UserError(*problems)
    return 0


def _mnist_image(path: Path) -> np.ndarray:
    """The image at ``path`` as a (28, 28) MNIST-style array; ImageError naming the file."""
    image = read_image(path)
    try:
        return to_mnist_format(image)
    except ImageError as error:
        raise ImageError(f"{path}: {error}") from None


def prediction_line(path: Path, probabilities: np.ndarray, labels: Sequence[str]) -> str:
    """'digit.png: 7   top 3: 7 98.1%, 1 1.0%, 9 0.3%', with the class labels given."""
    ranked = np.argsort(probabilities)[::-1][:TOP]
    top = ", ".join(f"{labels[index]} {probabilities[index]:.1%}" for index in ranked)
    return f"{path}: {labels[ranked[0]]}   top {TOP}: {top}"
