"""One adapter per framework, so that every measurement is written once for both.

The training loops themselves are bench/epoch.py's (``scratchdl_steps``, ``torch_steps``);
PyTorch's model is the twin of scratchdl's, holding copies of its initial weights.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from bench import epoch
from bench.epoch import Workload

import scratchdl as sd
from scratchdl.train import eval_mode

INFERENCE_BATCH = 1000


@dataclass(frozen=True)
class Framework:
    """How one framework builds, trains and runs a workload's network."""

    name: str
    convert: Callable[[Any], Any]  # scratchdl model -> this framework's model
    optimizer: Callable[[Workload, Any], Any]
    steps: Callable[[Any, Any, np.ndarray, np.ndarray, list[np.ndarray]], None]
    predict: Callable[[Any, np.ndarray], np.ndarray]  # logits, eval mode, no graph

    def model(self, workload: Workload, seed: int) -> Any:
        """The workload's network with the initial weights that ``seed`` gives in scratchdl."""
        sd.manual_seed(seed)
        return self.convert(workload.build())

    def accuracy(self, model: Any, images: np.ndarray, labels: np.ndarray) -> float:
        """The fraction of ``images`` that ``model`` classifies as ``labels``."""
        return float(np.mean(self.predict(model, images).argmax(axis=1) == labels))


def scratchdl_predict(model: Any, images: np.ndarray) -> np.ndarray:
    """scratchdl's logits for ``images``, in batches of INFERENCE_BATCH."""
    with eval_mode(model), sd.no_grad():
        return np.concatenate(
            [
                model(sd.from_numpy(images[start : start + INFERENCE_BATCH])).data
                for start in range(0, len(images), INFERENCE_BATCH)
            ]
        )


def torch_predict(model: Any, images: np.ndarray) -> np.ndarray:
    """PyTorch's logits for ``images``, in batches of INFERENCE_BATCH."""
    import torch

    model.eval()
    try:
        with torch.no_grad():
            return np.concatenate(
                [
                    model(torch.from_numpy(images[start : start + INFERENCE_BATCH])).numpy()
                    for start in range(0, len(images), INFERENCE_BATCH)
                ]
            )
    finally:
        model.train()


SCRATCHDL = Framework(
    "scratchdl",
    lambda model: model,
    epoch.scratchdl_optimizer,
    epoch.scratchdl_steps,
    scratchdl_predict,
)
TORCH = Framework(
    "torch", epoch.torch_twin, epoch.torch_optimizer, epoch.torch_steps, torch_predict
)


def available(use_torch: bool = True) -> list[Framework]:
    """scratchdl, then PyTorch when ``use_torch`` and it is importable."""
    if not use_torch:
        return [SCRATCHDL]
    try:
        import torch  # noqa: F401
    except ImportError:
        print("PyTorch is not installed: scratchdl figures only")
        return [SCRATCHDL]
    return [SCRATCHDL, TORCH]
