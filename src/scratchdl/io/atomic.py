"""Writing a file atomically, and removing what a writer that died left behind.

``atomic_write`` writes to a temporary file beside the target, flushes and fsyncs it, then
renames it over the target: the rename is atomic, so at every instant the target holds
either its old content or the complete new one, whatever stops the program (an exception,
Ctrl-C, kill -9, a full disk, a power cut once the folder is synced).

A writer killed before the rename leaves its temporary file. The name records who wrote
it, ``.<target>.<host>-<pid>.<random>.tmp``, so ``remove_stale_temporaries`` can delete the
ones whose process no longer runs on this host, and leave a live writer's alone.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

_TEMPORARY = re.compile(r"\.(?P<target>.+)\.(?P<host>[\w-]*)-(?P<pid>\d+)\.[0-9a-f]{8}\.tmp")


def atomic_write(path: str | os.PathLike, write: Callable[[IO[bytes]], Any]) -> None:
    """Run ``write`` on a new temporary file beside ``path``, then rename it to ``path``.

    The file is opened for reading and writing (a writer may read back what it wrote), gets
    the usual permissions (0o666 less the process umask), and is fsynced before the
    rename; the folder is fsynced after it. If anything fails, the temporary file is
    removed and the error propagates, leaving ``path`` as it was. Stale temporary files of
    ``path`` left by dead writers are removed first.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path.parent, path.name)
    temporary = path.with_name(f".{path.name}.{_writer()}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "x+b") as file:  # "x": never reuse an existing file
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def remove_stale_temporaries(folder: str | os.PathLike, target: str | None = None) -> list[Path]:
    """Delete the temporary files in ``folder`` (of ``target`` only, when given) whose
    writer was a process of this host that has ended; return the paths deleted."""
    removed = []
    for entry in Path(folder).iterdir() if Path(folder).is_dir() else ():
        match = _TEMPORARY.fullmatch(entry.name)
        if match is None or (target is not None and match["target"] != target):
            continue
        if match["host"] == _host() and not _process_runs(int(match["pid"])):
            entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def _writer() -> str:
    return f"{_host()}-{os.getpid()}"


def _host() -> str:
    """This machine's name, reduced to the characters a temporary file name keeps."""
    return re.sub(r"[^\w-]", "_", socket.gethostname())


def _process_runs(pid: int) -> bool:
    """Whether process ``pid`` runs (signal 0 checks without sending anything); a zombie,
    ended but not yet collected by its parent, does not."""
    if os.name != "posix":
        return True  # no safe check: keep the file
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it runs, as another user
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    """Linux's /proc says 'Z' for a process that has ended (elsewhere: assume not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; elsewhere the rename is all we have)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
