"""Batch norm and dropout act differently in training and in evaluation (train()/eval()).

python examples/11_batchnorm_dropout.py
"""

import numpy as np

import scratchdl as sd
import scratchdl.nn as nn

sd.manual_seed(0)
x = sd.tensor(np.random.default_rng(0).normal(5.0, 3.0, size=(1000, 4)))  # mean 5, std 3

norm = nn.BatchNorm1d(4)  # y = γ (x − μ_batch) / √(σ²_batch + ε) + β, with γ = 1, β = 0
y = norm(x).numpy()
print(f"batch norm, training: mean {y.mean():+.3f}, std {y.std():.3f}")
print("running mean after one batch (momentum 0.1):", np.round(norm.running_mean, 3))
for _ in range(50):
    norm(x)  # r ← 0.9 r + 0.1 · (the batch's statistic)
print("running mean after 51 batches:", np.round(norm.running_mean, 3))
norm.eval()  # now it normalises with the running statistics instead of the batch's
y = norm(x).numpy()
print(f"batch norm, evaluation: mean {y.mean():+.3f}, std {y.std():.3f}")

dropout = nn.Dropout(p=0.5)  # training: zero each unit with probability p, scale the rest by 2
ones = sd.tensor(np.ones((1000, 100)))
kept = dropout(ones).numpy()
print(f"dropout, training: {np.mean(kept == 0):.1%} zeroed, the rest = {kept.max():g}")
dropout.eval()  # evaluation: the identity (the scaling kept the expected value equal)
print("dropout, evaluation: unchanged =", np.array_equal(dropout(ones).numpy(), ones.numpy()))
