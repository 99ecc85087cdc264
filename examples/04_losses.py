"""Softmax, sum of squares and cross-entropy on the book's example outputs.

python examples/04_losses.py
"""

import numpy as np

from scratchdl import functional as F
from scratchdl import info

t = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0.0])  # the answer is "2"
y_right = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])  # most on "2"
y_wrong = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])  # most on "7"

for name, y in (("right", y_right), ("wrong", y_wrong)):
    sse = F.sum_squared_error(y, t).item()
    cross_entropy = info.cross_entropy(t, y, base="e")  # −Σ t log y, in nats
    print(f"{name}: sum of squares {sse:.4f}, cross-entropy {cross_entropy:.4f}")

print("softmax([0.3, 2.9, 4.0]) =", np.round(F.softmax(np.array([0.3, 2.9, 4.0])).numpy(), 5))
large = np.array([1010.0, 1000.0, 990.0])  # exp overflows; softmax subtracts the max first
print("softmax([1010, 1000, 990]) =", F.softmax(large).numpy())
logits = np.array([[0.3, 2.9, 4.0]])
print("cross_entropy(logits, class 2) =", F.cross_entropy(logits, np.array([2])).item())
