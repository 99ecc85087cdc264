"""The Iris data shipped with the package."""

from __future__ import annotations

import numpy as np

from scratchdl.datasets.iris import load_iris


def test_load_iris_shapes_dtypes_and_names():
    X, y, feature_names, class_names = load_iris()
    assert X.shape == (150, 4) and X.dtype == np.float64
    assert y.shape == (150,) and y.dtype == np.int64
    assert feature_names == ("sepal_length", "sepal_width", "petal_length", "petal_width")
    assert class_names == ("setosa", "versicolor", "virginica")
    assert np.bincount(y).tolist() == [50, 50, 50]


def test_load_iris_matches_fishers_published_summary():
    X, _, _, _ = load_iris()
    np.testing.assert_allclose(X.mean(axis=0), [5.8433, 3.0573, 3.758, 1.1993], atol=1e-4)
    np.testing.assert_allclose(X.min(axis=0), [4.3, 2.0, 1.0, 0.1])
    np.testing.assert_allclose(X.max(axis=0), [7.9, 4.4, 6.9, 2.5])
    np.testing.assert_allclose(X[37], [4.9, 3.6, 1.4, 0.1])  # one of UCI's two wrong rows
