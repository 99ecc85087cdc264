"""Fixtures for the Keras front end's tests: real Keras as the oracle, where installed.

Keras 3 runs on PyTorch here (KERAS_BACKEND=torch); the tests that compare against it are
skipped when keras or torch is missing.
"""

from __future__ import annotations

import os

import pytest

from scratchdl.keras import naming


@pytest.fixture(scope="session")
def real_keras():
    """Keras 3 on its PyTorch backend (skips the test without it)."""
    pytest.importorskip("torch")
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "torch":
        pytest.skip(f"Keras runs on {keras.backend.backend()}, the tests expect torch")
    return keras


@pytest.fixture(autouse=True)
def _fresh_names():
    """Layer names start again in every test ("dense", not "dense_7")."""
    naming.clear_session()
