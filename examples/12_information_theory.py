"""Self-information, entropy, cross-entropy and KL divergence, in bits.

The yut throw (do, gae, geol, yut, mo) with probabilities 4/16, 6/16, 4/16, 1/16, 1/16.

    python examples/12_information_theory.py
"""

import math

import numpy as np

from scratchdl import info

yut = np.array([4, 6, 4, 1, 1]) / 16
uniform = np.full(5, 1 / 5)
print("self-information of each throw (bits):", np.round(info.self_information(yut), 4))
print(f"entropy of the yut throw: {info.entropy(yut):.4f} bits")
print(f"entropy of a fair die:    {info.entropy(np.full(6, 1 / 6)):.4f} bits = log2 6")

cross = info.cross_entropy(yut, uniform)
kl = info.kl_divergence(yut, uniform)
print(f"H(yut, uniform) = {cross:.4f} bits, KL(yut || uniform) = {kl:.4f} bits")
print(f"H(p) + KL(p || q) = {info.entropy(yut) + kl:.4f} = H(p, q)")
print("KL is not symmetric: KL(uniform || yut) =", round(info.kl_divergence(uniform, yut), 4))
print(f"in nats: H(yut) = {info.entropy(yut, base=math.e):.4f}")
