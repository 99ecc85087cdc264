"""The one place where a failure becomes ``scratchdl: error: ...`` and exit status 2.

``main`` passes every exception a command raises to ``error_lines``: an expected failure
(a user's mistake, a corrupt file, a full disk, too little memory, a missing optional
package) becomes one line each, anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from scratchdl.cli.extras import install_hint
from scratchdl.datasets import DatasetError
from scratchdl.io import CorruptFileError

USAGE_ERROR = 2  # the status argparse and most Unix tools use for a usage mistake
INTERRUPTED = 130  # the shell's status for a program stopped by Ctrl-C (128 + SIGINT)
BROKEN_PIPE = 141  # 128 + SIGPIPE: what a program whose output reader left reports
MAX_DETAILS = 3  # lines of a multi-line message kept (a list of mismatched weights, ...)


class UserError(Exception):
    """A mistake the user can fix: a bad option, a missing file, a run that cannot resume.

    Holds one message, or several (``predict`` reports each unreadable image); each is
    printed as one line, ``scratchdl: error: <message>``, and the exit status is 2. Raise
    it before writing anything, so a failed command leaves nothing behind.
    """

    def __init__(self, *messages: str) -> None:
        super().__init__(*messages)
        self.messages = messages

    def __str__(self) -> str:
        return "; ".join(self.messages)


class UsageError(UserError):
    """A mistake in the command line itself. Every rank of an MPI job parses the same
    command line and fails alike, so only rank 0 prints it."""


def error_lines(error: Exception) -> list[str] | None:
    """The error lines for an expected failure, or None for a bug."""
    if isinstance(error, UserError):
        return [one_line(message) for message in error.messages]
    if isinstance(error, (CorruptFileError, DatasetError)):
        return [one_line(str(error))]
    if isinstance(error, OSError):
        return [one_line(describe_os_error(error))]
    if isinstance(error, MemoryError):
        return [one_line(f"not enough memory ({error or 'MemoryError'})")]
    if isinstance(error, ImportError):
        hint = install_hint(error)
        return None if hint is None else [one_line(hint)]
    return None


def describe_os_error(error: OSError) -> str:
    """'path: No space left on device', or the error's own text when it names no file."""
    if error.filename and error.strerror:
        return f"{error.filename}: {error.strerror}"
    return str(error.strerror or error)


def one_line(message: str) -> str:
    """``message`` on one line: its lines joined, at most MAX_DETAILS after the first."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if len(lines) > 1 + MAX_DETAILS:
        lines = [*lines[: 1 + MAX_DETAILS], f"and {len(lines) - 1 - MAX_DETAILS} more"]
    joined = lines[0] if lines else ""
    for line in lines[1:]:
        joined += f" {line}" if joined.endswith(":") else f"; {line}"
    return joined
