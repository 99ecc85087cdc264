"""User code that a type checker must accept: `mypy` runs over this file (and examples/) in
CI. Each function states the type the expression must have; a wrong annotation in the
library makes mypy fail here. Run by tests/typing/test_mypy.py."""

from __future__ import annotations

import numpy as np

import scratchdl as torch
import scratchdl.nn as nn
import scratchdl.nn.functional as F
import scratchdl.optim as optim
from scratchdl.utils.data import DataLoader, TensorDataset


def arithmetic(x: torch.Tensor) -> torch.Tensor:
    return (x * x + 2.0 * x - x / 3 + x**2) @ x.T


def methods(x: torch.Tensor) -> torch.Tensor:
    return x.exp().log().sqrt().abs().clamp(0, 1).relu().sigmoid().tanh().softmax(dim=-1)


def shapes(x: torch.Tensor) -> tuple[int, ...]:
    y: torch.Tensor = x.view(-1, 4).unsqueeze(0).squeeze(0).permute(1, 0).flatten()
    size: torch.Size = y.size()
    return tuple(size)


def reductions(x: torch.Tensor) -> float:
    values, indices = x.max(dim=1)
    mean: torch.Tensor = x.mean(dim=0, keepdim=True)
    count: int = int(values.eq(indices).sum().item())
    return float(mean.sum()) + count + x.numel() + x.dim()


def conversions(x: torch.Tensor) -> np.ndarray:
    labels: torch.Tensor = x.long().to("cpu").float().double()
    return labels.detach().numpy()


def training_step() -> float:
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    criterion = nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randint(0, 3, (8,))), batch_size=4)
    total = 0.0
    for inputs, targets in loader:
        optimizer.zero_grad()
        loss: torch.Tensor = criterion(model(inputs), targets)
        loss.backward()
        optimizer.step()
        total += loss.item()
    logits: torch.Tensor = F.linear(torch.ones(2, 4), torch.ones(3, 4))
    return total + float(logits.sum())


def autograd() -> torch.Tensor:
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    assert w.grad is not None
    (gradient,) = torch.autograd.grad((w**3).sum(), w)
    return w.grad + gradient
