"""The Gaussian Bayes classifier: ML estimates, the log-density, posteriors, Iris."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scratchdl.classic.bayes import (
    GaussianBayesClassifier,
    fit_gaussian,
    gaussian_log_density,
    stratified_split,
)
from scratchdl.datasets.iris import load_iris


@pytest.fixture
def two_blobs(rng):
    """Two well-separated 3-d Gaussian classes of 20 samples each, labels 0 and 1."""
    X = np.concatenate([rng.normal(0.0, 1.0, (20, 3)), rng.normal(4.0, 1.0, (20, 3))])
    return X, np.repeat([0, 1], 20)


def test_fit_gaussian_is_the_maximum_likelihood_estimate(rng):
    X = rng.normal(size=(30, 4))
    mean, covariance = fit_gaussian(X)
    np.testing.assert_allclose(mean, np.mean(X, axis=0))
    np.testing.assert_allclose(covariance, np.cov(X.T, bias=True))


def test_log_density_equals_the_hand_formula_in_2d():
    mean = np.array([1.0, -1.0])
    covariance = np.array([[2.0, 0.5], [0.5, 1.0]])
    x = np.array([[2.0, 0.5]])
    det = 2.0 * 1.0 - 0.5 * 0.5
    inverse = np.array([[1.0, -0.5], [-0.5, 2.0]]) / det
    diff = x[0] - mean
    expected = -math.log(2 * math.pi) - 0.5 * math.log(det) - 0.5 * diff @ inverse @ diff
    np.testing.assert_allclose(gaussian_log_density(x, mean, covariance), [expected])


def test_fit_estimates_priors_means_and_covariances(two_blobs):
    X, y = two_blobs
    model = GaussianBayesClassifier().fit(X[:30], y[:30])
    np.testing.assert_array_equal(model.classes, [0, 1])
    np.testing.assert_allclose(model.priors, [20 / 30, 10 / 30])
    np.testing.assert_allclose(model.means[1], X[20:30].mean(axis=0))
    np.testing.assert_allclose(model.covariances[0], np.cov(X[:20].T, bias=True))


def test_posterior_rows_sum_to_one_and_predict_takes_the_largest(two_blobs):
    X, y = two_blobs
    model = GaussianBayesClassifier().fit(X, y)
    proba = model.predict_proba(X)
    assert proba.shape == (40, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.predict(X), model.classes[proba.argmax(axis=1)])
    np.testing.assert_allclose(np.exp(model.log_posterior(X)), proba)


def test_log_posterior_is_stable_far_from_every_class(two_blobs):
    X, y = two_blobs
    model = GaussianBayesClassifier().fit(X, y)
    proba = model.predict_proba(np.full((1, 3), 1e3))
    assert np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(), 1.0)


def test_labels_need_not_be_integers(two_blobs):
    X, y = two_blobs
    names = np.array(["cat", "dog"])[y]
    model = GaussianBayesClassifier().fit(X, names)
    assert model.score(X, names) == 1.0


def test_iris_test_accuracy_for_a_fixed_split():
    X, y, _, _ = load_iris()
    train, test = stratified_split(y, test_fraction=0.3, seed=0)
    model = GaussianBayesClassifier().fit(X[train], y[train])
    assert model.score(X[test], y[test]) == pytest.approx(43 / 45)  # 0.9556


def test_stratified_split_keeps_class_shares_and_is_deterministic():
    y = np.repeat([0, 1, 2], [10, 20, 30])
    train, test = stratified_split(y, test_fraction=0.2, seed=3)
    assert np.bincount(y[test]).tolist() == [2, 4, 6]
    np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(60))
    again_train, again_test = stratified_split(y, test_fraction=0.2, seed=3)
    np.testing.assert_array_equal(test, again_test)
    np.testing.assert_array_equal(train, again_train)


def test_class_with_one_sample_is_rejected(rng):
    X = rng.normal(size=(5, 2))
    with pytest.raises(ValueError, match=r"class 1 has 1 sample.*at least 2"):
        GaussianBayesClassifier().fit(X, [0, 0, 0, 0, 1])


def test_mismatched_shapes_are_rejected(two_blobs):
    X, y = two_blobs
    with pytest.raises(ValueError, match=r"fit: y has shape \(39,\); expected \(40,\)"):
        GaussianBayesClassifier().fit(X, y[:-1])
    model = GaussianBayesClassifier().fit(X, y)
    with pytest.raises(ValueError, match=r"predict: X has 2 features but .* fitted on 3"):
        model.predict(X[:, :2])
    with pytest.raises(ValueError, match=r"log_posterior: X has shape \(3,\)"):
        model.log_posterior(X[0])
    with pytest.raises(ValueError, match=r"score: y has shape \(2,\); expected \(40,\)"):
        model.score(X, y[:2])
    with pytest.raises(ValueError, match=r"mean has shape \(2,\)"):
        gaussian_log_density(X, [0.0, 0.0], np.eye(3))


def test_singular_covariance_and_unfitted_model_give_clear_errors(rng):
    X = np.column_stack([rng.normal(size=10), np.ones(10)])  # second feature constant
    with pytest.raises(ValueError, match=r"class 0.*singular"):
        GaussianBayesClassifier().fit(X, np.zeros(10, dtype=int))
    with pytest.raises(RuntimeError, match="not fitted"):
        GaussianBayesClassifier().predict(X)


def test_fit_gaussian_and_split_reject_bad_arguments():
    with pytest.raises(ValueError, match="at least 2 samples"):
        fit_gaussian(np.ones((1, 3)))
    with pytest.raises(ValueError, match="test_fraction"):
        stratified_split([0, 1], test_fraction=1.0)
