"""Launching a test script on several ranks: ``mpiexec -n N python -m mpi4py -m MODULE``.

The tests that need MPI skip where mpi4py or MPICH's ``mpiexec`` is missing
(``pip install scratchdl[mpi]`` installs both). Every launch has a timeout, so a hang
fails its test instead of stalling the suite.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LAUNCH_TIMEOUT_SECONDS = 60


def find_mpiexec() -> str | None:
    """The ``mpiexec`` beside this Python (the one the mpich wheel installs, matching
    mpi4py's MPI), else the first on PATH, else None."""
    beside_python = Path(sys.executable).parent / "mpiexec"
    return str(beside_python) if beside_python.exists() else shutil.which("mpiexec")


@pytest.fixture(scope="session")
def mpiexec() -> Callable[..., subprocess.CompletedProcess]:
    """``mpiexec(program, *args, ranks=2, check=True, rank_dirs=None)`` runs ``python -m
    mpi4py -m program args`` (a module name; a Path runs that script) on ``ranks`` processes
    from the repository root (rank r in ``rank_dirs[r]`` when given), one BLAS thread each,
    and returns the finished process, its output as text; with ``check``, a non-zero exit
    fails the test with the ranks' output. Skips without mpi4py or mpiexec."""
    if importlib.util.find_spec("mpi4py") is None:
        pytest.skip("mpi4py is not installed (pip install scratchdl[mpi])")
    launcher = find_mpiexec()
    if launcher is None:
        pytest.skip("no mpiexec (pip install scratchdl[mpi] installs MPICH's)")
    environment = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    source = str(REPO / "src")
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [source, str(REPO), environment.get("PYTHONPATH")])
    )

    def launch(
        program: str | Path,
        *args: object,
        ranks: int = 2,
        check: bool = True,
        rank_dirs: Sequence[Path] | None = None,
    ) -> subprocess.CompletedProcess:
        target = [str(program)] if isinstance(program, Path) else ["-m", program]
        rank_command = [sys.executable, "-m", "mpi4py", *target, *map(str, args)]
        command = [launcher, "-n", str(ranks), *rank_command]
        if rank_dirs is not None:  # MPICH's MPMD form: one section per rank, ':' between
            sections = [["-n", "1", "-wdir", str(folder), *rank_command] for folder in rank_dirs]
            command = [launcher, *sections[0]]
            for section in sections[1:]:
                command += [":", *section]
        with subprocess.Popen(
            command,
            cwd=REPO,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group: a hung job is killed whole
        ) as job:
            try:
                stdout, stderr = job.communicate(timeout=LAUNCH_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(job.pid, signal.SIGKILL)
                stdout, stderr = job.communicate()
                pytest.fail(f"{program} hung: killed after {LAUNCH_TIMEOUT_SECONDS} s\n{stderr}")
        process = subprocess.CompletedProcess(job.args, job.returncode, stdout, stderr)
        if check and process.returncode != 0:
            pytest.fail(f"mpiexec exited {process.returncode}:\n{stdout}{stderr}")
        return process

    return launch
