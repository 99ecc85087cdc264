"""The Gaussian Bayes classifier: one maximum-likelihood Gaussian per class, and Bayes' rule.

Training estimates, for every class c, its prior P(c) (the share of samples in c) and a
multivariate normal p(x | c) = N(x; μ_c, Σ_c) fitted by maximum likelihood. Prediction
applies Bayes' rule,

    P(c | x) = p(x | c) P(c) / Σ_k p(x | k) P(k),

and picks the class with the largest posterior. With a full covariance per class the
decision boundaries are quadratic (this is also called quadratic discriminant analysis).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def fit_gaussian(X: Any) -> tuple[np.ndarray, np.ndarray]:
    """The maximum-likelihood mean and covariance of samples X, shape (N, d):

        μ = (1/N) Σₙ xₙ,    Σ = (1/N) Σₙ (xₙ − μ)(xₙ − μ)ᵀ.

    The ML covariance divides by N (``np.cov(X.T, bias=True)``), not by the unbiased N − 1.
    Returns (μ of shape (d,), Σ of shape (d, d)), float64. Raises ValueError unless X is
    2-d with at least 2 samples.
    """
    X = _as_samples(X, "fit_gaussian")
    if len(X) < 2:
        raise ValueError(
            f"fit_gaussian: needs at least 2 samples to estimate a covariance, got {len(X)}"
        )
    mean = X.mean(axis=0)
    centred = X - mean
    return mean, centred.T @ centred / len(X)


def gaussian_log_density(X: Any, mean: Any, covariance: Any) -> np.ndarray:
    """log N(x; μ, Σ) for every row x of X (N, d), with μ (d,) and Σ (d, d):

        log N(x; μ, Σ) = −½ [d log 2π + log|Σ| + (x − μ)ᵀ Σ⁻¹ (x − μ)].

    log|Σ| comes from ``np.linalg.slogdet`` and Σ⁻¹(x − μ) from ``np.linalg.solve`` (no
    explicit inverse). Returns shape (N,). Raises ValueError for mismatched shapes or a
    covariance that is not positive definite.
    """
    X = _as_samples(X, "gaussian_log_density")
    mean = np.asarray(mean, dtype=np.float64)
    covariance = np.asarray(covariance, dtype=np.float64)
    d = X.shape[1]
    if mean.shape != (d,) or covariance.shape != (d, d):
        raise ValueError(
            f"gaussian_log_density: X has {d} features but mean has shape {tuple(mean.shape)} and "
            f"covariance {tuple(covariance.shape)}; expected ({d},) and ({d}, {d})"
        )
    log_det = _log_determinant(covariance, "gaussian_log_density")
    centred = X - mean
    mahalanobis_squared = np.sum(centred * np.linalg.solve(covariance, centred.T).T, axis=1)
    return -0.5 * (d * math.log(2 * math.pi) + log_det + mahalanobis_squared)


def stratified_split(
    y: Any, test_fraction: float = 0.3, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, test) that keep every class's share: of each class's n samples,
    round(n · test_fraction) chosen at random (``np.random.default_rng(seed)``) go to test.

    Deterministic for a given seed; both index arrays are sorted. Raises ValueError unless
    0 < test_fraction < 1.
    """
    if not 0 < test_fraction < 1:
        raise ValueError(
            f"stratified_split: test_fraction must lie strictly between 0 and 1, "
            f"got {test_fraction!r}"
        )
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    test_parts = []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        test_parts.append(members[: round(len(members) * test_fraction)])
    test = np.sort(np.concatenate(test_parts))
    train = np.setdiff1d(np.arange(len(y)), test)
    return train, test


class GaussianBayesClassifier:
    """Bayes' rule over one maximum-likelihood Gaussian per class.

    Attributes (after ``fit``):
        classes: the sorted distinct labels, shape (K,).
        priors: P(c), the share of training samples in each class, shape (K,).
        means: μ_c, shape (K, d).
        covariances: Σ_c (ML, divided by the class's sample count), shape (K, d, d).
    """

    classes: np.ndarray
    priors: np.ndarray
    means: np.ndarray
    covariances: np.ndarray

    def fit(self, X: Any, y: Any) -> GaussianBayesClassifier:
        """Estimate priors, means and covariances from samples X (N, d) and labels y (N,).

        Raises ValueError for mismatched shapes, a class with fewer than 2 samples, or a
        class whose covariance is singular (e.g. a feature constant within the class).
        Returns self.
        """
        X = _as_samples(X, "GaussianBayesClassifier.fit")
        y = np.asarray(y)
        if y.shape != (len(X),):
            raise ValueError(
                f"GaussianBayesClassifier.fit: y has shape {tuple(y.shape)}; expected ({len(X)},), "
                f"one label per row of X"
            )
        classes, counts = np.unique(y, return_counts=True)
        if counts.min() < 2:
            label = classes[np.argmin(counts)].item()
            raise ValueError(
                f"GaussianBayesClassifier.fit: class {label!r} has {counts.min()} sample; "
                f"every class needs at least 2 to estimate a covariance"
            )
        gaussians = [fit_gaussian(X[y == label]) for label in classes]
        for label, (_, covariance) in zip(classes, gaussians, strict=True):
            _log_determinant(covariance, f"GaussianBayesClassifier.fit (class {label.item()!r})")
        self.classes = classes
        self.priors = counts / len(y)
        self.means = np.stack([mean for mean, _ in gaussians])
        self.covariances = np.stack([covariance for _, covariance in gaussians])
        return self

    def log_posterior(self, X: Any) -> np.ndarray:
        """log P(c | x) for every sample and class, shape (N, K):

            log P(c | x) = log p(x | c) + log P(c) − log Σ_k p(x | k) P(k),

        the last term computed stably (log-sum-exp, shifted by the row's maximum).
        """
        return self._log_posterior(self._check_features(X, "log_posterior"))

    def predict_proba(self, X: Any) -> np.ndarray:
        """P(c | x), shape (N, K); every row sums to 1. Columns follow ``classes``."""
        return np.exp(self._log_posterior(self._check_features(X, "predict_proba")))

    def predict(self, X: Any) -> np.ndarray:
        """The label with the largest posterior for each sample, shape (N,)."""
        return self._predict(self._check_features(X, "predict"))

    def score(self, X: Any, y: Any) -> float:
        """Accuracy: the fraction of samples whose predicted label equals y."""
        predictions = self._predict(self._check_features(X, "score"))
        y = np.asarray(y)
        if y.shape != predictions.shape:
            raise ValueError(
                f"GaussianBayesClassifier.score: y has shape {tuple(y.shape)}; "
                f"expected {tuple(predictions.shape)}, one label per row of X"
            )
        return float(np.mean(predictions == y))

    def _predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes[np.argmax(self._log_posterior(X), axis=1)]

    def _log_posterior(self, X: np.ndarray) -> np.ndarray:
        log_joint = np.stack(
            [
                gaussian_log_density(X, mean, covariance) + math.log(prior)
                for prior, mean, covariance in zip(
                    self.priors, self.means, self.covariances, strict=True
                )
            ],
            axis=1,
        )
        row_max = log_joint.max(axis=1, keepdims=True)
        log_evidence = row_max + np.log(np.exp(log_joint - row_max).sum(axis=1, keepdims=True))
        return log_joint - log_evidence

    def _check_features(self, X: Any, op: str) -> np.ndarray:
        """X as float64 (N, d) with the d features seen in ``fit``."""
        name = f"GaussianBayesClassifier.{op}"
        if not hasattr(self, "means"):
            raise RuntimeError(f"{name}: the classifier is not fitted; call fit(X, y) first")
        X = _as_samples(X, name)
        n_features = self.means.shape[1]
        if X.shape[1] != n_features:
            raise ValueError(
                f"{name}: X has {X.shape[1]} features but the classifier was fitted on {n_features}"
            )
        return X


def _as_samples(X: Any, op: str) -> np.ndarray:
    """X as a float64 array of shape (n_samples, n_features)."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"{op}: X has shape {tuple(X.shape)}; expected (n_samples, n_features)")
    return X


def _log_determinant(covariance: np.ndarray, op: str) -> float:
    """log|Σ|; raises ValueError unless Σ is positive definite (its determinant > 0)."""
    sign, log_det = np.linalg.slogdet(covariance)
    if sign <= 0 or not np.isfinite(log_det):
        raise ValueError(
            f"{op}: the covariance is singular or not positive definite "
            f"(determinant sign {sign:+.0f}); a Gaussian density needs |Σ| > 0"
        )
    return float(log_det)
