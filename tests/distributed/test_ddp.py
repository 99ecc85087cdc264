"""DistributedDataParallel on 2 ranks against one process on the same global batches
(ddp_script), with ranks that build their models from different seeds."""

import numpy as np
import pytest

TOLERANCE = {"float64": {"rtol": 1e-9, "atol": 1e-12}, "float32": {"rtol": 1e-5, "atol": 1e-6}}


def run(mpiexec, tmp_path, *args):
    """Run a ddp_script scenario on 2 ranks; return what rank 0 and rank 1 saved."""
    mpiexec("tests.distributed.ddp_script", args[0], tmp_path, *args[1:])
    return [dict(np.load(tmp_path / f"rank{rank}.npz")) for rank in (0, 1)]


def numbered(results, prefix):
    """The arrays saved as prefix0, prefix1, ... in order."""
    return [results[f"{prefix}{i}"] for i in range(sum(k.startswith(prefix) for k in results))]


@pytest.mark.parametrize(
    ("model", "optimizer", "dtype", "steps"),
    [("mlp", "sgd", "float64", 5), ("cnn", "adam", "float64", 5), ("mlp", "adam", "float32", 20)],
)
def test_two_ranks_take_the_steps_of_one_process(mpiexec, tmp_path, model, optimizer, dtype, steps):
    rank0, rank1 = run(mpiexec, tmp_path, "train", model, optimizer, dtype, steps)
    initial0, initial1 = numbered(rank0, "initial"), numbered(rank1, "initial")
    assert not any(np.array_equal(a, b) for a, b in zip(initial0, initial1, strict=True))
    alone = numbered(rank0, "alone")
    assert not any(np.allclose(a, b) for a, b in zip(initial0, alone, strict=True))  # it trained
    replicas = zip(numbered(rank0, "ddp"), numbered(rank1, "ddp"), alone, strict=True)
    for ddp0, ddp1, reference in replicas:
        np.testing.assert_array_equal(ddp0, ddp1)
        assert ddp0.dtype == np.dtype(dtype)
        np.testing.assert_allclose(ddp0, reference, **TOLERANCE[dtype])


def test_each_step_all_reduces_one_flat_buffer_into_owned_gradients(mpiexec, tmp_path):
    for result in run(mpiexec, tmp_path, "train", "mlp", "sgd", "float64", 3):
        assert int(result["all_reduces"]) == 3
        assert result["gradients_own_memory"]


def test_state_dict_names_carry_the_module_prefix(mpiexec, tmp_path):
    rank0, _ = run(mpiexec, tmp_path, "train", "mlp", "sgd", "float64", 1)
    expected = ["module.0.weight", "module.0.bias", "module.2.weight", "module.2.bias"]
    assert list(rank0["state_dict_keys"]) == expected


def test_no_sync_accumulates_locally_then_averages_the_sums(mpiexec, tmp_path):
    rank0, rank1 = run(mpiexec, tmp_path, "no_sync")
    for local0, local1 in zip(numbered(rank0, "local"), numbered(rank1, "local"), strict=True):
        assert not np.allclose(local0, local1)  # each rank's own slice, not averaged
    synced0, synced1 = numbered(rank0, "synced"), numbered(rank1, "synced")
    for grad0, grad1, reference in zip(synced0, synced1, numbered(rank0, "alone"), strict=True):
        np.testing.assert_array_equal(grad0, grad1)
        np.testing.assert_allclose(grad0, reference, **TOLERANCE["float64"])


def test_a_backward_through_the_module_itself_averages_nothing(mpiexec, tmp_path):
    rank0, rank1 = run(mpiexec, tmp_path, "bypass")
    for synced0, synced1 in zip(numbered(rank0, "synced"), numbered(rank1, "synced"), strict=True):
        np.testing.assert_array_equal(synced0, synced1)
    for local0, local1 in zip(
        numbered(rank0, "bypassed"), numbered(rank1, "bypassed"), strict=True
    ):
        assert not np.allclose(local0, local1)  # each rank's own slice, as in PyTorch


def test_a_parameter_left_without_gradient_fails_the_next_forward(mpiexec, tmp_path):
    for result in run(mpiexec, tmp_path, "unused"):
        message = str(result["error"])
        assert message.startswith("DistributedDataParallel: expected to have finished reduction")
        assert "unused.weight, unused.bias" in message
        assert "used.weight" not in message.replace("unused.weight", "")


def test_buffers_come_from_rank_0_at_construction_and_before_each_forward(mpiexec, tmp_path):
    for result in run(mpiexec, tmp_path, "buffers", "broadcast"):
        np.testing.assert_array_equal(result["after_init"], np.zeros(4))
        np.testing.assert_array_equal(result["after_forward"], np.zeros(4))


def test_without_broadcast_buffers_each_rank_keeps_its_own(mpiexec, tmp_path):
    rank0, rank1 = run(mpiexec, tmp_path, "buffers", "keep")
    for result in (rank0, rank1):
        np.testing.assert_array_equal(result["after_init"], np.zeros(4))
    np.testing.assert_array_equal(rank0["after_forward"], np.zeros(4))
    np.testing.assert_array_equal(rank1["after_forward"], np.ones(4))
