"""all_reduce, broadcast, barrier and the group's life cycle on 2 ranks (collectives_script)."""

import json

import numpy as np
import pytest

from tests.distributed.collectives_script import rank_values

BOTH = rank_values(0), rank_values(1)
EXPECTED = {
    "SUM": BOTH[0] + BOTH[1],
    "AVG": (BOTH[0] + BOTH[1]) / 2,
    "PRODUCT": BOTH[0] * BOTH[1],
    "MIN": np.minimum(*BOTH),
    "MAX": np.maximum(*BOTH),
}


@pytest.fixture(scope="module")
def ranks(tmp_path_factory, mpiexec):
    """What each of the 2 ranks saved: a list of dicts, rank 0 first."""
    out_dir = tmp_path_factory.mktemp("collectives")
    mpiexec("tests.distributed.collectives_script", out_dir)
    return [dict(np.load(out_dir / f"rank{rank}.npz")) for rank in (0, 1)]


def test_each_rank_knows_its_rank_and_the_world_size(ranks):
    assert [(int(r["rank"]), int(r["world_size"])) for r in ranks] == [(0, 2), (1, 2)]
    for result in ranks:
        assert str(result["backend"]) == "mpi"
        assert list(result["available_initialized_before_after"]) == [True, False, True]


@pytest.mark.parametrize("op", EXPECTED)
def test_all_reduce_of_a_tensor_gives_every_rank_the_reduction(ranks, op):
    for result in ranks:
        np.testing.assert_array_equal(result[f"tensor_{op}"], EXPECTED[op])


@pytest.mark.parametrize(("name", "op"), [("sum", "SUM"), ("mean", "AVG"), ("MAX", "MAX")])
def test_all_reduce_of_an_array_takes_the_op_by_name(ranks, name, op):
    for result in ranks:
        np.testing.assert_array_equal(result[f"array_{name}"], EXPECTED[op])


def test_all_reduce_writes_back_into_a_strided_view_and_keeps_integers(ranks):
    for result in ranks:
        np.testing.assert_array_equal(result["strided_sum"], EXPECTED["SUM"])
        assert result["int64_max"].dtype == np.int64
        np.testing.assert_array_equal(result["int64_max"], EXPECTED["MAX"])


def test_broadcast_copies_the_source_rank_to_every_rank(ranks):
    for result in ranks:
        assert result["broadcast_from_1"].dtype == np.float32
        np.testing.assert_array_equal(result["broadcast_from_1"], np.full((2, 2), 20.0))


def test_broadcast_object_list_copies_the_source_ranks_objects_through_json(ranks):
    for result in ranks:
        expected = [{"seed": 2**100 + 1, "name": "rank 1"}, [1, None]]  # the tuple as a list
        assert json.loads(str(result["objects_from_1"])) == expected


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("avg_of_integers", "TypeError: all_reduce: ReduceOp.AVG needs a floating-point"),
        ("unknown_op", "ValueError: all_reduce: unknown op 'median'"),
        ("bad_src", r"ValueError: broadcast: src must be a rank in 0..1, got 2"),
        ("second_init", "RuntimeError: init_process_group: the default process group is already"),
        ("not_json", "TypeError: broadcast_object_list: rank 1's objects cannot travel as JSON"),
    ],
)
def test_bad_calls_raise_clear_errors_on_every_rank(ranks, name, message):
    for result in ranks:
        assert str(result[f"error_{name}"]).startswith(message)


def test_the_group_can_be_destroyed_and_made_again(ranks):
    for rank, result in enumerate(ranks):
        assert not result["initialized_after_destroy"]
        assert int(result["rank_after_reinit"]) == rank
