"""The Gaussian Bayes classifier on Fisher's Iris flowers.

The classifier fits one Gaussian per species to all four measurements of a stratified 70 %
of the flowers and classifies the other 30 %. The figure shows two of the four features
(petal length and width), each class's mean, and the 1σ and 2σ ellipses of its fitted
covariance restricted to those two features (a Gaussian's marginal keeps that 2 × 2 block).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scratchdl.classic.bayes import GaussianBayesClassifier, stratified_split
from scratchdl.datasets.iris import load_iris
from scratchdl.demos.plotting import new_figure, save_figure

TEST_FRACTION = 0.3
SPLIT_SEED = 0
SHOWN_FEATURES = (2, 3)  # petal length, petal width
CLASS_COLOURS = ("tab:blue", "tab:orange", "tab:green")


def run(out_dir: Path) -> dict:
    """Draw ``bayes.png``; return the train and test accuracy and the split's sizes."""
    X, y, feature_names, class_names = load_iris()
    train, test = stratified_split(y, test_fraction=TEST_FRACTION, seed=SPLIT_SEED)
    model = GaussianBayesClassifier().fit(X[train], y[train])
    test_accuracy = model.score(X[test], y[test])
    wrong = test[model.predict(X[test]) != y[test]]

    figure, axes = new_figure(1, 1, title="Gaussian Bayes classifier on Iris", panel_size=(7, 5.5))
    ax = axes[0, 0]
    i, j = SHOWN_FEATURES
    for label, (name, colour) in enumerate(zip(class_names, CLASS_COLOURS, strict=True)):
        members = y == label
        ax.scatter(X[members, i], X[members, j], s=14, color=colour, alpha=0.6, label=name)
        mean = model.means[label, [i, j]]
        covariance = model.covariances[label][np.ix_([i, j], [i, j])]
        ax.plot(*mean, "+", color="black", markersize=12, markeredgewidth=2)
        for n_sigma in (1, 2):
            ax.plot(*covariance_ellipse(mean, covariance, n_sigma).T, color=colour)
    ax.scatter(
        X[wrong, i],
        X[wrong, j],
        s=90,
        facecolors="none",
        edgecolors="red",
        linewidths=1.5,
        label="misclassified (test)",
    )
    ax.plot([], [], "+", color="black", markersize=12, markeredgewidth=2, label="class mean")
    x_name, y_name = (feature_names[k].replace("_", " ") for k in SHOWN_FEATURES)
    ax.set(xlabel=f"{x_name} (cm)", ylabel=f"{y_name} (cm)")
    ax.set_title(
        f"test accuracy {test_accuracy:.4f} ({len(test) - len(wrong)}/{len(test)}), "
        f"all four features; ellipses: 1σ and 2σ"
    )
    ax.legend(loc="upper left")
    save_figure(figure, out_dir / "bayes.png")
    return {
        "test_accuracy": test_accuracy,
        "train_accuracy": model.score(X[train], y[train]),
        "n_train": len(train),
        "n_test": len(test),
    }


def covariance_ellipse(mean: np.ndarray, covariance: np.ndarray, n_sigma: float) -> np.ndarray:
    """Points (100, 2) on the ellipse (x − μ)ᵀ Σ⁻¹ (x − μ) = n_sigma² of a 2-d Gaussian:
    the unit circle stretched by n_sigma·√λ along each eigenvector of Σ."""
    eigenvalues, eigenvectors = np.linalg.eigh(covariance)
    angle = np.linspace(0.0, 2 * np.pi, 100)
    circle = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return mean + n_sigma * (circle * np.sqrt(eigenvalues)) @ eigenvectors.T
