"""``train.fit`` on 2 ranks against one process on the same global batches (fit_script):
uneven shares, a stand-in for an empty one, ranks that start from different seeds."""

import json

import numpy as np
import pytest

TOLERANCE = {"rtol": 1e-9, "atol": 1e-12}


@pytest.fixture(scope="module")
def ranks(tmp_path_factory, mpiexec):
    """What each of the 2 ranks saved: [(arrays, report)], rank 0 first."""
    out_dir = tmp_path_factory.mktemp("fit")
    mpiexec("tests.distributed.fit_script", out_dir)
    return [
        (
            dict(np.load(out_dir / f"rank{rank}.npz")),
            json.loads((out_dir / f"rank{rank}.json").read_text()),
        )
        for rank in (0, 1)
    ]


def arrays_of(arrays, prefix):
    return {
        key.split("/", 1)[1]: value for key, value in arrays.items() if key.startswith(prefix + "/")
    }


def assert_records_close(got, expected):
    assert [sorted(record) for record in got] == [sorted(record) for record in expected]
    for record, reference in zip(got, expected, strict=True):
        for key, value in reference.items():
            assert record[key] == pytest.approx(value, rel=1e-12), key


@pytest.mark.parametrize(("trained", "alone"), [("mlp", "mlp"), ("cnn", "cnn"), ("mlp-ddp", "mlp")])
def test_two_ranks_end_with_the_parameters_and_history_of_one_process(ranks, trained, alone):
    (arrays0, report0), (arrays1, report1) = ranks
    reference = arrays_of(arrays0, f"{alone}-alone")
    replicas = arrays_of(arrays0, trained), arrays_of(arrays1, trained)
    assert list(replicas[0]) == list(reference)
    for name, expected in reference.items():
        np.testing.assert_array_equal(replicas[0][name], replicas[1][name], err_msg=name)
        np.testing.assert_allclose(replicas[0][name], expected, **TOLERANCE, err_msg=name)
    assert report0[trained] == report1[trained]  # the global records, on every rank
    assert_records_close(report0[trained], report0[f"{alone}-alone"])
    assert [record["epoch"] for record in report0[trained]] == [1, 2, 3]


def test_a_rank_left_with_stand_ins_only_still_trains_in_step(ranks):
    (_, report0), (_, report1) = ranks
    assert report0["one_sample"] == report1["one_sample"]
    assert_records_close(report0["one_sample"], report0["one_sample-alone"])


def test_batch_norm_statistics_are_rank_0s_on_every_rank_after_each_epoch(ranks):
    (arrays0, report0), (arrays1, report1) = ranks
    replicas = arrays_of(arrays0, "batch_norm"), arrays_of(arrays1, "batch_norm")
    assert "1.running_mean" in replicas[0]
    for name, value in replicas[0].items():
        np.testing.assert_array_equal(value, replicas[1][name], err_msg=name)
    assert report0["batch_norm"] == report1["batch_norm"]


def test_a_stop_asked_on_rank_0_alone_stops_every_rank(ranks):
    (_, report0), (_, report1) = ranks
    assert [record["epoch"] for record in report0["stopped"]] == [1, 2]
    assert report0["stopped"] == report1["stopped"]
    assert report0["epochs_seen"] == [2, 2]
    assert report1["epochs_seen"] == [0, 2]  # the rank-0-only callback never ran on rank 1


def test_parameters_the_loss_never_reaches_are_named_on_every_rank(ranks):
    for rank, (_, report) in enumerate(ranks):
        message = report["unused_error"]
        assert message.startswith(f"fit: unused.weight, unused.bias got no gradient on rank {rank}")
        assert "requires_grad_(False)" in message


def test_a_loader_sharded_by_a_distributed_sampler_is_refused_on_every_rank(ranks):
    for _, report in ranks:
        assert report["sampler_error"].startswith("fit: a loader's sampler is a DistributedSampler")
