"""Process-wide names PyTorch programs call: seeding, threads, dtype limits, the backends'
flags, determinism and matmul-precision switches, compile."""

from __future__ import annotations

import numpy as np
import pytest

import scratchdl as sd


def test_seed_and_initial_seed():
    sd.manual_seed(3)
    assert sd.initial_seed() == 3
    chosen = sd.seed()
    assert sd.initial_seed() == chosen and 0 <= chosen < 2**63
    first = sd.rand(3)
    sd.manual_seed(chosen)
    np.testing.assert_array_equal(sd.rand(3).numpy(), first.numpy())


def test_rng_state_round_trip_at_the_top_level():
    state = sd.get_rng_state()
    drawn = sd.randn(4)
    sd.set_rng_state(state)
    np.testing.assert_array_equal(sd.randn(4).numpy(), drawn.numpy())


def test_num_threads_round_trip():
    before = sd.get_num_threads()
    try:
        sd.set_num_threads(1)
        assert sd.get_num_threads() == 1
    finally:
        sd.set_num_threads(before)
    with pytest.raises(ValueError):
        sd.set_num_threads(0)


def test_finfo_iinfo_and_dtype_match_torch(torch):
    for ours, theirs in [(sd.float32, torch.float32), (sd.float64, torch.float64)]:
        mine, its = sd.finfo(ours), torch.finfo(theirs)
        assert (mine.eps, mine.max, mine.min, mine.tiny, mine.bits) == pytest.approx(
            (its.eps, its.max, its.min, its.tiny, its.bits)
        )
    assert sd.finfo().eps == torch.finfo().eps
    assert (sd.iinfo(sd.int64).max, sd.iinfo(sd.uint8).min) == (
        torch.iinfo(torch.int64).max, torch.iinfo(torch.uint8).min,
    )  # fmt: skip
    assert isinstance(sd.tensor([1.0]).dtype, sd.dtype) and isinstance(sd.int64, sd.dtype)


def test_backends_flags_exist_and_keep_what_they_are_given():
    assert sd.backends.mps.is_available() is False and sd.backends.mps.is_built() is False
    assert sd.backends.cudnn.is_available() is False
    sd.backends.cudnn.benchmark = True
    sd.backends.cudnn.deterministic = True
    sd.backends.cuda.matmul.allow_tf32 = True
    assert sd.backends.cudnn.benchmark and sd.backends.cuda.matmul.allow_tf32
    sd.backends.cudnn.benchmark = sd.backends.cudnn.deterministic = False
    sd.backends.cuda.matmul.allow_tf32 = False


def test_determinism_and_matmul_precision_switches_round_trip():
    assert not sd.are_deterministic_algorithms_enabled()
    sd.use_deterministic_algorithms(True, warn_only=True)
    try:
        assert sd.are_deterministic_algorithms_enabled()
        assert sd.is_deterministic_algorithms_warn_only_enabled()
    finally:
        sd.use_deterministic_algorithms(False)
    assert sd.get_float32_matmul_precision() == "highest"
    sd.set_float32_matmul_precision("high")
    try:
        assert sd.get_float32_matmul_precision() == "high"
        with pytest.raises(ValueError, match="set_float32_matmul_precision: expected one of"):
            sd.set_float32_matmul_precision("low")
        assert sd.get_float32_matmul_precision() == "high"
    finally:
        sd.set_float32_matmul_precision("highest")


def test_compile_returns_the_model_and_the_decorator_form_works():
    model = sd.nn.Linear(3, 2)
    assert sd.compile(model) is model
    assert sd.compile(model, mode="max-autotune", fullgraph=True) is model

    @sd.compile()
    def double(x):
        return x * 2

    assert double(sd.tensor([1.0])).item() == 2.0
    with pytest.raises(TypeError, match="compile: expected a Module or a function"):
        sd.compile(3)
