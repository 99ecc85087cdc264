"""The top-level package: one seeded generator for every random choice, lazy subpackages."""

import pytest

import scratchdl as sd
from scratchdl.random import get_rng_state, set_rng_state


def test_manual_seed_makes_draws_repeatable():
    sd.manual_seed(42)
    first = sd.get_rng().normal(size=3)
    sd.manual_seed(42)
    assert (sd.get_rng().normal(size=3) == first).all()


def test_rng_state_round_trip():
    sd.manual_seed(1)
    state = get_rng_state()
    expected = sd.get_rng().random(4)
    set_rng_state(state)
    assert (sd.get_rng().random(4) == expected).all()


@pytest.mark.parametrize("bad", [-1, 1.5, "7", True])
def test_manual_seed_rejects_non_integers(bad):
    with pytest.raises(ValueError, match="non-negative integer"):
        sd.manual_seed(bad)


def test_subpackages_are_reachable_from_the_top_level():
    assert sd.nn.Linear and sd.optim.Adam and sd.utils.data.DataLoader and sd.models.MLP
    assert sd.keras.Sequential and sd.keras.layers.Dense
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        sd.nope  # noqa: B018


def test_a_generator_draws_apart_from_the_library_generator():
    g = sd.Generator().manual_seed(5)
    first = g.rng.permutation(10)
    sd.manual_seed(0)
    assert (sd.Generator().manual_seed(5).rng.permutation(10) == first).all()
    assert g.initial_seed() == 5 and sd.Generator().initial_seed() == 67280421310721


def test_generator_state_round_trip_and_fresh_seed():
    g = sd.Generator().manual_seed(2)
    state = g.get_state()
    expected = g.rng.random(3)
    assert (sd.Generator().set_state(state).rng.random(3) == expected).all()
    seed = g.seed()
    assert (
        g.initial_seed() == seed
        and (g.rng.random(2) == sd.Generator().manual_seed(seed).rng.random(2)).all()
    )
    with pytest.raises(
        ValueError, match=r"Generator\.manual_seed: seed must be a non-negative integer"
    ):
        g.manual_seed(-1)
