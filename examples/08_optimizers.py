"""Six optimizers minimising f(x, y) = x²/20 + y² from (−7, 2), 30 steps each.

python examples/08_optimizers.py
"""

import numpy as np

import scratchdl.nn as nn
from scratchdl.demos.optimizers import OPTIMIZERS  # the six optimizers and their settings

curvature = np.array([1 / 20, 1.0])

for name, make_optimizer in OPTIMIZERS.items():
    theta = nn.Parameter(np.array([-7.0, 2.0]))
    optimizer = make_optimizer([theta])
    for _ in range(30):
        loss = (theta * theta * curvature).sum()  # x²/20 + y²
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    x, y = theta.numpy()
    print(f"{name:>24}: ends at ({x:7.3f}, {y:7.3f}), f = {x**2 / 20 + y**2:.5f}")
