"""Atomic writes: whatever stops a save, the file holds its old or its new content, and no
temporary file outlives its writer."""

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from scratchdl import io
from scratchdl.io import atomic


def temporaries(folder):
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


def fail(*args, **kwargs):
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("step", ["write", "fsync", "replace"])
@pytest.mark.parametrize("existing", [True, False], ids=["over_a_file", "first_save"])
def test_a_failure_at_any_step_leaves_the_old_file_and_no_temporary(
    tmp_path, monkeypatch, step, existing
):
    path = tmp_path / "weights.pt"
    if existing:
        io.save({"w": np.zeros(3)}, path)
    before = path.read_bytes() if existing else None

    def write_then_fail(file):
        file.write(b"half a file")
        fail()

    if step == "write":
        with pytest.raises(OSError, match="No space"):
            io.atomic_write(path, write_then_fail)
    else:
        monkeypatch.setattr(atomic.os, step, fail)
        with pytest.raises(OSError, match="No space"):
            io.save({"w": np.ones(100)}, path)
    monkeypatch.undo()
    assert temporaries(tmp_path) == []
    assert (path.read_bytes() if path.exists() else None) == before


def test_ctrl_c_during_a_save_removes_the_temporary(tmp_path):
    def interrupted(file):
        file.write(b"partial")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        io.atomic_write(tmp_path / "w.pt", interrupted)
    assert list(tmp_path.iterdir()) == []


def test_files_get_the_usual_permissions_without_touching_the_umask(tmp_path, monkeypatch):
    """0o666 less the umask, like any file the user writes, not mkstemp's private 0o600;
    and the umask is never set, not even for a moment (another thread would see it)."""
    old = os.umask(0o027)
    try:
        monkeypatch.setattr(os, "umask", lambda mask: pytest.fail("os.umask was called"))
        io.save({"w": np.zeros(2)}, tmp_path / "w.pt")
    finally:
        monkeypatch.undo()
        os.umask(old)
    assert (tmp_path / "w.pt").stat().st_mode & 0o777 == 0o640


def test_importing_scratchdl_never_sets_the_umask():
    script = textwrap.dedent(
        """
        import os
        calls = []
        real = os.umask
        os.umask = lambda mask: calls.append(mask) or real(mask)
        import scratchdl, scratchdl.io, scratchdl.cli
        print(calls)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def finished_process_id():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_stale_temporaries_of_dead_writers_are_removed_and_live_ones_kept(tmp_path):
    host = atomic._host()
    dead = tmp_path / f".w.pt.{host}-{finished_process_id()}.0123abcd.tmp"
    live = tmp_path / f".w.pt.{host}-{os.getpid()}.0123abcd.tmp"
    elsewhere = tmp_path / f".w.pt.another_host-{finished_process_id()}.0123abcd.tmp"
    other_file = tmp_path / f".other.pt.{host}-{finished_process_id()}.0123abcd.tmp"
    user_file = tmp_path / "notes.tmp"
    for path in (dead, live, elsewhere, other_file, user_file):
        path.write_bytes(b"x" * 1000)
    io.save({"w": np.zeros(2)}, tmp_path / "w.pt")  # cleans the temporaries of w.pt only
    assert not dead.exists() and live.exists() and elsewhere.exists() and other_file.exists()
    assert io.remove_stale_temporaries(tmp_path) == [other_file]
    assert user_file.exists()


SLOW_SAVE = textwrap.dedent(
    """
    import os, sys, time
    import numpy as np
    from scratchdl import io

    def stall(descriptor):  # the bytes are written; the process is killed before the rename
        print("saving", flush=True)
        time.sleep(60)

    os.fsync = stall
    io.save({"w": np.ones(100_000)}, sys.argv[1])
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_real_kill_9_during_a_save_keeps_the_old_file_and_the_next_save_cleans_up(tmp_path):
    path = tmp_path / "weights.pt"
    io.save({"w": np.zeros(3)}, path)
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_SAVE, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout.readline() == "saving\n"
    child.kill()
    child.wait()
    assert len(temporaries(tmp_path)) == 1  # what kill -9 leaves
    np.testing.assert_array_equal(io.load(path)["w"].numpy(), np.zeros(3))
    io.save({"w": np.ones(3)}, path)
    assert temporaries(tmp_path) == []
    np.testing.assert_array_equal(io.load(path)["w"].numpy(), np.ones(3))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_temporary_of_a_killed_writer_not_yet_collected_is_stale(tmp_path):
    """A killed process whose parent has not waited for it (a zombie) still has its pid."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    stat = Path(f"/proc/{child.pid}/stat")
    while stat.read_text().rpartition(")")[2].split()[0] != "Z":
        time.sleep(0.01)
    temporary = tmp_path / f".w.pt.{atomic._host()}-{child.pid}.0123abcd.tmp"
    temporary.write_bytes(b"x")
    assert io.remove_stale_temporaries(tmp_path) == [temporary]
    child.wait()
