"""The thread pools, set at run time: OpenBLAS's spin is short after ``import scratchdl``
even in a script that imported NumPy first, unless the user chose or switched it off."""

import os
import subprocess
import sys

import numpy as np
import pytest

from scratchdl.backend import threads

openblas_only = pytest.mark.skipif(
    threads.openblas() is None, reason="NumPy's BLAS here is not an OpenBLAS this can find"
)


def _spin_in_a_users_script(environment: dict[str, str]) -> str:
    """``threads.blas_spin()`` in a fresh interpreter that imports NumPy, runs a product,
    then imports scratchdl — as a user's script does."""
    code = (
        "import numpy as np; a = np.ones((256, 256)); a @ a; import scratchdl; "
        "from scratchdl.backend import threads; print(threads.blas_spin())"
    )
    variables = ("OPENBLAS_THREAD_TIMEOUT", "SCRATCHDL_TUNE_THREADS")
    env = {k: v for k, v in os.environ.items() if k not in variables}
    result = subprocess.run(
        [sys.executable, "-c", code], env={**env, **environment}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@openblas_only
def test_importing_scratchdl_after_numpy_shortens_the_blas_spin():
    assert _spin_in_a_users_script({}) == str(threads.BLAS_SPIN)


@openblas_only
def test_the_users_spin_wins_and_the_tuning_can_be_switched_off():
    assert _spin_in_a_users_script({"OPENBLAS_THREAD_TIMEOUT": "25"}) == "25"
    assert _spin_in_a_users_script({"SCRATCHDL_TUNE_THREADS": "0"}) == "None"


@openblas_only
def test_products_are_right_after_the_threads_restart(rng):
    a, b = rng.normal(size=(300, 200)), rng.normal(size=(200, 400))
    expected = a @ b
    assert threads.set_blas_spin(threads.BLAS_SPIN)
    np.testing.assert_array_equal(a @ b, expected)
    assert threads.blas_spin() == threads.BLAS_SPIN


@openblas_only
def test_set_num_threads_sets_openblas_threads():
    before = threads.get_num_threads()
    threads.set_num_threads(1)
    try:
        assert threads.get_num_threads() == 1
    finally:
        threads.set_num_threads(before)
    assert threads.get_num_threads() == before


@pytest.mark.parametrize("count", [0, -1, 1.5, True, "2"])
def test_thread_counts_must_be_positive_ints(count):
    with pytest.raises(ValueError, match="set_num_threads: expected an int >= 1"):
        threads.set_num_threads(count)
    with pytest.raises(ValueError, match="set_kernel_threads: expected an int >= 1"):
        threads.set_kernel_threads(count)
    assert threads.kernel_threads() == threads.KERNEL_THREADS
