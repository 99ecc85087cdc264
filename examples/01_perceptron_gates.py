"""Logic gates as perceptrons, and the perceptron learning rule (and where it fails: XOR).

python examples/01_perceptron_gates.py
"""

import numpy as np

from scratchdl.classic import AND, NAND, OR, XOR, Perceptron

inputs = [(0, 0), (1, 0), (0, 1), (1, 1)]
for gate in (AND, NAND, OR, XOR):
    print(f"{gate.__name__:>4}:", [gate(x1, x2) for x1, x2 in inputs])

# Rosenblatt's rule learns every gate one straight line can separate; XOR is not one.
X = np.array(inputs, dtype=float)
for gate in (AND, NAND, OR, XOR):
    y = np.array([gate(x1, x2) for x1, x2 in inputs])
    perceptron = Perceptron(n_inputs=2, lr=0.1).fit(X, y, max_epochs=100)
    print(
        f"learning {gate.__name__:>4}: converged={perceptron.converged} "
        f"after {perceptron.epochs} epochs, last epoch's mistakes "
        f"{perceptron.errors_per_epoch[-1]}"
    )
