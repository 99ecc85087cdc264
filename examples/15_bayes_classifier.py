"""A Gaussian Bayes classifier on the Iris flowers: one maximum-likelihood Gaussian per
class, then Bayes' rule P(c | x) ∝ P(c) N(x; μ_c, Σ_c).

    python examples/15_bayes_classifier.py
"""

import numpy as np

from scratchdl.classic import GaussianBayesClassifier, stratified_split
from scratchdl.datasets import load_iris

X, y, feature_names, class_names = load_iris()
train, test = stratified_split(y, test_fraction=0.3, seed=0)
model = GaussianBayesClassifier().fit(X[train], y[train])

for label, name in enumerate(class_names):
    print(f"{name:>10}: prior {model.priors[label]:.3f}, mean {np.round(model.means[label], 2)}")
print(f"test accuracy: {model.score(X[test], y[test]):.4f} on {len(test)} flowers")
print("P(class | first test flower):", np.round(model.predict_proba(X[test[:1]])[0], 4))
