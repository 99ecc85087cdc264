"""The one exception the command line turns into a message instead of a traceback, and
the exit statuses."""

USAGE_ERROR = 2  # the status argparse and most Unix tools use for a usage mistake
INTERRUPTED = 130  # the shell's status for a program stopped by Ctrl-C (128 + SIGINT)


class UserError(Exception):
    """A mistake the user can fix: a bad option, a missing file, a run that cannot resume.

    ``scratchdl`` prints it as one line, ``scratchdl: error: <message>``, and exits with
    status 2. Raise it before writing anything, so a failed command leaves nothing behind.
    """
