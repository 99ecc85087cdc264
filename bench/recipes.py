"""Two MNIST training recipes, run through ``scratchdl.train.fit``: test accuracy and wall time.

book: the first "from scratch" book's TwoLayerNet, 784-50-10 ReLU, weights N(0, 0.01²),
      plain SGD lr 0.1, batches of 100, 17 epochs = 10,200 steps (the book's 10,000
      iterations rounded up to whole epochs)
mlp:  MLP 784-512-512-10, ReLU, dropout 0.2, Adam lr 1e-3 annealed to 0 along a cosine
      (CosineAnnealingLR, T_max = 10), batches of 128, 10 epochs

  SCRATCHDL_DATA=/path/to/datasets python bench/recipes.py [--recipe book|mlp|all]
"""

from __future__ import annotations

import argparse
import time

import scratchdl as sd
import scratchdl.functional as F
from scratchdl.models import MLP, TwoLayerNet
from scratchdl.optim import SGD, Adam
from scratchdl.optim.lr_scheduler import CosineAnnealingLR
from scratchdl.train import evaluate, fit
from scratchdl.utils.data import DataLoader
from scratchdl.vision.datasets import MNIST
from scratchdl.vision.transforms import ToTensor


def book_recipe():
    """(model, optimizer, scheduler, batch size, epochs)."""
    model = TwoLayerNet(784, 50, 10, weight_init_std=0.01)
    return model, SGD(model.parameters(), lr=0.1), None, 100, 17


def mlp_recipe():
    """(model, optimizer, scheduler, batch size, epochs)."""
    model = MLP([784, 512, 512, 10], dropout=0.2)
    optimizer = Adam(model.parameters(), lr=1e-3)
    return model, optimizer, CosineAnnealingLR(optimizer, T_max=10), 128, 10


RECIPES = {"book": book_recipe, "mlp": mlp_recipe}


def run(name: str, train_set: MNIST, test_set: MNIST, seed: int) -> None:
    """Train one recipe from ``seed``; print each epoch and the final figures."""
    sd.manual_seed(seed)
    model, optimizer, scheduler, batch_size, epochs = RECIPES[name]()
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    test_loader = DataLoader(test_set, batch_size=1000)
    started = time.perf_counter()
    history = fit(
        model, train_loader, F.cross_entropy, optimizer, epochs, test_loader, scheduler=scheduler
    )
    seconds = time.perf_counter() - started
    for record in history:
        print(
            f"  {name} epoch {record['epoch']:2d}: loss {record['loss']:.4f} "
            f"train acc {record['accuracy']:.4f} test acc {record['val_accuracy']:.4f} "
            f"({record['time']:.1f} s)"
        )
    test_accuracy = evaluate(model, test_loader, None)["accuracy"]
    steps = epochs * len(train_loader)
    print(
        f"{name}: test accuracy {test_accuracy:.2%} after {steps} steps, "
        f"{seconds:.1f} s wall time (training and per-epoch evaluation)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipe", choices=[*RECIPES, "all"], default="all")
    parser.add_argument("--data-dir", default=None, help="folder holding mnist/")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    train_set = MNIST(args.data_dir, train=True, download=True, transform=ToTensor())
    test_set = MNIST(args.data_dir, train=False, download=True, transform=ToTensor())
    for name in RECIPES if args.recipe == "all" else [args.recipe]:
        run(name, train_set, test_set, args.seed)


if __name__ == "__main__":
    main()
