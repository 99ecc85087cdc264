"""Fisher's Iris flowers: 150 samples, 4 measurements in cm, 3 species (shipped as a CSV).

    X, y, feature_names, class_names = load_iris()
    X.shape, y.shape    # (150, 4), (150,)

Citation (also in the CSV's header): R. A. Fisher, "The use of multiple measurements in
taxonomic problems", Annals of Eugenics 7(2), 1936; UCI Machine Learning Repository,
CC BY 4.0.
"""

from __future__ import annotations

from importlib import resources

import numpy as np

IRIS_CLASS_NAMES = ("setosa", "versicolor", "virginica")
"""The species, in the order of their integer classes 0, 1, 2."""


def load_iris() -> tuple[np.ndarray, np.ndarray, tuple[str, ...], tuple[str, ...]]:
    """The Iris data set: (X, y, feature_names, class_names).

    X is float64 (150, 4): sepal length, sepal width, petal length, petal width in cm.
    y is int64 (150,), the species index into ``class_names``; 50 samples per class,
    ordered by class.
    """
    lines = resources.files("scratchdl.datasets").joinpath("iris.csv").read_text().splitlines()
    header, *rows = (line for line in lines if not line.startswith("#"))
    table = np.loadtxt(rows, delimiter=",", dtype=np.float64)
    feature_names = tuple(header.split(",")[:-1])
    return table[:, :-1], table[:, -1].astype(np.int64), feature_names, IRIS_CLASS_NAMES
