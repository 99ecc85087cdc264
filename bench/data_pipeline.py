"""One epoch of the seed tutorial's data pipeline, scratchdl against PyTorch, data only.

The pipeline: MNIST training set, ``Compose([ToTensor(), Normalize((0.1307,), (0.3081,))])``,
``DataLoader(batch_size=32, shuffle=True)``, every batch read and nothing trained. Timed:

- scratchdl: the default path (one fancy-index and the transforms' batch forms per batch);
- scratchdl per sample: the same loader forced through the per-sample path (a collate_fn
  that is not the default), what a Lambda or a user's transform costs;
- torchvision: ``torchvision.datasets.MNIST`` with ``torchvision.transforms``, when
  torchvision imports (``--torchvision-root``: a folder holding ``MNIST/raw``);
- torch per sample: PyTorch's DataLoader over a Dataset doing torchvision's per-sample work
  (uint8 array -> Pillow image -> tensor / 255 -> normalise), for where torchvision is absent.

The frameworks alternate repeat by repeat. ``--check`` first compares an unshuffled epoch's
batches with torchvision's (or the torch replica's).

    SCRATCHDL_DATA=... python bench/data_pipeline.py --repeats 5
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import time
from collections.abc import Iterable

import numpy as np

from scratchdl.utils.data import DataLoader, default_collate
from scratchdl.vision import datasets, transforms

MEAN, STD, BATCH_SIZE = (0.1307,), (0.3081,), 32


def scratchdl_loaders(shuffle: bool) -> dict[str, Iterable]:
    tutorial = transforms.Compose([transforms.ToTensor(), transforms.Normalize(MEAN, STD)])
    train = datasets.MNIST(train=True, transform=tutorial)
    return {
        "scratchdl": DataLoader(train, batch_size=BATCH_SIZE, shuffle=shuffle),
        "scratchdl per sample": DataLoader(
            train, batch_size=BATCH_SIZE, shuffle=shuffle, collate_fn=lambda s: default_collate(s)
        ),
    }


def torch_loaders(shuffle: bool, torchvision_root: str | None) -> dict[str, Iterable]:
    import torch
    from PIL import Image

    class TutorialMNIST(torch.utils.data.Dataset):
        """torchvision's MNIST sample with ToTensor and Normalize, written out in torch."""

        def __init__(self) -> None:
            train = datasets.MNIST(train=True)
            self.data = torch.from_numpy(train.data.numpy().copy())
            self.targets = torch.from_numpy(train.targets.numpy())
            self.mean, self.std = (
                torch.tensor(MEAN).view(-1, 1, 1),
                torch.tensor(STD).view(-1, 1, 1),
            )

        def __len__(self) -> int:
            return len(self.data)

        def __getitem__(self, index: int):
            image = Image.fromarray(self.data[index].numpy(), mode="L")
            pixels = torch.from_numpy(np.array(image, np.uint8, copy=True)).view(28, 28, 1)
            x = pixels.permute(2, 0, 1).contiguous().to(torch.float32).div(255)
            return x.sub_(self.mean).div_(self.std), int(self.targets[index])

    loaders = {
        "torch per sample": torch.utils.data.DataLoader(
            TutorialMNIST(), batch_size=BATCH_SIZE, shuffle=shuffle
        )
    }
    if torchvision_root and importlib.util.find_spec("torchvision"):
        from torchvision import datasets as tv_datasets
        from torchvision import transforms as tv_transforms

        tutorial = tv_transforms.Compose(
            [tv_transforms.ToTensor(), tv_transforms.Normalize(MEAN, STD)]
        )
        train = tv_datasets.MNIST(torchvision_root, train=True, transform=tutorial)
        loaders["torchvision"] = torch.utils.data.DataLoader(
            train, batch_size=BATCH_SIZE, shuffle=shuffle
        )
    return loaders


def epoch_seconds(loader: Iterable) -> float:
    started = time.perf_counter()
    for _images, _labels in loader:
        pass
    return time.perf_counter() - started


def check(ours: Iterable, theirs: dict[str, Iterable], batches: int = 50) -> None:
    """Print the largest difference between our unshuffled batches and each reference's."""
    for name, loader in theirs.items():
        worst = 0.0
        for _, (x, y), (tx, ty) in zip(range(batches), ours, loader, strict=False):
            assert np.array_equal(y.numpy(), ty.numpy()) and x.shape == tuple(tx.shape)
            worst = max(worst, float(np.abs(x.numpy() - tx.numpy()).max()))
        print(f"first {batches} unshuffled batches against {name}: max |difference| {worst:.1e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--torchvision-root", default=None)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    with_torch = importlib.util.find_spec("torch") is not None
    if args.check and with_torch:
        check(scratchdl_loaders(False)["scratchdl"], torch_loaders(False, args.torchvision_root))
    loaders: dict[str, Iterable] = scratchdl_loaders(True)
    if with_torch:
        loaders |= torch_loaders(True, args.torchvision_root)
    times: dict[str, list[float]] = {name: [] for name in loaders}
    for _ in range(args.repeats):
        for name, loader in loaders.items():
            time.sleep(0.25)
            times[name].append(epoch_seconds(loader))
    report(times)


def report(times: dict[str, list[float]]) -> None:
    print("| pipeline | epoch s, median (min–max) |")
    print("| --- | ---: |")
    for name, seconds in times.items():
        print(
            f"| {name} | {statistics.median(seconds):.3f} ({min(seconds):.3f}–{max(seconds):.3f}) |"
        )


if __name__ == "__main__":
    main()
