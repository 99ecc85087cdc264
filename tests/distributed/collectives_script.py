"""Run on 2 ranks by test_collectives.py: each rank saves what the collectives gave it.

mpiexec -n 2 python -m mpi4py -m tests.distributed.collectives_script OUT_DIR
"""

import json
import sys
from pathlib import Path

import numpy as np

import scratchdl as sd
import scratchdl.distributed as dist


def rank_values(rank: int) -> np.ndarray:
    """This rank's input to each reduction: rank 0 [1, -2, 3], rank 1 [4, 5, -6] (float64)."""
    return np.array([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]])[rank]


def main(out_dir: Path) -> None:
    before_init = (dist.is_available(), dist.is_initialized())
    dist.init_process_group("mpi")
    rank = dist.get_rank()
    results = {"rank": rank, "world_size": dist.get_world_size(), "backend": dist.get_backend()}
    results["available_initialized_before_after"] = [*before_init, dist.is_initialized()]
    for op in dist.ReduceOp:
        tensor = sd.from_numpy(rank_values(rank))
        dist.all_reduce(tensor, op=op)
        results[f"tensor_{op.name}"] = tensor.data
    for name in ("sum", "mean", "MAX"):
        array = rank_values(rank)
        dist.all_reduce(array, op=name)
        results[f"array_{name}"] = array
    strided = np.stack([rank_values(rank)] * 2, axis=1)[:, 0]  # every other element
    dist.all_reduce(strided)
    results["strided_sum"] = strided
    integers = rank_values(rank).astype(np.int64)
    dist.all_reduce(integers, op=dist.ReduceOp.MAX)
    results["int64_max"] = integers
    received = sd.from_numpy(np.full((2, 2), 10.0 * (rank + 1), dtype=np.float32))
    dist.broadcast(received, src=1)
    results["broadcast_from_1"] = received.data
    objects = [{"seed": 2**100 + rank, "name": f"rank {rank}"}, (rank, None)]
    dist.broadcast_object_list(objects, src=1)
    results["objects_from_1"] = json.dumps(objects)
    dist.barrier()
    for name, call in {
        "avg_of_integers": lambda: dist.all_reduce(integers, op="avg"),
        "unknown_op": lambda: dist.all_reduce(integers, op="median"),
        "bad_src": lambda: dist.broadcast(integers, src=2),
        "second_init": lambda: dist.init_process_group("mpi"),
        "not_json": lambda: dist.broadcast_object_list([rank, {1, 2}], src=1),
    }.items():
        try:
            call()
        except (TypeError, ValueError, RuntimeError) as error:
            results[f"error_{name}"] = f"{type(error).__name__}: {error}"
    dist.destroy_process_group()
    results["initialized_after_destroy"] = dist.is_initialized()
    dist.init_process_group("mpi", world_size=2, rank=rank)
    results["rank_after_reinit"] = dist.get_rank()
    dist.destroy_process_group()
    np.savez(out_dir / f"rank{rank}.npz", **results)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
