"""``python -m scratchdl``: the same as the ``scratchdl`` command."""

from scratchdl.cli import main

raise SystemExit(main())
