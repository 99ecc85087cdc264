"""The distributed API in one process without a group: the errors that come before MPI."""

import sys

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.distributed as dist
from scratchdl import nn
from scratchdl.nn.parallel import DistributedDataParallel

BEFORE_INIT = {
    "get_rank": lambda: dist.get_rank(),
    "get_world_size": lambda: dist.get_world_size(),
    "get_backend": lambda: dist.get_backend(),
    "all_reduce": lambda: dist.all_reduce(sd.from_numpy(np.ones(2))),
    "broadcast": lambda: dist.broadcast(np.ones(2), src=0),
    "broadcast_object_list": lambda: dist.broadcast_object_list([1], src=0),
    "barrier": lambda: dist.barrier(),
    "destroy_process_group": lambda: dist.destroy_process_group(),
}


@pytest.mark.parametrize("name", BEFORE_INIT)
def test_calls_before_init_raise_a_runtime_error_that_is_also_torchs_value_error(name):
    assert not dist.is_initialized()
    with pytest.raises(RuntimeError, match=f"^{name}: the default process group has not been"):
        BEFORE_INIT[name]()
    with pytest.raises(ValueError, match="init_process_group"):
        BEFORE_INIT[name]()


def test_ddp_before_init_raises_before_wrapping():
    model = nn.Linear(2, 2)
    with pytest.raises(RuntimeError, match=r"^get_world_size: the default process group"):
        DistributedDataParallel(model)
    model(sd.ones(1, 2)).sum().backward()  # no hook left behind
    assert model.weight.grad is not None


def test_only_the_mpi_backend_exists():
    with pytest.raises(ValueError, match=r"backend 'nccl' is not available.*'mpi'"):
        dist.init_process_group("nccl")
    assert not dist.is_initialized()


def test_without_mpi4py_init_names_the_extra_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "mpi4py", None)  # makes `import mpi4py` fail
    with pytest.raises(ImportError, match=r"pip install scratchdl\[mpi\]"):
        dist.init_process_group("mpi")
    assert not dist.is_initialized()


def test_ddp_refuses_a_non_module_and_find_unused_parameters():
    with pytest.raises(TypeError, match=r"expected an nn\.Module, got list"):
        DistributedDataParallel([nn.Linear(2, 2)])
    with pytest.raises(NotImplementedError, match="find_unused_parameters=True"):
        DistributedDataParallel(nn.Linear(2, 2), find_unused_parameters=True)
