"""Activation functions and their derivatives (the derivatives from autograd).

python examples/02_activations.py
"""

import numpy as np

import scratchdl as sd
from scratchdl import functional as F

x = sd.tensor(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]), requires_grad=True)
activations = {
    "step": F.step,
    "sigmoid": F.sigmoid,
    "tanh": F.tanh,
    "ReLU": F.relu,
    "softplus": F.softplus,
}
print("x:         ", x.numpy())
for name, activation in activations.items():
    y = activation(x)
    if y.requires_grad:  # the step function has no gradient
        x.grad = None
        y.sum().backward()  # d(Σ y)/dx = f'(x) elementwise
        assert x.grad is not None
        derivative = x.grad.numpy()
    else:
        derivative = np.zeros_like(x.numpy())
    print(f"{name:>8}:  ", np.round(y.numpy(), 4), " derivative", np.round(derivative, 4))
